// Package filter decides whether a business message (A2P SMS, Viber,
// WhatsApp, Messenger, RCS) may be sent to its destination country. Use it
// in a gateway: build one Engine at start-up with New, call Check for every
// outgoing message and Inbound for every message a recipient sends.
//
//	engine, err := filter.New() // the embedded policies of package policies
//	if err != nil {
//		log.Fatal(err)
//	}
//	d, err := engine.Check(ctx, &filter.Message{
//		ID: "m-1", Channel: filter.SMS, Kind: filter.Promotional,
//		Sender: "AD-Noon", Recipient: "+971501234567", Body: "White Friday: 70% off",
//	})
//	switch {
//	case err != nil: // could not decide: d follows WithFailMode
//	case d.Action == filter.Defer: // send at d.Until
//	case d.Action != filter.Allow: // hold (review) or drop (block); d.Reasons say why
//	}
//
// # The pipeline
//
// Check runs one way through these stages (check.go; one method each, called
// in this order by check.run):
//
//  1. validate: a malformed message is a *ValidationError naming the field;
//     the destination is the recipient's country (a country that disagrees
//     with it is invalid; the message's only for a non-geographic
//     recipient); times are bounded (MinTime, MaxClockSkew);
//  2. state: the conversation, from the message's last_inbound_at and the
//     state store (opt-out of the tenant's brand or the sender, see
//     OptOutScope; window; session count; for a promotional message to a
//     region with a same-subject limit, its campaign's sends to the
//     recipient in 24 h, subject.go). It comes before the exact cache
//     because it is part of what that cache must key on;
//  3. exact cache: the same message, minute and conversation seen before
//     (a decision is put there at its key's second sighting: most bodies
//     never repeat, and each put evicts one that may);
//  4. extract: what every character of the body counts for: the links and
//     the phone numbers (both found after the template cache, which may
//     hold the body's links or show there are no numbers), with the lists
//     they are on, and the DLT template;
//  5. template cache: the facts of stages 6 to 8 (and the campaign
//     fingerprint, the STOP keyword, whether the body's shape rules out
//     phone numbers, and the links of a body that may hold one, which is
//     keyed as written) of a body seen before but for digits shown not to
//     matter, such as a fresh one-time code (template.go says why they
//     cannot), at any destination: an entry keeps the hits of the
//     automaton every destination's terms share, and the check projects
//     its destination's terms from them;
//  6. normalize: the body's normalized forms, shared by every matcher;
//  7. match: the destination's terms, the opt-out lists' instructions and
//     the STOP keyword;
//  8. classify: the content model's spam and fraud probabilities for the
//     body, with what reports taught it (model.go; Engine.Report); the
//     campaign's near-duplicate fingerprint and, from a store that keeps
//     the fleet's history (state.Fleet), the links' first sightings and
//     whether the campaign was reported (campaign.go);
//  9. enrich: the sender's kind, country and registration, the recipient,
//     the source address, the recipient's local time and the quiet hours
//     that hold the message (localtime.go);
//  10. facts: the input document the policies read (policies/README.md
//     documents it), built as OPA's input value in one walk that also
//     hashes it for the fact cache; a template hit whose facts are, field
//     by field, those its entry's memo was decided for takes the memo's
//     decision instead, with no walk and no lookup (template.go, factMemo);
//  11. fact cache: the same facts seen before, or, by a second key, the
//     same facts the destination's query can see (rules.Reads; cache.go);
//  12. evaluate: the prepared OPA query for the destination and channel
//     (global + country + channel rules) with the message time, part by
//     part: each part (a pack's definitions, rules.Set.Parts) whose own
//     read key was seen gives its cached findings, and only the others are
//     evaluated (parts.go);
//  13. decide: the strongest action of the reasons (block > defer > review >
//     allow), every reason with its rule id and citation; the decision is
//     cached at both levels, and a message let through is counted against
//     its campaign's recipients (campaign.go) and the session, rate and
//     flood limits, atomically in the store: a refusal blocks it, a rate
//     limit alone defers it until its window reopens (conversation.go); then, where stage state read them, it is recorded
//     among its campaign's sends to the recipient (subject.go).
//
// The check has one deadline (the context's, or WithCheckBudget's from the
// first stage that waits), and every stage that waits, state store calls
// included, runs under it. Whatever the
// stages end with is settled in one place (check.settle): a decision, or,
// when they could not decide (an error, a panic, the deadline), the fail
// mode's. Metrics and the decision log only observe, and so does
// WithShadow, which repeats sampled checks on a candidate revision after
// they are settled, off the caller's path (shadow.go).
//
// A cached decision always equals the one the policies would make for the
// same message, clock, stored state and revision: every input of a decision
// is in the cache keys, and a new policy revision (Reload, Watch,
// PollBundle) starts new keys. A report (Engine.Report) starts new exact
// cache keys too; with reports shared through the store, which another node
// may change at any time, the exact cache is not used.
//
// Building a revision (packs, matchers, link analyzer, limits, zones) is in
// revision.go; swapping revisions in reload.go and watch.go.
//
// # Concurrency and zero values
//
// An Engine is safe for concurrent use; its zero value decides nothing
// (its methods return ErrZeroEngine): call New. Message, Decision and Reason
// are plain values. Options apply in order at New; see With* for each (all
// in options.go): zero means the default, Off turns a size or duration off.
package filter
