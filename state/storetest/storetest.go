// Package storetest is the conformance suite every state.Store must pass. Use
// it from the tests of a Store implementation so that the in-memory and the
// Redis store (and any other) behave the same way:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) state.Store {
//			return state.NewMemory(state.MemoryConfig{})
//		})
//	}
//
// The factory must return an empty store with a retention of
// state.DefaultRetention (24 h) for every call, isolated from other calls.
package storetest

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/state"
)

// T0 is the suite's reference time: 2026-03-01 10:00:00 UTC.
var T0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

var (
	base   = state.Key{Tenant: "t1", Sender: "ACME", Recipient: "+37491000001", Channel: "viber"}
	viber  = state.Limits{Session: 60, SessionWindow: 24 * time.Hour}
	minute = state.Limits{Rate: 3, RateWindow: time.Minute}
)

func with(k state.Key, f func(*state.Key)) state.Key { f(&k); return k }

type env struct {
	t   *testing.T
	ctx context.Context
	s   state.Store
}

func (e env) inbound(in state.Inbound) {
	e.t.Helper()
	if err := e.s.RecordInbound(e.ctx, in); err != nil {
		e.t.Fatalf("RecordInbound(%+v) = %v, want nil", in, err)
	}
}

func (e env) snapshot(k state.Key, now time.Time) state.Snapshot {
	e.t.Helper()
	return e.snapshotWith(k, "", now)
}

// snapshotWith reads k with the opt state of optOutSender.
func (e env) snapshotWith(k state.Key, optOutSender string, now time.Time) state.Snapshot {
	e.t.Helper()
	snap, err := e.s.Snapshot(e.ctx, k, optOutSender, now)
	if err != nil {
		e.t.Fatalf("Snapshot(%+v, %q, %v) = %v, want nil error", k, optOutSender, now, err)
	}
	return snap
}

func (e env) consume(k state.Key, l state.Limits, fp string, now time.Time) state.Outcome {
	e.t.Helper()
	out, err := e.s.Consume(e.ctx, k, l, fp, now)
	if err != nil {
		e.t.Fatalf("Consume(%+v, %q, %v) = %v, want nil error", k, fp, now, err)
	}
	return out
}

// wantOutcome compares the fields of an Outcome that a case cares about.
func (e env) wantOutcome(what string, got state.Outcome, allowed bool, exceeded state.Limit) {
	e.t.Helper()
	if got.Allowed != allowed || got.Exceeded != exceeded {
		e.t.Fatalf("%s: Allowed, Exceeded = %v, %v; want %v, %v (outcome %+v)", what, got.Allowed, got.Exceeded, allowed, exceeded, got)
	}
}

// behaviour is one case of the suite.
type behaviour struct {
	name string
	run  func(e env)
}

