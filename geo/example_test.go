package geo_test

import (
	"fmt"
	"log"
	"net/netip"
	"strings"

	"github.com/msgfilter/msgfilter/geo"
)

func ExampleNumbers_Sender() {
	var numbers geo.Numbers // share one per process
	for _, from := range []string{"+971501234567", "VM-HDFCBK", "72345", "TOO-LONG-SENDER"} {
		s := numbers.Sender(from)
		fmt.Printf("%s: %s country=%q type=%q valid=%v reason=%q\n", from, s.Kind, s.Country, s.NumberType, s.Valid, s.Reason)
	}
	// Output:
	// +971501234567: e164 country="AE" type="mobile" valid=true reason=""
	// VM-HDFCBK: alphanumeric country="" type="" valid=true reason=""
	// 72345: short_code country="" type="" valid=true reason=""
	// TOO-LONG-SENDER: alphanumeric country="" type="" valid=false reason="alphanumeric sender has 15 characters, want at most 11"
}

func ExampleCIDRSet_Contains() {
	set, err := geo.ParseCIDRSet("tenant-a", strings.NewReader("203.0.113.0/24 # office\n2001:db8::/32\n"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(set.Contains(netip.MustParseAddr("203.0.113.9")), set.Contains(netip.MustParseAddr("198.51.100.1")))
	// Output: true false
}
