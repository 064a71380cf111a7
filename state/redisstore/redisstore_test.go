package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/state"
	"github.com/msgfilter/msgfilter/state/redisstore"
	"github.com/msgfilter/msgfilter/state/redisstore/redistest"
	"github.com/msgfilter/msgfilter/state/storetest"
)

func TestConformance(t *testing.T) {
	addr := redistest.Addr(t)
	c := newClient(t, addr)
	storetest.Run(t, func(t *testing.T) state.Store {
		return newStore(t, c, testPrefix(t, c))
	})
}

// TestTwoStoresAgree is two gateway nodes (separate clients and connection
// pools) sharing one Redis under concurrent load: together they let exactly
// the limit through, for every kind of limit.
func TestTwoStoresAgree(t *testing.T) {
	addr := redistest.Addr(t)
	a, b := newClient(t, addr), newClient(t, addr)
	prefix := testPrefix(t, a)
	stores := []state.Store{newStore(t, a, prefix), newStore(t, b, prefix)}
	ctx := context.Background()

	t.Run("session", func(t *testing.T) {
		storetest.ConcurrentSessionLimit(t, ctx, stores, 200, 60)
	})
	for _, tc := range []struct {
		name   string
		limits state.Limits
		want   state.Limit
	}{
		{"rate", state.Limits{Rate: 60, RateWindow: time.Hour}, state.LimitRate},
		{"flood", state.Limits{Flood: 60, FloodWindow: time.Hour}, state.LimitFlood},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var allowed, denied atomic.Int64
			var wg sync.WaitGroup
			for i := range 200 {
				wg.Go(func() {
					k := state.Key{Tenant: "two", Sender: tc.name, Recipient: fmt.Sprintf("+1555%07d", i), Channel: "sms"}
					out, err := stores[i%2].Consume(ctx, k, tc.limits, "fp", storetest.T0)
					switch {
					case err != nil:
						t.Errorf("Consume = %v", err)
					case out.Allowed:
						allowed.Add(1)
					case out.Exceeded == tc.want:
						denied.Add(1)
					}
				})
			}
			wg.Wait()
			if allowed.Load() != 60 || denied.Load() != 140 {
				t.Errorf("allowed, denied = %d, %d; want 60, 140", allowed.Load(), denied.Load())
			}
		})
	}
}

func TestConsumeManyMatchesConsume(t *testing.T) {
	addr := redistest.Addr(t)
	c := newClient(t, addr)
	s := newStore(t, c, testPrefix(t, c))
	ctx := context.Background()
	k := state.Key{Tenant: "t", Sender: "S", Recipient: "+15550000001", Channel: "viber"}
	if err := s.RecordInbound(ctx, state.Inbound{Key: k, At: storetest.T0}); err != nil {
		t.Fatal(err)
	}
	l := state.Limits{Session: 60, SessionWindow: 24 * time.Hour, Rate: 1000, RateWindow: time.Minute}
	reqs := make([]redisstore.Request, 64)
	for i := range reqs {
		reqs[i] = redisstore.Request{Key: k, Limits: l, Now: storetest.T0.Add(time.Second)}
	}
	outs, err := s.ConsumeMany(ctx, reqs)
	if err != nil {
		t.Fatalf("ConsumeMany = %v", err)
	}
	for i, out := range outs {
		want := i < 60
		if out.Allowed != want || (want && out.SessionCount != i+1) {
			t.Errorf("outcome %d: Allowed, SessionCount = %v, %d; want %v, %d", i, out.Allowed, out.SessionCount, want, min(i+1, 60))
		}
	}
	single, err := s.Consume(ctx, k, l, "", storetest.T0.Add(2*time.Second))
	if err != nil || single.Allowed || single.RateCount != 60 {
		t.Errorf("Consume after the batch = %+v, %v; want denied with RateCount 60", single, err)
	}
	_, err = s.ConsumeMany(ctx, []redisstore.Request{{Key: k, Limits: state.Limits{Rate: 1}, Now: storetest.T0}})
	if !errors.Is(err, state.ErrInvalid) {
		t.Errorf("ConsumeMany(invalid) = %v, want state.ErrInvalid", err)
	}
}

