package model_test

import (
	"slices"
	"testing"

	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// linkShapes returns the shapes Extract and Links find in body.
func linkShapes(t *testing.T, body string) []string {
	t.Helper()
	var (
		tx textnorm.Text
		f  model.Features
	)
	tx.Reset(body)
	f.Extract(&tx)
	f.Links(model.LinkAnalyzer().Analyze(body))
	return f.ShapeNames()
}

// TestLinkShapes: what the link analysis says of a body's links becomes
// the model's shapes, and every case has a twin without the sign: a brand
// on its own domain, a common TLD, a notice without lure words. Machine-made
// names and CDN hosts are no sign (linkSigns says why).
func TestLinkShapes(t *testing.T) {
	const (
		brandTxt = "brand named beside a link not its own"
		imitates = "link imitating a brand"
		abused   = "link on an abused TLD"
		lookLike = "link in look-alike letters"
		lure     = "risky link and lure words"
		many     = "link with several risk signs"
	)
	all := []string{brandTxt, imitates, abused, lookLike, lure, many}
	cases := []struct {
		name, body string
		has        []string
	}{
		{"machine-made name", "Your parcel is waiting: https://appsflyer.com/p/4471", nil},
		{"machine-made ID on a CDN", "Your parcel is waiting: https://d2x7kq9vb1c4mz.cloudfront.net/p/4471", nil},
		{"abused TLD and lure words", "Your account is suspended, verify now: https://shopwise.cc/a", []string{abused, lure}},
		{"lure words and a common TLD", "Your account is suspended, verify now: https://shopwise.com/a", nil},
		{"brand named beside a foreign link", "PayPal: a payment of $349.99 is pending, review it at https://review-pending.com/r", []string{brandTxt}},
		{"brand on its own domain", "PayPal: your receipt is at https://www.paypal.com/activity", nil},
		{"typosquat", "Receipt at https://paypa1.com/activity", []string{imitates}},
		{"abused TLD", "Your order: https://shopwise.cc/o/5512", []string{abused}},
		{"common TLD", "Your order: https://shopwise.com/o/5512", nil},
		{"punycode look-alike of a brand", "Sign in at https://xn--pypal-4ve.com/", []string{lookLike, imitates, many}},
		{"no link", "Your account is suspended, call us", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := linkShapes(t, c.body)
			for _, s := range all {
				if want := slices.Contains(c.has, s); slices.Contains(got, s) != want {
					t.Errorf("%q: %q found = %v, want %v (shapes %q)", c.body, s, !want, want, got)
				}
			}
		})
	}
}

// TestLinksDoesNotAllocate: the engine calls Links on every scored body.
func TestLinksDoesNotAllocate(t *testing.T) {
	const body = "Your account is suspended, verify now: https://shopwise.cc/a"
	ls := model.LinkAnalyzer().Analyze(body)
	var (
		tx textnorm.Text
		f  model.Features
	)
	tx.Reset(body)
	f.Extract(&tx)
	if n := testing.AllocsPerRun(100, func() { f.Extract(&tx); f.Links(ls) }); n != 0 {
		t.Errorf("Extract and Links: %v allocations, want 0", n)
	}
}
