package policies_test

import (
	"context"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
)

// TestQuietHours checks the shipped packs' quiet-hours specs at their
// boundaries, in the recipient's zone: what Go puts in the facts as
// time.quiet_until.<spec>, which the packs' rules only read. want "" means
// the spec lets the message go.
func TestQuietHours(t *testing.T) {
	set, err := rules.Load(context.Background(), policies.FS)
	if err != nil {
		t.Fatalf("loading the embedded policies: %v", err)
	}
	tests := []struct {
		pack, spec, zone, local, want string
	}{
		{"ae", "promotional", "Asia/Dubai", "2026-03-10T21:00", "2026-03-11T07:00:00+04:00"},
		{"ae", "promotional", "Asia/Dubai", "2026-03-10T20:59", ""},
		{"ae", "promotional", "Asia/Dubai", "2026-03-11T06:59", "2026-03-11T07:00:00+04:00"},
		{"ae", "promotional", "Asia/Dubai", "2026-03-11T07:00", ""},
		{"ae", "promotional", "Asia/Dubai", "2026-12-31T23:30", "2027-01-01T07:00:00+04:00"},

		{"fr", "promotional", "Europe/Paris", "2026-03-10T20:00", "2026-03-11T08:00:00+01:00"},
		{"fr", "promotional", "Europe/Paris", "2026-03-10T19:59", ""},
		{"fr", "promotional", "Europe/Paris", "2026-03-11T07:59", "2026-03-11T08:00:00+01:00"},
		{"fr", "promotional", "Europe/Paris", "2026-03-11T08:00", ""},
		{"fr", "promotional", "Europe/Paris", "2026-03-14T21:00", "2026-03-16T08:00:00+01:00"}, // Saturday night: Sunday is closed
		{"fr", "promotional", "Europe/Paris", "2026-06-13T21:00", "2026-06-15T08:00:00+02:00"},
		{"fr", "promotional", "Europe/Paris", "2026-03-14T12:00", ""},
		{"fr", "promotional", "Europe/Paris", "2026-03-15T12:00", "2026-03-16T08:00:00+01:00"},
		{"fr", "promotional", "Europe/Paris", "2026-03-16T08:00", ""},
		{"fr", "promotional", "Europe/Paris", "2026-03-28T21:00", "2026-03-30T08:00:00+02:00"}, // across spring forward
		{"fr", "promotional", "Europe/Paris", "2026-10-24T21:00", "2026-10-26T08:00:00+01:00"}, // across fall back
		{"fr", "promotional", "Europe/Paris", "2026-05-13T21:00", "2026-05-15T08:00:00+02:00"}, // Ascension eve
		{"fr", "promotional", "Europe/Paris", "2026-05-13T15:00", ""},
		{"fr", "promotional", "Europe/Paris", "2026-07-14T12:00", "2026-07-15T08:00:00+02:00"}, // Bastille Day
		{"fr", "promotional", "Europe/Paris", "2026-07-15T12:00", ""},
		{"fr", "promotional", "Europe/Paris", "2026-04-04T21:00", "2026-04-07T08:00:00+02:00"}, // Easter weekend
		{"fr", "promotional", "Europe/Paris", "2026-12-31T21:00", "2027-01-02T08:00:00+01:00"},

		{"in", "promotional", "Asia/Kolkata", "2026-03-10T21:00", "2026-03-11T09:00:00+05:30"},
		{"in", "promotional", "Asia/Kolkata", "2026-03-10T20:59", ""},
		{"in", "promotional", "Asia/Kolkata", "2026-03-11T08:59", "2026-03-11T09:00:00+05:30"},
		{"in", "promotional", "Asia/Kolkata", "2026-03-11T09:00", ""},
		{"in", "promotional", "Asia/Kolkata", "2026-03-15T12:00", ""}, // Sunday is open

		{"ke", "promotional", "Africa/Nairobi", "2026-03-10T19:00", "2026-03-11T07:00:00+03:00"},
		{"ke", "promotional", "Africa/Nairobi", "2026-03-10T18:59", ""},
		{"ke", "political", "Africa/Nairobi", "2026-03-10T18:00", "2026-03-11T08:00:00+03:00"},
		{"ke", "political", "Africa/Nairobi", "2026-03-10T12:00", ""},

		{"kz", "promotional", "Asia/Almaty", "2026-03-10T21:00", "2026-03-11T09:00:00+05:00"},
		{"kz", "promotional", "Asia/Almaty", "2026-03-10T12:00", ""},
		{"kz", "promotional", "Asia/Almaty", "2026-03-13T21:30", "2026-03-16T09:00:00+05:00"}, // Friday night: the weekend is closed
		{"kz", "promotional", "Asia/Almaty", "2026-03-14T12:00", "2026-03-16T09:00:00+05:00"},

		{"sa", "promotional", "Asia/Riyadh", "2026-03-10T21:00", "2026-03-11T09:00:00+03:00"},
		{"sa", "promotional", "Asia/Riyadh", "2026-03-10T20:59", ""},
		{"sa", "promotional", "Asia/Riyadh", "2026-03-11T09:00", ""},

		{"th", "promotional", "Asia/Bangkok", "2026-03-10T21:00", "2026-03-11T09:00:00+07:00"},
		{"th", "promotional", "Asia/Bangkok", "2026-03-10T20:59", ""},
		{"th", "promotional", "Asia/Bangkok", "2026-03-11T00:00", "2026-03-11T09:00:00+07:00"},
		{"th", "promotional", "Asia/Bangkok", "2026-03-11T08:59", "2026-03-11T09:00:00+07:00"},
		{"th", "promotional", "Asia/Bangkok", "2026-03-11T09:00", ""},

		{"tw", "promotional", "Asia/Taipei", "2026-03-10T12:29", ""},
		{"tw", "promotional", "Asia/Taipei", "2026-03-10T12:30", "2026-03-10T13:30:00+08:00"},
		{"tw", "promotional", "Asia/Taipei", "2026-03-10T13:29", "2026-03-10T13:30:00+08:00"},
		{"tw", "promotional", "Asia/Taipei", "2026-03-10T13:30", ""},
		{"tw", "promotional", "Asia/Taipei", "2026-03-10T20:59", ""},
		{"tw", "promotional", "Asia/Taipei", "2026-03-10T21:00", "2026-03-11T09:00:00+08:00"},
		{"tw", "promotional", "Asia/Taipei", "2026-03-11T08:59", "2026-03-11T09:00:00+08:00"},
		{"tw", "promotional", "Asia/Taipei", "2026-03-11T09:00", ""},

		// The TCPA in the recipient's zone, and the state specs the rules
		// pick by region.
		{"us", "promotional", "America/Los_Angeles", "2026-03-10T21:10", "2026-03-11T08:00:00-07:00"},
		{"us", "promotional", "America/Los_Angeles", "2026-03-10T20:59", ""},
		{"us", "promotional", "America/New_York", "2026-03-10T07:59", "2026-03-10T08:00:00-04:00"},
		{"us", "promotional", "America/New_York", "2026-03-10T08:00", ""},
		{"us", "promotional", "America/New_York", "2026-03-10T20:40", ""},
		{"us", "promotional_US-FL", "America/New_York", "2026-03-10T20:40", "2026-03-11T08:00:00-04:00"},
		{"us", "promotional_US-FL", "America/New_York", "2026-03-10T19:59", ""},
		{"us", "promotional_US-OK", "America/Chicago", "2026-03-10T20:10", "2026-03-11T08:00:00-05:00"},
		{"us", "promotional_US-MD", "America/New_York", "2026-03-10T20:10", "2026-03-11T08:00:00-04:00"},
		{"us", "promotional_US-WA", "America/Los_Angeles", "2026-03-10T20:10", "2026-03-11T08:00:00-07:00"},
	}
	for _, tt := range tests {
		t.Run(tt.pack+"/"+tt.spec+"/"+tt.local, func(t *testing.T) {
			pack := set.Pack("countries/" + tt.pack)
			if pack == nil {
				t.Fatalf("no pack countries/%s", tt.pack)
			}
			spec, ok := pack.QuietHours()[tt.spec]
			if !ok {
				t.Fatalf("countries/%s has no quiet_hours.%s", tt.pack, tt.spec)
			}
			loc, err := time.LoadLocation(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			now, err := time.ParseInLocation("2006-01-02T15:04", tt.local, loc)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if until, quiet := spec.Until(now); quiet {
				got = until.Format(time.RFC3339)
			}
			if got != tt.want {
				t.Errorf("quiet_hours.%s.Until(%s %s) = %q, want %q", tt.spec, tt.local, tt.zone, got, tt.want)
			}
		})
	}
}
