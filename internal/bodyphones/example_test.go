package bodyphones_test

import (
	"fmt"

	"github.com/msgfilter/msgfilter/internal/bodyphones"
)

func ExampleFind() {
	for _, body := range []string{
		"Call us on 050 123 4567 or +44 20 7946 0958.",
		"Your code is 482913. Pay AED 1,250.00 by 2026-11-22.",
	} {
		fmt.Println(bodyphones.Find(body, "AE"))
	}
	// Output:
	// [{050 123 4567 +971501234567 AE mobile} {+44 20 7946 0958 +442079460958 GB fixed_line}]
	// []
}
