package filter

import (
	"context"
	"testing"
	"time"
)

// TestRecipientClock checks that quiet hours follow the recipient's own
// clock: the zone of the number, the strictest of several, the state's
// hours by region, and a country's own zone without a pack.
func TestRecipientClock(t *testing.T) {
	e := newEngine(t)
	// Quiet hours bind marketing; a transactional row carries a
	// transactional body, since marketing declared transactional is what
	// SPAM_SUSPECTED is for, whether or not the model catches this one.
	const promo = "Spring sale: 20% off everything. Reply STOP to opt out"
	const notice = "Your order 4417 has shipped and arrives Thursday. Reply HELP for help"
	tests := []struct {
		name       string
		recipient  string
		kind       Kind
		at         time.Time
		wantAction Action
		wantRule   string
		wantUntil  string // RFC 3339, with defer
		wantZone   string // time.zone
		wantRegion string
	}{
		{"san francisco 21:10 pacific, past midnight in new york", "+14155550100", Promotional,
			time.Date(2026, 3, 11, 4, 10, 0, 0, time.UTC), Defer, "us/promotional-quiet-hours", "2026-03-11T08:00:00-07:00", "America/Los_Angeles", "US-CA"},
		{"san francisco 20:50 pacific, 23:50 in new york", "+14155550100", Promotional,
			time.Date(2026, 3, 11, 3, 50, 0, 0, time.UTC), Allow, "", "", "America/Los_Angeles", "US-CA"},
		{"miami 20:40, florida's hours", "+13055550100", Promotional,
			time.Date(2026, 3, 11, 0, 40, 0, 0, time.UTC), Defer, "us/fl-quiet-hours", "2026-03-11T08:00:00-04:00", "America/New_York", "US-FL"},
		{"new york 20:40, the federal hours", "+12125550100", Promotional,
			time.Date(2026, 3, 11, 0, 40, 0, 0, time.UTC), Allow, "", "", "America/New_York", "US-NY"},
		{"miami 22:00 transactional", "+13055550100", Transactional,
			time.Date(2026, 3, 11, 2, 0, 0, 0, time.UTC), Allow, "", "", "America/New_York", "US-FL"},
		// A toll-free number may ring from Guam to Adak: 14:00 in New York
		// is 04:00 in Guam (UTC+10), so the strictest reading waits for
		// 08:00 there.
		{"toll-free number, strictest of its zones", "+18002752273", Promotional,
			time.Date(2026, 3, 11, 18, 0, 0, 0, time.UTC), Defer, "us/promotional-quiet-hours", "2026-03-12T08:00:00+10:00", "America/New_York", ""},
		// Egypt has no pack: its own clock, not UTC (no rule reads it).
		{"country without a pack", "+201012345678", Promotional,
			time.Date(2026, 3, 11, 22, 30, 0, 0, time.UTC), Allow, "", "", "Africa/Cairo", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := promo
			if tt.kind == Transactional {
				body = notice
			}
			m := Message{ID: "m", Channel: SMS, Kind: tt.kind, Sender: "+14155550123", Recipient: tt.recipient, Body: body, Time: tt.at}
			x, err := e.Explain(context.Background(), &m)
			if err != nil {
				t.Fatal(err)
			}
			d := x.Decision
			if d.Action != tt.wantAction {
				t.Fatalf("Check(%s at %s) = %s %v, want %s", tt.recipient, tt.at, d.Action, codes(d), tt.wantAction)
			}
			if tt.wantRule != "" {
				if len(d.Reasons) != 1 || d.Reasons[0].Rule != tt.wantRule || d.Until.Format(time.RFC3339) != tt.wantUntil {
					t.Errorf("Check(%s at %s) = %v until %s, want %s until %s", tt.recipient, tt.at, d.Reasons, d.Until.Format(time.RFC3339), tt.wantRule, tt.wantUntil)
				}
			}
			if f := x.Facts; f.Time.Zone != tt.wantZone || f.Recipient.Region != tt.wantRegion {
				t.Errorf("facts time.zone %q recipient.region %q, want %q %q", f.Time.Zone, f.Recipient.Region, tt.wantZone, tt.wantRegion)
			}
		})
	}
}
