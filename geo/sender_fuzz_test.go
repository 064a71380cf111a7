package geo

import (
	"fmt"
	"strings"
	"testing"
)

func FuzzClassifySender(f *testing.F) {
	for _, s := range []string{"+37477123456", "37477123456", "72345", "HSBC", "VM-HDFCBK", "", "+", "++1", "Банк", "\xff", "+6837012"} {
		f.Add(s)
	}
	var n Numbers
	f.Fuzz(func(t *testing.T, s string) {
		got := ClassifySender(s)
		if again := ClassifySender(s); again != got {
			t.Fatalf("ClassifySender(%q) not deterministic: %+v then %+v", s, got, again)
		}
		if cached := n.Sender(s); cached != got {
			t.Fatalf("Numbers.Sender(%q) = %+v, want %+v", s, cached, got)
		}
		if got.Raw != s {
			t.Fatalf("ClassifySender(%q).Raw = %q", s, got.Raw)
		}
		if got.Valid != (got.Reason == "") {
			t.Fatalf("ClassifySender(%q) = %+v: Valid must equal Reason == \"\"", s, got)
		}
		if got.Kind == KindInvalid && got.Valid {
			t.Fatalf("ClassifySender(%q) = %+v: invalid kind marked valid", s, got)
		}
		if got.Country != "" && !IsCountry(got.Country) {
			t.Fatalf("ClassifySender(%q).Country = %q, not a country", s, got.Country)
		}
		if got.Kind != KindE164 && (got.Country != "" || got.NumberType != "") {
			t.Fatalf("ClassifySender(%q) = %+v: country or type on a non-E.164 sender", s, got)
		}
		if got.Valid && got.Kind == KindAlphanumeric && len(strings.TrimSpace(s)) > maxAlphanumeric {
			t.Fatalf("ClassifySender(%q) accepted a long alphanumeric", s)
		}
		r, err := ParseRecipient(s)
		if (err == nil) == (r == Recipient{}) {
			t.Fatalf("ParseRecipient(%q) = %+v, %v: want exactly one of result or error", s, r, err)
		}
		if cr, cerr := n.Recipient(s); cr != r || fmt.Sprint(cerr) != fmt.Sprint(err) {
			t.Fatalf("Numbers.Recipient(%q) = %+v, %v, want %+v, %v", s, cr, cerr, r, err)
		}
	})
}
