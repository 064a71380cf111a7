package rules_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/rules"
)

// FuzzQuietSpecUntil checks, for any spec that parses and any minute of
// 2026-2027 in Paris (DST included), that Until never panics, that a quiet
// time ends strictly later, and that the end it reports is itself allowed.
func FuzzQuietSpecUntil(f *testing.F) {
	f.Add(`{"windows": [{"from": "21:00", "to": "07:00"}]}`, int64(0))
	f.Add(`{"windows": [{"from": "20:00", "to": "08:00"}], "closed_weekdays": ["sunday"], "holidays": ["2026-05-14"]}`, int64(7_000_000))
	f.Add(`{"windows": [{"from": "12:30", "to": "13:30"}, {"from": "21:00", "to": "09:00"}]}`, int64(123_456))
	f.Add(`{"closed_weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]}`, int64(42))
	loc, err := rules.LoadZone("Europe/Paris")
	if err != nil {
		f.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	f.Fuzz(func(t *testing.T, src string, minutes int64) {
		var v any
		if json.Unmarshal([]byte(src), &v) != nil {
			return
		}
		spec, err := rules.ParseQuietSpec(v)
		if err != nil {
			return
		}
		now := start.Add(time.Duration(minutes%(2*366*24*60)) * time.Minute)
		until, quiet := spec.Until(now)
		if !quiet {
			return
		}
		if !until.After(now) {
			t.Fatalf("Until(%v) = %v, quiet, want a later instant", now, until)
		}
		if _, again := spec.Until(until); again {
			t.Fatalf("Until(%v) = %v, which is itself quiet", now, until)
		}
	})
}
