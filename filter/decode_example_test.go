package filter_test

import (
	"fmt"
	"log"

	"github.com/msgfilter/msgfilter/filter"
)

func ExampleDecodeMessage() {
	m, err := filter.DecodeMessage([]byte(`{"id":"m-1","channel":"sms","kind":"otp","sender":"ADCB","recipient":"+971501234567","body":"Your code is 482913"}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.ID, m.Channel, m.Recipient)

	// A key that differs only by case would be read as "body" by
	// encoding/json, and the last of two keys would win: both are refused.
	_, err = filter.DecodeMessage([]byte(`{"body":"casino jackpot","BODY":"hello"}`))
	fmt.Println(err)
	_, err = filter.DecodeMessage([]byte(`{"body":"casino jackpot","body":"hello"}`))
	fmt.Println(err)
	// Output:
	// m-1 sms +971501234567
	// filter: invalid BODY: unknown field: keys are case-sensitive, want "body"
	// filter: invalid body: duplicate field
}
