package redisstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/state"
	"github.com/msgfilter/msgfilter/state/redisstore"
	"github.com/msgfilter/msgfilter/state/redisstore/redistest"
	"github.com/msgfilter/msgfilter/state/storetest"
)

var benchLimits = state.Limits{
	Session: 1 << 30, SessionWindow: 24 * time.Hour,
	Rate: 1 << 30, RateWindow: time.Minute,
	Flood: 1 << 30, FloodWindow: time.Hour,
}

func benchStore(b *testing.B) (*redisstore.Store, []state.Key) {
	b.Helper()
	addr := redistest.Addr(b)
	c := newClient(b, addr)
	s := newStore(b, c, testPrefix(b, c))
	keys := make([]state.Key, 1024)
	for i := range keys {
		keys[i] = state.Key{Tenant: "t", Sender: fmt.Sprintf("SENDER%02d", i%16), Recipient: fmt.Sprintf("+1555%07d", i), Channel: "viber"}
		if err := s.RecordInbound(context.Background(), state.Inbound{Key: keys[i], At: storetest.T0}); err != nil {
			b.Fatal(err)
		}
	}
	return s, keys
}

func reportThroughput(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkRedis measures a check's state cost on a loopback Redis: the two
// round trips of Snapshot then Consume, Consume alone (its Outcome carries the
// snapshot), many callers at once, and pipelined batches.
func BenchmarkRedis(b *testing.B) {
	ctx := context.Background()
	b.Run("SnapshotThenConsume", func(b *testing.B) {
		s, keys := benchStore(b)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			k, now := keys[i%len(keys)], storetest.T0.Add(time.Duration(i)*time.Microsecond)
			if _, err := s.Snapshot(ctx, k, "", now); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Consume(ctx, k, benchLimits, "fp", now); err != nil {
				b.Fatal(err)
			}
		}
		reportThroughput(b)
	})
	b.Run("Consume", func(b *testing.B) {
		s, keys := benchStore(b)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if _, err := s.Consume(ctx, keys[i%len(keys)], benchLimits, "fp", storetest.T0.Add(time.Duration(i)*time.Microsecond)); err != nil {
				b.Fatal(err)
			}
		}
		reportThroughput(b)
	})
	b.Run("ConsumeParallel", func(b *testing.B) {
		s, keys := benchStore(b)
		b.ReportAllocs()
		b.SetParallelism(16) // gateways run many checks at once
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				i++
				if _, err := s.Consume(ctx, keys[i%len(keys)], benchLimits, "fp", storetest.T0.Add(time.Duration(i)*time.Microsecond)); err != nil {
					b.Fatal(err)
				}
			}
		})
		reportThroughput(b)
	})
	for _, batch := range []int{16, 64} {
		b.Run(fmt.Sprintf("ConsumeMany/batch=%d", batch), func(b *testing.B) {
			s, keys := benchStore(b)
			reqs := make([]redisstore.Request, batch)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i += batch {
				n := min(batch, b.N-i)
				for j := range n {
					reqs[j] = redisstore.Request{Key: keys[(i+j)%len(keys)], Limits: benchLimits, Fingerprint: "fp", Now: storetest.T0.Add(time.Duration(i+j) * time.Microsecond)}
				}
				if _, err := s.ConsumeMany(ctx, reqs[:n]); err != nil {
					b.Fatal(err)
				}
			}
			reportThroughput(b)
		})
	}
}

// BenchmarkResolve times Campaigns.Resolve for a message of a known
// campaign: one script reading 8 representative keys.
func BenchmarkResolve(b *testing.B) {
	c := newClient(b, redistest.Addr(b))
	s := newStore(b, c, testPrefix(b, c))
	storetest.BenchResolve(b, s)
}

// BenchmarkCountCampaign times Campaigns.CountCampaign for a message of a
// known campaign: one script that resolves and counts (two round trips
// before: Resolve, then counting under the bands).
func BenchmarkCountCampaign(b *testing.B) {
	c := newClient(b, redistest.Addr(b))
	storetest.BenchCountCampaign(b, newStore(b, c, testPrefix(b, c)))
}
