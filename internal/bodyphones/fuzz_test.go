package bodyphones

import (
	"strings"
	"testing"
	"unicode"
)

func FuzzFind(f *testing.F) {
	for _, s := range []string{"", "Call 050 123 4567", "+971 50 123 4567", "Your code is 482913",
		"Pay AED 1,250.00", "2026-11-22", "(((((((1234567", "+", "+-+-+-1", "٠٥٠١٢٣٤٥٦٧", "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8"} {
		f.Add(s, "AE")
	}
	f.Fuzz(func(t *testing.T, body, region string) {
		ns := Find(body, region)
		for _, n := range ns {
			if n.Text == "" || !strings.Contains(body, n.Text) {
				t.Errorf("Find(%q, %q): text %q is not a substring of the body", body, region, n.Text)
			}
			if !strings.HasPrefix(n.E164, "+") || len(n.E164) < 8 || len(n.E164) > 16 {
				t.Errorf("Find(%q, %q): E164 %q is not E.164", body, region, n.E164)
			}
			digits := 0
			for _, r := range n.Text {
				if unicode.IsDigit(r) {
					digits++
				}
			}
			if digits < minDigits {
				t.Errorf("Find(%q, %q): %q has %d digits, fewer than %d", body, region, n.Text, digits, minDigits)
			}
		}
		if again := Find(body, region); len(again) != len(ns) {
			t.Errorf("Find(%q, %q) is not deterministic", body, region)
		}
	})
}
