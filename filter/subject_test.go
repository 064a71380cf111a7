package filter

import (
	"strings"
	"testing"
	"time"
)

// subjectBody is a promotion with word i of a few swapped, so that each
// message differs from the others by one word: one subject.
func subjectBody(i int) string {
	words := strings.Fields("Spring sale at Harbor Shoes: 20% off every sneaker and sandal in our Brickell store this week, bring a friend and save more")
	swaps := []string{"every", "each", "all", "any"}
	words[6] = swaps[i%len(swaps)]
	return strings.Join(words, " ") + ". Reply STOP to opt out"
}

// otherSubject is another campaign of the same sender.
const otherSubject = "Your Harbor Shoes rewards card now holds 500 points: redeem them online or at any counter before the end of May. Reply STOP to opt out"

// subjectStart is 12:00 in Miami and New York (EDT), inside both states'
// promotional hours.
var subjectStart = time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)

// testSameSubject: of four near-identical promotions to a Miami number in
// a few hours, three pass and the fourth is deferred with RATE_LIMIT until
// the first leaves the 24 hours; the ham twins (the same four to New York,
// which has no such limit, and another campaign to the same Miami number)
// pass.
func testSameSubject(t *testing.T, engines []*Engine) {
	t.Helper()
	var msgs []Message
	for _, rcpt := range []string{"+13055550100", "+12125550100"} {
		for i := range 4 {
			msgs = append(msgs, Message{ID: rcpt + "-" + string(rune('a'+i)), Channel: SMS, Kind: Promotional, Sender: "+14155550123",
				Recipient: rcpt, Body: subjectBody(i), Time: subjectStart.Add(time.Duration(i) * 20 * time.Minute)})
		}
	}
	msgs = append(msgs, Message{ID: "other", Channel: SMS, Kind: Promotional, Sender: "+14155550123",
		Recipient: "+13055550100", Body: otherSubject, Time: subjectStart.Add(2 * time.Hour)})
	ds := checkRun(t, engines, msgs)
	for i, d := range ds {
		if i == 3 {
			wantUntil := subjectStart.Add(24 * time.Hour)
			if d.Action != Defer || !hasCode(d, RateLimit) || !d.Until.Equal(wantUntil) || d.Reasons[0].Rule != "us/same-subject-limit" {
				t.Errorf("%s: %s %v until %v, want defer with RATE_LIMIT (us/same-subject-limit) until %v", msgs[i].ID, d.Action, d.Reasons, d.Until, wantUntil)
			}
			continue
		}
		if d.Action != Allow {
			t.Errorf("%s: %s %v, want allow", msgs[i].ID, d.Action, d.Reasons)
		}
	}
	// The deferred message was not counted: at the time it was told, the
	// window holds two and it passes.
	if ds[3].Until.IsZero() {
		t.FailNow()
	}
	retry := msgs[3]
	retry.Time = ds[3].Until
	if d := checkRun(t, engines, []Message{retry}); d[0].Action != Allow {
		t.Errorf("retry at %v: %s %v, want allow", retry.Time, d[0].Action, d[0].Reasons)
	}
}

func TestSameSubjectMemory(t *testing.T) {
	testSameSubject(t, []*Engine{newEngine(t)})
}

func TestSameSubjectRedisTwoEngines(t *testing.T) {
	testSameSubject(t, redisEngines(t, 2))
}

// TestSameSubjectOnlyWhereNeeded: traffic outside the limited regions, or
// not promotional, has no same-subject fact and records nothing.
func TestSameSubjectOnlyWhereNeeded(t *testing.T) {
	e := newEngine(t)
	if e.policy.Load().pack("US").sameSubject["US-FL"] != 3 {
		t.Fatalf("US pack same_subject_limit[US-FL] = %v, want 3", e.policy.Load().pack("US").sameSubject)
	}
	for _, tc := range []struct {
		name string
		rcpt string
		kind Kind
	}{
		{"new york promotional", "+12125550100", Promotional},
		{"miami transactional", "+13055550100", Transactional},
		{"germany promotional", "+4915123456001", Promotional},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.newCheck(t.Context(), &Message{ID: "m", Channel: SMS, Kind: tc.kind, Sender: "+14155550123",
				Recipient: tc.rcpt, Body: subjectBody(0), Time: subjectStart}, false)
			if err := c.validate(); err != nil {
				t.Fatal(err)
			}
			if err := c.state(); err != nil {
				t.Fatal(err)
			}
			if c.subject != 0 || c.print != nil {
				t.Errorf("subject limit %d, bands computed %v; want none", c.subject, c.print != nil)
			}
		})
	}
}
