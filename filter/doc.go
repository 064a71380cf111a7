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
// Check runs one way through these steps:
//
//  1. validate: a malformed message is a *ValidationError naming the field;
//  2. conversation: the message's last_inbound_at and the state store's
//     snapshot (opt-out, window, session count);
//  3. exact cache: the same message, minute and conversation seen before;
//  4. facts: the body normalized and matched against the destination's
//     term lists, links and phone numbers extracted, the sender and the
//     source IP classified — the input document the policies read
//     (policies/README.md documents it);
//  5. fact cache: the same facts seen before;
//  6. evaluate: one prepared OPA query for the destination and channel
//     (global + country + channel rules) with the message time;
//  7. decide: the strongest action of the reasons (block > defer > review >
//     allow), every reason with its rule id and citation;
//  8. count: a message let through counts against the session, rate and
//     flood limits, atomically in the store; a refusal blocks it.
//
// A cached decision always equals the one the policies would make for the
// same message, clock and revision: every input of a decision is in the
// cache keys, and a new policy revision (Reload, Watch, PollBundle) starts new
// keys.
//
// # Concurrency and zero values
//
// An Engine is safe for concurrent use; its zero value is not usable (call
// New). Message, Decision and Reason are plain values. Options apply in
// order at New; see With* for each.
package filter
