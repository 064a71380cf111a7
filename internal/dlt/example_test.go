package dlt_test

import (
	"fmt"
	"log"

	"github.com/msgfilter/msgfilter/internal/dlt"
)

func ExampleRegistry_Match() {
	r, err := dlt.Compile([]dlt.Template{{
		Header: "HDFCBK", ID: "1107160000000000002", Category: dlt.CategoryServiceImplicit,
		Text: "{#var#} is your OTP. Do not share it with anyone - HDFC Bank",
	}})
	if err != nil {
		log.Fatal(err)
	}
	h := dlt.Header("VM-HDFCBK-S")
	t, ok := r.Match(h, "482913 is your OTP. Do not share it with anyone - HDFC Bank")
	fmt.Println(h, t.ID, ok)
	_, ok = r.Match(h, "482913 is your OTP. Do not share it with anyone - HDFC Bank http://bit.ly/x")
	fmt.Println(ok)
	// Output:
	// HDFCBK 1107160000000000002 true
	// false
}
