// Package state keeps what outlives one message: opt-outs, conversation
// windows and the counters behind per-session caps, rate limits and
// duplicate-flood detection. Use it to answer OPTED_OUT,
// OUTSIDE_SESSION_WINDOW, SESSION_LIMIT, RATE_LIMIT and DUPLICATE_FLOOD; the
// policies decide what those facts mean per channel and country.
//
// A Store has three methods, each one atomic step (one round trip for a
// networked store):
//
//   - RecordInbound, for every message a recipient sends: it opens or moves
//     the conversation window and records STOP/START (keyword detection is
//     the caller's).
//   - Snapshot, a read-only view for the facts of a check, optionally with
//     the opt state of another sender of the same tenant and recipient (a
//     brand-wide opt-out) in the same round trip.
//   - Consume, after the policies allowed a message: it checks the limits
//     and counts the message only when none is exceeded. Its Outcome also
//     carries the Snapshot, so a caller that consumes first needs one round
//     trip per message instead of two.
//
// NewMemory is the default, for one node; state/redisstore shares state
// between nodes. Both pass the same conformance suite (state/storetest).
//
// # Semantics
//
// Conversations are per Key (tenant, sender, recipient, channel). Every
// inbound message whose time is newer than the stored one opens a new
// session: LastInbound moves to it and the session counter restarts at 0.
// Older or equal times change nothing, so retries and late deliveries are
// harmless. A conversation is forgotten Retention (default 24 h) after its
// last inbound message; with nothing stored the recipient has not written,
// and the message is outside any window.
//
// Opt-outs are per (tenant, sender, recipient), across channels, and never
// expire or get evicted; the newest opt change by message time wins, so a
// late STOP cannot undo a newer START. A store that cannot keep an opt-out
// says so (ErrUnavailable, ErrFull) instead of acknowledging it.
//
// Limits (all optional, zero disables):
//
//   - Session: at most Session messages while now < LastInbound+SessionWindow
//     (Viber: 60 in 24 h). Outside a session nothing is counted.
//   - Rate: at most Rate messages per (tenant, sender) per fixed window of
//     RateWindow aligned to the Unix epoch (all nodes agree on boundaries;
//     up to 2×Rate may pass around a boundary).
//   - Flood: at most Flood distinct recipients of one template fingerprint
//     per (tenant, sender), a recipient counting while its last message with
//     that fingerprint is younger than FloodWindow.
//
// A bounded store fails closed: it never forgets a live limit counter (a
// rate window not yet over, a flood member still counted) or an opt-out to
// make room. When Memory has no room left for a new counter, Consume
// refuses the message as over that limit; a conversation it cannot keep is
// an ErrFull, and the recipient stays outside any window.
//
// A denied message counts against nothing; Outcome.Exceeded lists every
// limit it would exceed. All time comes from arguments (Inbound.At, now): a
// store never reads the wall clock to decide, so tests and replays are
// deterministic. Redis uses its own clock only to expire keys.
package state
