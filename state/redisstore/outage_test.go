package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/state"
	"github.com/msgfilter/msgfilter/state/redisstore"
	"github.com/msgfilter/msgfilter/state/redisstore/redistest"
	"github.com/msgfilter/msgfilter/state/storetest"
)

// TestOutageLosesNoAcknowledgedOptOut writes opt-outs while the server is
// killed mid-run. Every write that returned nil must be there after a
// restart; every write that failed must say ErrUnavailable and succeed when
// retried.
func TestOutageLosesNoAcknowledgedOptOut(t *testing.T) {
	srv := redistest.Start(t)
	c := redis.NewClient(&redis.Options{
		Addr: srv.Addr(), MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond, ReadTimeout: time.Second, WriteTimeout: time.Second,
	})
	defer c.Close()
	s, err := redisstore.New(c, redisstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	key := func(i int) state.Key {
		return state.Key{Tenant: "t", Sender: "ACME", Recipient: fmt.Sprintf("+1555%07d", i), Channel: "sms"}
	}

	var (
		mu      sync.Mutex
		acked   []int
		failed  []int
		badErrs []error
	)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			err := s.RecordInbound(ctx, state.Inbound{Key: key(i), At: storetest.T0, OptOut: true})
			mu.Lock()
			switch {
			case err == nil:
				acked = append(acked, i)
			case errors.Is(err, state.ErrUnavailable):
				failed = append(failed, i)
			default:
				badErrs = append(badErrs, err)
			}
			mu.Unlock()
		}
	}()

	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			mu.Lock()
			ok := cond()
			mu.Unlock()
			if ok {
				return
			}
		}
		t.Fatalf("timed out waiting for %s", what)
	}
	waitFor("100 acknowledged opt-outs", func() bool { return len(acked) >= 100 })
	srv.Kill()
	waitFor("failed writes after the kill", func() bool { return len(failed) >= 3 })
	close(stop)
	<-done

	mu.Lock()
	defer mu.Unlock()
	for _, err := range badErrs {
		t.Errorf("RecordInbound during outage = %v, want an error wrapping state.ErrUnavailable", err)
	}
	// Reads during the outage fail the same way, so Check can apply its
	// fail-open or fail-closed option.
	if _, err := s.Snapshot(ctx, key(0), "", storetest.T0); !errors.Is(err, state.ErrUnavailable) {
		t.Errorf("Snapshot during outage = %v, want state.ErrUnavailable", err)
	}
	if _, err := s.Consume(ctx, key(0), state.Limits{}, "", storetest.T0); !errors.Is(err, state.ErrUnavailable) {
		t.Errorf("Consume during outage = %v, want state.ErrUnavailable", err)
	}

	srv.Start()
	for _, i := range acked {
		snap, err := s.Snapshot(ctx, key(i), "", storetest.T0.Add(time.Minute))
		if err != nil || !snap.OptedOut {
			t.Fatalf("acknowledged opt-out %d after restart: Snapshot = %+v, %v; want opted out", i, snap, err)
		}
	}
	for _, i := range failed {
		if err := s.RecordInbound(ctx, state.Inbound{Key: key(i), At: storetest.T0, OptOut: true}); err != nil {
			t.Fatalf("retried RecordInbound(%d) after restart = %v, want nil", i, err)
		}
		if snap, err := s.Snapshot(ctx, key(i), "", storetest.T0.Add(time.Minute)); err != nil || !snap.OptedOut {
			t.Errorf("retried opt-out %d: Snapshot = %+v, %v; want opted out", i, snap, err)
		}
	}
	// The ham twin: a recipient nobody opted out is not opted out after the
	// restart either (the restart did not just answer "opted out" for all).
	if snap, err := s.Snapshot(ctx, key(1_000_000), "", storetest.T0); err != nil || snap.OptedOut {
		t.Errorf("never opted out: Snapshot = %+v, %v; want not opted out", snap, err)
	}
	t.Logf("%d opt-outs acknowledged before the kill, all present after restart; %d failed with ErrUnavailable and succeeded on retry", len(acked), len(failed))

	// A restarted server has an empty script cache: the pipelined path
	// must fall back from EVALSHA too.
	outs, err := s.ConsumeMany(ctx, []redisstore.Request{{Key: key(0), Limits: state.Limits{Rate: 1, RateWindow: time.Minute}, Now: storetest.T0}})
	if err != nil || len(outs) != 1 || !outs[0].Allowed {
		t.Errorf("ConsumeMany on a fresh script cache = %+v, %v; want one allowed outcome", outs, err)
	}
}
