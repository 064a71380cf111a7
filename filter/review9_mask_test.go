package filter

import (
	"fmt"
	"maps"
	"slices"
	"testing"
)

// TestTemplateMaskProbes sends, for each probe, bodies that differ from it
// only in digits first (so that the template entry, and its memo, are
// warm), then the probe, on an engine with every cache and on one with
// none, and requires the same decision and content facts: digits that a
// term, a phone number or the model reads must not be masked into an
// entry made without them. Probes: a term's digit token beside currency
// and separators, leetspeak, non-ASCII digits (Arabic-Indic, Persian,
// fullwidth, Thai, and mixed with ASCII ones), premium-rate and other
// phone numbers, written whole or in groups.
func TestTemplateMaskProbes(t *testing.T) {
	cached, uncached := newEngine(t), newEngine(t, WithCacheSizes(-1, -1))
	const us, gb, in = "+12025550123", "+447400123456", "+919812345678"
	probes := []struct {
		name, rcpt, format string
		siblings           []string // the digits before the probe's
		probe              string
		wantCat            string // a category the probe must have ("" none required)
	}{
		{"term token", us, "Party pack %s ready, see you at 8", []string{"421", "733", "999"}, "420", "drugs"},
		{"term token after a dollar", us, "Party pack $%s ready, see you at 8", []string{"421", "733", "999"}, "420", "drugs"},
		{"term token before cents", us, "Party pack %s.00 ready, see you at 8", []string{"421", "733", "999"}, "420", "drugs"},
		{"term token in parentheses", us, "Party pack (%s) ready, see you at 8", []string{"421", "733", "999"}, "420", "drugs"},
		{"term token after a plus", us, "Party pack +%s ready, see you at 8", []string{"421", "733", "999"}, "420", "drugs"},
		{"term token with a percent", in, "Intraday tips with %s%% accuracy! Jackpot call today", []string{"101", "999", "250"}, "100", "investment"},
		{"term token in a hyphenated word", us, "Range day: bring your ar-%s, 9 sharp", []string{"16", "73", "99"}, "15", "firearms"},
		{"term token spaced", us, "Party pack %s ready, see you at 8", []string{"4 2 1", "7 3 3", "9 9 9"}, "4 2 0", ""},
		{"term token split", us, "Party pack %s ready, see you at 8", []string{"4-21", "7-33", "9-99"}, "4-20", ""},
		{"term token among leetspeak", us, "Fr33 p4rty p4ck %s r3ady, s33 you at 8", []string{"421", "733", "999"}, "420", ""},
		{"term token in Arabic-Indic digits", us, "Party pack %s ready, see you at 8", []string{"٤٢١", "٧٣٣", "٩٩٩"}, "٤٢٠", ""},
		{"term token in Persian digits", us, "Party pack %s ready, see you at 8", []string{"۴۲۱", "۷۳۳", "۹۹۹"}, "۴۲۰", ""},
		{"term token in fullwidth digits", us, "Party pack %s ready, see you at 8", []string{"４２１", "７３３", "９９９"}, "４２０", ""},
		{"term token in Thai digits", us, "Party pack %s ready, see you at 8", []string{"๔๒๑", "๗๓๓", "๙๙๙"}, "๔๒๐", ""},
		{"term token of mixed digits", us, "Party pack %s ready, see you at 8", []string{"43٠", "73٠", "99٠"}, "42٠", ""},
		{"term token of mixed digits, ASCII last", us, "Party pack %s ready, see you at 8", []string{"٤21", "٤33", "٤99"}, "٤20", ""},
		{"premium-rate number whole", gb, "You have won! Call %s to claim your prize today", []string{"02079460000", "01632960000", "02079460123"}, "09061234567", ""},
		{"premium-rate number grouped", gb, "You have won! Call %s to claim your prize today", []string{"0207 946 0000", "0163 296 0000", "0207 946 0123"}, "0906 123 4567", ""},
		{"premium-rate number international", gb, "You have won! Call %s to claim your prize today", []string{"+442079460000", "+441632960000", "+442079460123"}, "+449061234567", ""},
		{"phone number beside an amount", us, "Pay $%s now or call 202 555 0199 today", []string{"10", "25", "99"}, "900", ""},
		{"US premium number", us, "Claim your prize: call %s now", []string{"1-202-555-0100", "1-202-555-0111", "1-202-555-0122"}, "1-900-555-0199", ""},
		{"amount with currency code", us, "Your bill of USD%s is due, pay at acme desk", []string{"421", "733", "999"}, "420", ""},
		{"amount with a euro sign", us, "Your bill of €%s is due, pay at acme desk", []string{"421", "733", "999"}, "420", ""},
	}
	for i, p := range probes {
		if raceEnabled && i%3 != 0 {
			continue
		}
		t.Run(p.name, func(t *testing.T) {
			bodies := make([]string, 0, 2*len(p.siblings)+1)
			for range 2 {
				for _, s := range p.siblings {
					bodies = append(bodies, fmt.Sprintf(p.format, s))
				}
			}
			bodies = append(bodies, fmt.Sprintf(p.format, p.probe))
			for j, body := range bodies {
				m := Message{ID: fmt.Sprint(i, "-", j), Channel: SMS, Kind: Transactional, Sender: "ACME", Recipient: p.rcpt, Body: body}
				got, gotFacts := maskRun(t, cached, &m)
				want, wantFacts := maskRun(t, uncached, &m)
				if !sameDecision(got, want) {
					t.Errorf("%q: %s %v, uncached %s %v", body, got.Action, codes(got), want.Action, codes(want))
				}
				if !slices.Equal(slices.Sorted(maps.Keys(gotFacts.Categories)), slices.Sorted(maps.Keys(wantFacts.Categories))) ||
					gotFacts.Model.Spam != wantFacts.Model.Spam || gotFacts.Model.Fraud != wantFacts.Model.Fraud ||
					len(gotFacts.PhoneNumbers) != len(wantFacts.PhoneNumbers) {
					t.Errorf("%q: content facts %+v, uncached %+v", body, gotFacts, wantFacts)
				}
				if j == len(bodies)-1 && p.wantCat != "" {
					if _, ok := gotFacts.Categories[p.wantCat]; !ok {
						t.Errorf("%q: no category %s", body, p.wantCat)
					}
				}
			}
		})
	}
}

// maskRun checks m on e and returns its decision and content facts.
func maskRun(t *testing.T, e *Engine, m *Message) (Decision, ContentFacts) {
	t.Helper()
	d, _, content := checkOnce(t, e, m)
	return d, content
}