// behaviours is the table Run walks.
var behaviours = []behaviour{
	{"EmptyStoreKnowsNothing", func(e env) {
		if got := e.snapshot(base, T0); got != (state.Snapshot{}) {
			e.t.Errorf("Snapshot(empty) = %+v, want zero", got)
		}
	}},
	{"InboundOpensWindow", func(e env) {
		e.inbound(state.Inbound{Key: base, At: T0})
		got := e.snapshot(base, T0.Add(time.Hour))
		want := state.Snapshot{LastInbound: T0, HasInbound: true}
		if !got.LastInbound.Equal(want.LastInbound) || got.HasInbound != want.HasInbound || got.OptedOut || got.SessionCount != 0 {
			e.t.Errorf("Snapshot = %+v, want %+v", got, want)
		}
		if other := e.snapshot(with(base, func(k *state.Key) { k.Channel = "whatsapp" }), T0.Add(time.Hour)); other.HasInbound {
			e.t.Errorf("Snapshot(other channel) = %+v, want no inbound", other)
		}
	}},
	{"WindowForgottenAfterRetention", func(e env) {
		e.inbound(state.Inbound{Key: base, At: T0})
		if got := e.snapshot(base, T0.Add(state.DefaultRetention-time.Millisecond)); !got.HasInbound {
			e.t.Errorf("Snapshot(retention-1ms).HasInbound = false, want true")
		}
		if got := e.snapshot(base, T0.Add(state.DefaultRetention)); got.HasInbound {
			e.t.Errorf("Snapshot(retention).HasInbound = true, want false")
		}
	}},
	{"NewerInboundMovesWindowOlderDoesNot", func(e env) {
		e.inbound(state.Inbound{Key: base, At: T0.Add(time.Hour)})
		e.inbound(state.Inbound{Key: base, At: T0}) // delivered late
		if got := e.snapshot(base, T0.Add(2*time.Hour)); !got.LastInbound.Equal(T0.Add(time.Hour)) {
			e.t.Errorf("LastInbound = %v, want %v", got.LastInbound, T0.Add(time.Hour))
		}
	}},
	{"OptOutCoversAllChannelsOfThatSenderOnly", func(e env) {
		sms := with(base, func(k *state.Key) { k.Channel = "sms" })
		e.inbound(state.Inbound{Key: sms, At: T0, OptOut: true})
		for _, tc := range []struct {
			name string
			k    state.Key
			want bool
		}{
			{"same channel", sms, true},
			{"other channel", base, true},
			{"other sender", with(base, func(k *state.Key) { k.Sender = "OTHER" }), false},
			{"other tenant", with(base, func(k *state.Key) { k.Tenant = "t2" }), false},
			{"other recipient", with(base, func(k *state.Key) { k.Recipient = "+37491000002" }), false},
		} {
			if got := e.snapshot(tc.k, T0.Add(time.Minute)).OptedOut; got != tc.want {
				e.t.Errorf("%s: OptedOut = %v, want %v", tc.name, got, tc.want)
			}
		}
	}},
	{"OptOutOfAnotherSenderAnswers", func(e env) {
		// A brand's opt-out, kept under one sender for all its senders,
		// read with one sender's conversation.
		brand := with(base, func(k *state.Key) { k.Sender, k.Channel = "*", "" })
		at := T0.Add(time.Minute)
		e.inbound(state.Inbound{Key: base, At: T0})
		e.inbound(state.Inbound{Key: brand, At: T0, OptOut: true})
		got := e.snapshotWith(base, brand.Sender, at)
		if !got.OptedOut || !got.HasInbound || !got.LastInbound.Equal(T0) {
			e.t.Errorf("Snapshot(conversation, brand opted out) = %+v, want opted out with the conversation's inbound", got)
		}
		if own := e.snapshot(base, at); own.OptedOut {
			e.t.Errorf("Snapshot(conversation alone) = %+v, want the sender's own opt state: not opted out", own)
		}
		// Ham twin: the other key's answer wins over the sender's own.
		e.inbound(state.Inbound{Key: base, At: T0.Add(time.Second), OptOut: true})
		e.inbound(state.Inbound{Key: brand, At: T0.Add(2 * time.Second), OptIn: true})
		if got := e.snapshotWith(base, brand.Sender, at); got.OptedOut {
			e.t.Errorf("Snapshot(sender opted out, brand opted in) = %+v, want not opted out", got)
		}
		if got := e.snapshot(base, at); !got.OptedOut {
			e.t.Errorf("Snapshot(sender opted out, alone) = %+v, want opted out", got)
		}
		if got := e.snapshotWith(base, "NOBODY", at); got.OptedOut || !got.HasInbound {
			e.t.Errorf("Snapshot(other sender never recorded) = %+v, want not opted out, with inbound", got)
		}
		other := with(base, func(k *state.Key) { k.Tenant = "t2" })
		e.inbound(state.Inbound{Key: other, At: T0})
		if got := e.snapshotWith(other, brand.Sender, at); got.OptedOut {
			e.t.Errorf("Snapshot(another tenant's brand) = %+v, want not opted out", got)
		}
	}},
	{"OptOutOutlivesRetention", func(e env) {
		e.inbound(state.Inbound{Key: base, At: T0, OptOut: true})
		got := e.snapshot(base, T0.Add(90*24*time.Hour))
		if !got.OptedOut || got.HasInbound {
			e.t.Errorf("Snapshot(90 days later) = %+v, want opted out without inbound", got)
		}
	}},
	{"OptInClearsOptOut", func(e env) {
		e.inbound(state.Inbound{Key: base, At: T0, OptOut: true})
		e.inbound(state.Inbound{Key: base, At: T0.Add(time.Minute), OptIn: true})
		if got := e.snapshot(base, T0.Add(2*time.Minute)); got.OptedOut {
			e.t.Errorf("OptedOut after opt-in = true, want false")
		}
	}},
	{"LateOptOutDoesNotUndoNewerOptIn", func(e env) {
		e.inbound(state.Inbound{Key: base, At: T0.Add(time.Minute), OptIn: true})
		e.inbound(state.Inbound{Key: base, At: T0, OptOut: true}) // older STOP delivered late
		if got := e.snapshot(base, T0.Add(2*time.Minute)); got.OptedOut {
			e.t.Errorf("OptedOut = true, want false: the newer opt-in wins")
		}
		e.inbound(state.Inbound{Key: base, At: T0.Add(3 * time.Minute), OptOut: true})
		e.inbound(state.Inbound{Key: base, At: T0.Add(3 * time.Minute), OptOut: true}) // a retry
		if got := e.snapshot(base, T0.Add(4*time.Minute)); !got.OptedOut {
			e.t.Errorf("OptedOut = false, want true after a newer opt-out")
		}
	}},
	{"SessionLimitStopsThe61st", func(e env) {
		e.inbound(state.Inbound{Key: base, At: T0})
		for i := 1; i <= 60; i++ {
			out := e.consume(base, viber, "", T0.Add(time.Duration(i)*time.Second))
			e.wantOutcome("message "+itoa(i), out, true, 0)
			if out.SessionCount != i || out.Snapshot.SessionCount != i-1 {
				e.t.Fatalf("message %d: SessionCount = %d (before %d), want %d (before %d)", i, out.SessionCount, out.Snapshot.SessionCount, i, i-1)
			}
		}
		out := e.consume(base, viber, "", T0.Add(time.Hour))
		e.wantOutcome("message 61", out, false, state.LimitSession)
		if out.SessionCount != 60 {
			e.t.Errorf("denied message: SessionCount = %d, want 60 (nothing counted)", out.SessionCount)
		}
		if got := e.snapshot(base, T0.Add(time.Hour)).SessionCount; got != 60 {
			e.t.Errorf("Snapshot.SessionCount = %d, want 60", got)
		}
		other := with(base, func(k *state.Key) { k.Recipient = "+37491000002" })
		e.inbound(state.Inbound{Key: other, At: T0})
		e.wantOutcome("other recipient", e.consume(other, viber, "", T0.Add(time.Hour)), true, 0)
	}},
	{"NewInboundOpensNewSession", func(e env) {
		l := state.Limits{Session: 2, SessionWindow: 24 * time.Hour}
		e.inbound(state.Inbound{Key: base, At: T0})
		e.consume(base, l, "", T0.Add(time.Second))
		e.consume(base, l, "", T0.Add(2*time.Second))
		e.wantOutcome("third", e.consume(base, l, "", T0.Add(3*time.Second)), false, state.LimitSession)
		e.inbound(state.Inbound{Key: base, At: T0.Add(-time.Hour)}) // late, older: no new session
		e.wantOutcome("after late inbound", e.consume(base, l, "", T0.Add(4*time.Second)), false, state.LimitSession)
		e.inbound(state.Inbound{Key: base, At: T0.Add(time.Minute)})
		out := e.consume(base, l, "", T0.Add(2*time.Minute))
		e.wantOutcome("after new inbound", out, true, 0)
		if out.SessionCount != 1 {
			e.t.Errorf("SessionCount in new session = %d, want 1", out.SessionCount)
		}
	}},
	{"NoSessionNoSessionCount", func(e env) {
		l := state.Limits{Session: 1, SessionWindow: time.Hour}
		for i := range 3 {
			out := e.consume(base, l, "", T0.Add(time.Duration(i)*time.Second))
			e.wantOutcome("without inbound", out, true, 0)
			if out.SessionCount != 0 {
				e.t.Errorf("SessionCount without inbound = %d, want 0", out.SessionCount)
			}
		}
		e.inbound(state.Inbound{Key: base, At: T0})
		e.wantOutcome("in session", e.consume(base, l, "", T0.Add(time.Minute)), true, 0)
		e.wantOutcome("session full", e.consume(base, l, "", T0.Add(2*time.Minute)), false, state.LimitSession)
		e.wantOutcome("session window over", e.consume(base, l, "", T0.Add(time.Hour)), true, 0)
	}},
	{"RateLimitPerTenantAndSender", func(e env) {
		now := T0.Add(10 * time.Second)
		for i := range 3 {
			k := with(base, func(k *state.Key) { k.Recipient = "+3749100000" + itoa(i) })
			out := e.consume(k, minute, "", now)
			e.wantOutcome("message "+itoa(i+1), out, true, 0)
			if out.RateCount != i+1 {
				e.t.Errorf("RateCount = %d, want %d", out.RateCount, i+1)
			}
		}
		out := e.consume(base, minute, "", now)
		e.wantOutcome("fourth", out, false, state.LimitRate)
		if want := T0.Add(time.Minute); !out.RateReset.Equal(want) || out.RateCount != 3 {
			e.t.Errorf("RateReset, RateCount = %v, %d; want %v, 3", out.RateReset, out.RateCount, want)
		}
		e.wantOutcome("other sender", e.consume(with(base, func(k *state.Key) { k.Sender = "OTHER" }), minute, "", now), true, 0)
		e.wantOutcome("other tenant", e.consume(with(base, func(k *state.Key) { k.Tenant = "t2" }), minute, "", now), true, 0)
		out = e.consume(base, minute, "", T0.Add(time.Minute))
		e.wantOutcome("next window", out, true, 0)
		if out.RateCount != 1 {
			e.t.Errorf("RateCount in next window = %d, want 1", out.RateCount)
		}
	}},
	{"DuplicateFlood", func(e env) {
		l := state.Limits{Flood: 2, FloodWindow: time.Hour}
		r := func(i int) state.Key { return with(base, func(k *state.Key) { k.Recipient = "+3749100000" + itoa(i) }) }
		e.wantOutcome("recipient 1", e.consume(r(1), l, "fp", T0), true, 0)
		e.wantOutcome("recipient 2", e.consume(r(2), l, "fp", T0.Add(time.Minute)), true, 0)
		out := e.consume(r(3), l, "fp", T0.Add(2*time.Minute))
		e.wantOutcome("recipient 3", out, false, state.LimitFlood)
		if out.FloodCount != 2 {
			e.t.Errorf("FloodCount = %d, want 2", out.FloodCount)
		}
		e.wantOutcome("recipient 1 again", e.consume(r(1), l, "fp", T0.Add(3*time.Minute)), true, 0)
		e.wantOutcome("other template", e.consume(r(3), l, "fp2", T0.Add(3*time.Minute)), true, 0)
		e.wantOutcome("no fingerprint", e.consume(r(3), l, "", T0.Add(3*time.Minute)), true, 0)
		e.wantOutcome("other sender", e.consume(with(r(3), func(k *state.Key) { k.Sender = "OTHER" }), l, "fp", T0.Add(3*time.Minute)), true, 0)
		// Recipient 2 ages out at T0+61m; recipient 1 was refreshed at T0+3m.
		e.wantOutcome("recipient 3 at 61m", e.consume(r(3), l, "fp", T0.Add(61*time.Minute)), true, 0)
		e.wantOutcome("recipient 4 at 62m", e.consume(r(4), l, "fp", T0.Add(62*time.Minute)), false, state.LimitFlood)
	}},
	{"DenialCountsNothing", func(e env) {
		l := state.Limits{Rate: 1, RateWindow: time.Minute, Flood: 1, FloodWindow: time.Hour}
		r2 := with(base, func(k *state.Key) { k.Recipient = "+37491000002" })
		e.wantOutcome("first", e.consume(base, l, "fp", T0), true, 0)
		e.wantOutcome("second", e.consume(r2, l, "fp", T0), false, state.LimitRate|state.LimitFlood)
		out := e.consume(base, l, "fp", T0.Add(time.Minute))
		e.wantOutcome("next window, first recipient", out, true, 0)
		if out.FloodCount != 1 || out.RateCount != 1 {
			e.t.Errorf("FloodCount, RateCount = %d, %d; want 1, 1", out.FloodCount, out.RateCount)
		}
	}},
	{"DenyOptedOut", func(e env) {
		e.inbound(state.Inbound{Key: base, At: T0, OptOut: true})
		deny := minute
		deny.DenyOptedOut = true
		out := e.consume(base, deny, "", T0.Add(time.Second))
		e.wantOutcome("deny opted out", out, false, 0)
		if !out.Snapshot.OptedOut || out.RateCount != 0 {
			e.t.Errorf("Snapshot.OptedOut, RateCount = %v, %d; want true, 0", out.Snapshot.OptedOut, out.RateCount)
		}
		out = e.consume(base, minute, "", T0.Add(time.Second))
		e.wantOutcome("policy decides", out, true, 0)
		if !out.Snapshot.OptedOut || out.RateCount != 1 {
			e.t.Errorf("Snapshot.OptedOut, RateCount = %v, %d; want true, 1", out.Snapshot.OptedOut, out.RateCount)
		}
	}},
	{"KeyFieldsDoNotCollide", func(e env) {
		a := state.Key{Tenant: "t{1}", Sender: "a:b", Recipient: "c", Channel: "sms"}
		b := state.Key{Tenant: "t{1}", Sender: "a", Recipient: "b:c", Channel: "sms"}
		c := state.Key{Tenant: "t{1}:a", Sender: "b", Recipient: "c", Channel: "sms"}
		e.inbound(state.Inbound{Key: a, At: T0, OptOut: true})
		if e.snapshot(b, T0).OptedOut || e.snapshot(c, T0).OptedOut {
			e.t.Errorf("an opt-out for %+v leaked to a key with the same concatenation", a)
		}
		if !e.snapshot(a, T0).OptedOut {
			e.t.Errorf("Snapshot(%+v).OptedOut = false, want true", a)
		}
	}},
	{"InvalidArguments", func(e env) {
		ok := state.Limits{}
		for _, tc := range []struct {
			name string
			err  error
		}{
			{"empty sender", e.s.RecordInbound(e.ctx, state.Inbound{Key: with(base, func(k *state.Key) { k.Sender = "" }), At: T0})},
			{"empty recipient", e.s.RecordInbound(e.ctx, state.Inbound{Key: with(base, func(k *state.Key) { k.Recipient = "" }), At: T0})},
			{"zero time", e.s.RecordInbound(e.ctx, state.Inbound{Key: base})},
			{"opt-out and opt-in", e.s.RecordInbound(e.ctx, state.Inbound{Key: base, At: T0, OptOut: true, OptIn: true})},
			{"long field", e.s.RecordInbound(e.ctx, state.Inbound{Key: with(base, func(k *state.Key) { k.Tenant = string(make([]byte, state.MaxFieldLen+1)) }), At: T0})},
			{"negative limit", consumeErr(e, base, state.Limits{Rate: -1}, "", T0)},
			{"rate without window", consumeErr(e, base, state.Limits{Rate: 1}, "", T0)},
			{"zero now", consumeErr(e, base, ok, "", time.Time{})},
			{"long fingerprint", consumeErr(e, base, ok, string(make([]byte, state.MaxFieldLen+1)), T0)},
			{"snapshot zero now", snapshotErr(e, base, "", time.Time{})},
			{"snapshot long opt-out sender", snapshotErr(e, base, string(make([]byte, state.MaxFieldLen+1)), T0)},
		} {
			if !errors.Is(tc.err, state.ErrInvalid) {
				e.t.Errorf("%s: err = %v, want state.ErrInvalid", tc.name, tc.err)
			}
		}
		if got := e.snapshot(base, T0); got != (state.Snapshot{}) {
			e.t.Errorf("rejected calls changed state: %+v", got)
		}
	}},
	{"ConcurrentConsumeNeverOvershoots", func(e env) {
		ConcurrentSessionLimit(e.t, e.ctx, []state.Store{e.s}, 200, 60)
	}},
}

