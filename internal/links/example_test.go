package links_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/msgfilter/msgfilter/internal/links"
)

func ExampleAnalyzer_Analyze() {
	feed, err := links.LoadFeed(strings.NewReader("# phishing feed\nparcel-fee.example.com\n"))
	if err != nil {
		log.Fatal(err)
	}
	a, err := links.New(links.Config{Feed: feed})
	if err != nil {
		log.Fatal(err)
	}
	body := "Your parcel is held. Pay at https://parcel-fee.example.com/pay, see bit.ly/3xYz or https://аpple.com/id. Thanks.Bye"
	for _, l := range a.Analyze(body) {
		fmt.Printf("%s host=%s domain=%s shortener=%t homograph_of=%q phishing=%t\n",
			l.URL, l.Host, l.Domain, l.Shortener, l.HomographOf, l.Phishing)
	}
	// Output:
	// https://parcel-fee.example.com/pay host=parcel-fee.example.com domain=example.com shortener=false homograph_of="" phishing=true
	// bit.ly/3xYz host=bit.ly domain=bit.ly shortener=true homograph_of="" phishing=false
	// https://аpple.com/id host=xn--pple-43d.com domain=xn--pple-43d.com shortener=false homograph_of="apple.com" phishing=false
}

func ExampleNormalizeHost() {
	ascii, uni, err := links.NormalizeHost("ＢÜCHER。de")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ascii, uni)
	// Output: xn--bcher-kva.de bücher.de
}
