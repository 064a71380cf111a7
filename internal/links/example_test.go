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

func ExampleRisk() {
	a, err := links.New(links.Config{})
	if err != nil {
		log.Fatal(err)
	}
	body := "Verify at https://paypal-secure-login.com/signin or http://login.paypal.com.secure-verify.co.uk/x, not https://www.paypal.com/signin"
	for _, l := range a.Analyze(body) {
		r := l.Risk
		fmt.Printf("%s brand_of=%q combosquat=%t brand_in_subdomain=%t credential_path=%t\n",
			l.Domain, r.BrandOf, r.Combosquat, r.BrandInSubdomain, r.CredentialPath)
	}
	// Output:
	// paypal-secure-login.com brand_of="paypal.com" combosquat=true brand_in_subdomain=false credential_path=true
	// secure-verify.co.uk brand_of="paypal.com" combosquat=false brand_in_subdomain=true credential_path=false
	// paypal.com brand_of="" combosquat=false brand_in_subdomain=false credential_path=true
}

func ExampleParseBrands() {
	brands, err := links.ParseBrands(strings.NewReader(`{"brands": [
		{"name": "Emirates NBD", "country": "AE", "domains": ["emiratesnbd.com"]}
	]}`))
	if err != nil {
		log.Fatal(err)
	}
	a, err := links.New(links.Config{Brands: brands, NoBuiltinBrands: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range a.Analyze("emirates-nbd.com/login and emiratesnbd.com") {
		fmt.Println(l.Domain, l.Risk.BrandOf, l.Risk.Combosquat)
	}
	// Output:
	// emirates-nbd.com emiratesnbd.com true
	// emiratesnbd.com  false
}