func consumeErr(e env, k state.Key, l state.Limits, fp string, now time.Time) error {
	_, err := e.s.Consume(e.ctx, k, l, fp, now)
	return err
}

func snapshotErr(e env, k state.Key, optOutSender string, now time.Time) error {
	_, err := e.s.Snapshot(e.ctx, k, optOutSender, now)
	return err
}

// ConcurrentSessionLimit opens a session for a fresh key and fires calls
// concurrent Consume calls with a session limit of limit, spread round-robin
// over stores (which must share their state), and fails unless exactly limit
// succeed. Give it several store instances to show that separate gateway
// nodes agree.
func ConcurrentSessionLimit(t *testing.T, ctx context.Context, stores []state.Store, calls, limit int) {
	t.Helper()
	k := with(base, func(k *state.Key) { k.Recipient = "+37491999999" })
	if err := stores[0].RecordInbound(ctx, state.Inbound{Key: k, At: T0}); err != nil {
		t.Fatalf("RecordInbound = %v, want nil", err)
	}
	l := state.Limits{Session: limit, SessionWindow: 24 * time.Hour}
	var allowed, denied atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for i := range calls {
		wg.Go(func() {
			out, err := stores[i%len(stores)].Consume(ctx, k, l, "", T0.Add(time.Minute))
			switch {
			case err != nil:
				errs <- err
			case out.Allowed:
				allowed.Add(1)
			case out.Exceeded == state.LimitSession:
				denied.Add(1)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent Consume = %v, want nil", err)
	}
	if got := allowed.Load(); got != int64(limit) {
		t.Errorf("allowed %d of %d concurrent messages, want exactly %d", got, calls, limit)
	}
	if got := denied.Load(); got != int64(calls-limit) {
		t.Errorf("denied %d with LimitSession, want %d", got, calls-limit)
	}
}

// Run runs every behaviour of the suite against a fresh store from open,
// each as a subtest named for the behaviour.
func Run(t *testing.T, open func(t *testing.T) state.Store) {
	t.Helper()
	for _, b := range behaviours {
		t.Run(b.name, func(t *testing.T) {
			b.run(env{t: t, ctx: context.Background(), s: open(t)})
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
