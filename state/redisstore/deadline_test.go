package redisstore_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/state"
	"github.com/msgfilter/msgfilter/state/redisstore"
	"github.com/msgfilter/msgfilter/state/redisstore/redistest"
	"github.com/msgfilter/msgfilter/state/storetest"
)

// TestStalledServerHonoursDeadline: against a server that accepts but never
// answers, every call returns by its ctx deadline, whether or not the
// client was built with ContextTimeoutEnabled, and the error says both
// "unavailable" and "deadline exceeded". Without that, a client built as
// the README used to show held each call for go-redis's ReadTimeout and
// retries: 5 s against a 1 s check budget.
func TestStalledServerHonoursDeadline(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts redis.Options
	}{
		{"client with go-redis defaults", redis.Options{}},
		{"client with context timeouts", redis.Options{ContextTimeoutEnabled: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := redistest.Start(t)
			opts := tc.opts
			opts.Addr = srv.Addr()
			c := redis.NewClient(&opts)
			defer c.Close()
			s := newStore(t, c, testPrefix(t, c))
			k := state.Key{Tenant: "t", Sender: "S", Recipient: "+15550000001", Channel: "sms"}
			l := state.Limits{Rate: 3, RateWindow: time.Hour}
			// Warm up: scripts cached, a connection in the pool.
			if _, err := s.Consume(context.Background(), k, l, "", storetest.T0); err != nil {
				t.Fatalf("Consume before the stall = %v", err)
			}

			srv.Freeze()
			const budget = 100 * time.Millisecond
			calls := []struct {
				name string
				call func(ctx context.Context) error
			}{
				{"RecordInbound", func(ctx context.Context) error {
					return s.RecordInbound(ctx, state.Inbound{Key: k, At: storetest.T0, OptOut: true})
				}},
				{"Snapshot", func(ctx context.Context) error { _, err := s.Snapshot(ctx, k, "", storetest.T0); return err }},
				{"Consume", func(ctx context.Context) error { _, err := s.Consume(ctx, k, l, "", storetest.T0); return err }},
				{"ConsumeMany", func(ctx context.Context) error {
					_, err := s.ConsumeMany(ctx, []redisstore.Request{{Key: k, Limits: l, Now: storetest.T0}})
					return err
				}},
				{"CheckPersistence", func(ctx context.Context) error { _, err := s.CheckPersistence(ctx); return err }},
				{"AddFeatureCounts", func(ctx context.Context) error { return s.AddFeatureCounts(ctx, []uint32{1, 2}, model.Spam, 1) }},
				{"FeatureCounts", func(ctx context.Context) error { return s.FeatureCounts(ctx, []uint32{1, 2}, make([][3]int64, 2)) }},
			}
			for _, cl := range calls {
				ctx, cancel := context.WithTimeout(context.Background(), budget)
				start := time.Now()
				err := cl.call(ctx)
				took := time.Since(start)
				cancel()
				if !errors.Is(err, state.ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("%s on a stalled server = %v, want ErrUnavailable and DeadlineExceeded", cl.name, err)
				}
				// go-redis's own ReadTimeout is 3 s: a call that waited for
				// it did not honour the deadline. The margin is for a busy
				// machine.
				if took > budget+time.Second {
					t.Errorf("%s took %v with a %v deadline", cl.name, took, budget)
				}
			}

			// Ham twin: once the server answers again, so does the store.
			srv.Thaw()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			for {
				_, err := s.Snapshot(ctx, k, "", storetest.T0)
				if err == nil {
					break
				}
				if ctx.Err() != nil {
					t.Fatalf("Snapshot after the server resumed = %v", err)
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}

func TestCheckPersistence(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		want    redisstore.Persistence
		durable bool
		warns   bool
	}{
		{"aof with fsync always", nil, redisstore.Persistence{AOF: true, Fsync: "always"}, true, false},
		{"aof off", []string{"--appendonly", "no"}, redisstore.Persistence{AOF: false, Fsync: "always"}, false, true},
		{"aof with fsync every second", []string{"--appendfsync", "everysec"}, redisstore.Persistence{AOF: true, Fsync: "everysec"}, false, true},
		{"CONFIG forbidden, aof on", []string{"--rename-command", "CONFIG", ""}, redisstore.Persistence{AOF: true}, false, false},
		{"CONFIG forbidden, aof off", []string{"--rename-command", "CONFIG", "", "--appendonly", "no"}, redisstore.Persistence{}, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := redistest.Start(t, tc.args...)
			c := redis.NewClient(&redis.Options{Addr: srv.Addr(), ContextTimeoutEnabled: true})
			defer c.Close()
			var logs bytes.Buffer
			s, err := redisstore.New(c, redisstore.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.CheckPersistence(context.Background())
			if err != nil || got != tc.want || got.Durable() != tc.durable {
				t.Errorf("CheckPersistence = %+v (durable %v), %v; want %+v (durable %v)", got, got.Durable(), err, tc.want, tc.durable)
			}
			if warned := strings.Contains(logs.String(), "level=WARN"); warned != tc.warns {
				t.Errorf("warning logged = %v, want %v; log: %s", warned, tc.warns, logs.String())
			}
		})
	}
}
