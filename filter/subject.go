package filter

// Same-subject limits: Florida, Oklahoma and Maryland allow at most three
// promotional messages on one subject to a recipient in 24 hours
// (policies/countries/us, rule us/same-subject-limit). A subject is a
// campaign: the band keys of the body's near-duplicate fingerprint
// (campaign.go), so one changed word is the same subject.
//
// Only where the destination pack's same_subject_limit names the
// recipient's region, and only for promotional messages, stage state reads
// the count from a store that implements state.Subjects, before the
// exact cache; the fact conversation.same_subject_24h is set once the count
// reaches the limit (below it the facts repeat and the caches work), and
// the policies defer the message until the oldest send leaves the window.
// Other traffic pays nothing. A message let through is recorded after the
// decision (stage decide, after count), so messages the policies or the
// limits refuse count against nothing. Both caches key on the fact: the
// fact cache through the walk, the exact cache through exactKey.

import (
	"errors"
	"fmt"
	"time"

	"github.com/msgfilter/msgfilter/state"
)

// subjectWindow is the window of same_subject_24h.
const subjectWindow = 24 * time.Hour

// subjects returns the engine's store as a state.Subjects, or nil.
func (e *Engine) subjects() state.Subjects {
	if e.conv == nil {
		return nil
	}
	return e.conv.subjects
}

// sameSubject (part of stage state) reads the campaign's sends to the
// recipient when a same-subject limit applies, and sets c.subject to it.
func (c *check) sameSubject() error {
	st := c.e.subjects()
	lim := c.p.pack(c.dest).sameSubject
	if st == nil || len(lim) == 0 || c.msg.Kind != Promotional {
		return nil
	}
	z := c.zone
	if z.Default == nil || lim[z.Region] == 0 {
		return nil // a number of no known region: no state's limit applies
	}
	if c.print = c.campaignBands(); c.print == nil {
		return nil // no words: no subject
	}
	c.subject = lim[z.Region]
	ctx, err := c.storeCtx()
	if err != nil {
		return err
	}
	got, err := st.RecentSubject(ctx, c.print.bands[:], c.rcpt.E164, subjectWindow, c.now)
	if err != nil {
		return fmt.Errorf("filter: reading same-subject sends: %w", err)
	}
	if got.Count >= c.subject {
		// Rounded up: a retry at the second printed must find the window
		// open.
		reopens := got.Reopens.Add(time.Second - 1).Truncate(time.Second)
		c.facts.Conversation.SameSubject = SameSubjectFacts{
			Count:   got.Count,
			Reopens: reopens.In(c.now.Location()).Format(time.RFC3339),
		}
	}
	return nil
}

// recordSubject (part of stage decide) records a message let through
// against its campaign's sends to the recipient, where sameSubject read
// them.
func (c *check) recordSubject() error {
	st := c.e.subjects()
	if st == nil || c.subject == 0 || c.print == nil || c.d.Action != Allow && c.d.Action != Review {
		return nil
	}
	ctx, err := c.storeCtx()
	if err != nil {
		return err
	}
	err = st.RecordSubject(ctx, c.print.bands[:], c.rcpt.E164, subjectWindow, c.now)
	if errors.Is(err, state.ErrInvalid) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("filter: recording same-subject send: %w", err)
	}
	return nil
}