// TestUnreachableIsUnavailable: with no server, every method says
// ErrUnavailable, and an invalid argument still says ErrInvalid (it never
// reaches the network).
func TestUnreachableIsUnavailable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer c.Close()
	s := newStore(t, c, "")
	ctx := context.Background()
	k := state.Key{Sender: "S", Recipient: "+15550000001"}
	_, snapErr := s.Snapshot(ctx, k, "", storetest.T0)
	_, consErr := s.Consume(ctx, k, state.Limits{}, "", storetest.T0)
	_, manyErr := s.ConsumeMany(ctx, []redisstore.Request{{Key: k, Now: storetest.T0}})
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"RecordInbound", s.RecordInbound(ctx, state.Inbound{Key: k, At: storetest.T0, OptOut: true}), state.ErrUnavailable},
		{"Snapshot", snapErr, state.ErrUnavailable},
		{"Consume", consErr, state.ErrUnavailable},
		{"ConsumeMany", manyErr, state.ErrUnavailable},
		{"invalid RecordInbound", s.RecordInbound(ctx, state.Inbound{Key: k}), state.ErrInvalid},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s = %v, want %v", tc.name, tc.err, tc.want)
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer c.Close()
	for _, tc := range []struct {
		name string
		c    redis.UniversalClient
		cfg  redisstore.Config
		ok   bool
	}{
		{"zero config", c, redisstore.Config{}, true},
		{"nil client", nil, redisstore.Config{}, false},
		{"brace in prefix", c, redisstore.Config{Prefix: "a{b}:"}, false},
		{"negative retention", c, redisstore.Config{Retention: -time.Hour}, false},
	} {
		_, err := redisstore.New(tc.c, tc.cfg)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, redisstore.ErrConfig)) {
			t.Errorf("%s: New = %v, want ok=%v or ErrConfig", tc.name, err, tc.ok)
		}
	}
}

func TestSubjectsConformance(t *testing.T) {
	c := newClient(t, redistest.Addr(t))
	storetest.RunSubjects(t, func(t *testing.T) state.Subjects {
		return newStore(t, c, testPrefix(t, c))
	})
}

func TestCampaignsConformance(t *testing.T) {
	addr := redistest.Addr(t)
	c := newClient(t, addr)
	storetest.RunCampaigns(t, func(t *testing.T) state.Campaigns {
		return newStore(t, c, testPrefix(t, c))
	})
	t.Run("two stores, one campaign", func(t *testing.T) {
		a, b := newClient(t, addr), newClient(t, addr)
		prefix := testPrefix(t, a)
		storetest.ConcurrentCampaign(t, context.Background(), []state.Campaigns{newStore(t, a, prefix), newStore(t, b, prefix)}, 200, 60)
	})
}

func TestFleetConformance(t *testing.T) {
	c := newClient(t, redistest.Addr(t))
	storetest.RunFleet(t, func(t *testing.T) state.Fleet {
		return newStore(t, c, testPrefix(t, c))
	})
}

// TestSnapshotWithOptOutAfterScriptFlush: a snapshot with another key's
// opt-out is a pipeline, which does not fall back from EVALSHA to EVAL as
// a lone script call does; it must load the script when the server has
// lost it (a restart, a failover, SCRIPT FLUSH). Flushing scripts is safe
// for other tests on the server: every call reloads what it needs.
func TestSnapshotWithOptOutAfterScriptFlush(t *testing.T) {
	addr := redistest.Addr(t)
	c := newClient(t, addr)
	s := newStore(t, c, testPrefix(t, c))
	ctx := context.Background()
	k := state.Key{Tenant: "t", Sender: "S", Recipient: "+15550000001", Channel: "sms"}
	brand := state.Key{Tenant: "t", Sender: "*", Recipient: k.Recipient}
	if err := s.RecordInbound(ctx, state.Inbound{Key: brand, At: storetest.T0, OptOut: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordInbound(ctx, state.Inbound{Key: k, At: storetest.T0}); err != nil {
		t.Fatal(err)
	}
	if err := c.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx, k, brand.Sender, storetest.T0.Add(time.Minute))
	if err != nil || !snap.OptedOut || !snap.HasInbound {
		t.Errorf("Snapshot after SCRIPT FLUSH = %+v, %v; want opted out with inbound", snap, err)
	}
}
