package filter_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/msgfilter/msgfilter/filter"
)

func ExampleEngine_Check() {
	engine, err := filter.New() // the embedded default policies
	if err != nil {
		log.Fatal(err)
	}
	msg := &filter.Message{
		ID:        "m-1",
		Channel:   filter.SMS,
		Kind:      filter.Promotional,
		Sender:    "AD-Noon",
		Recipient: "+971501234567",
		Body:      "White Friday: up to 70% off electronics, today only.",
		Time:      time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC), // 22:30 in Dubai
	}
	d, err := engine.Check(context.Background(), msg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Action, d.Until.Format(time.RFC3339))
	for _, r := range d.Reasons {
		fmt.Println(r.Code, r.Rule)
	}
	// Output:
	// defer 2026-11-25T07:00:00+04:00
	// QUIET_HOURS ae/promotional-quiet-hours
}
