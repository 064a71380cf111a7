package state_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/state"
	"github.com/msgfilter/msgfilter/state/storetest"
)

// benchKeys is a working set of 1024 conversations over 16 senders, each
// with an open session.
func benchKeys(b *testing.B, s state.Store) []state.Key {
	b.Helper()
	keys := make([]state.Key, 1024)
	for i := range keys {
		keys[i] = state.Key{Tenant: "t", Sender: fmt.Sprintf("SENDER%02d", i%16), Recipient: fmt.Sprintf("+1555%07d", i), Channel: "viber"}
		if err := s.RecordInbound(context.Background(), state.Inbound{Key: keys[i], At: storetest.T0}); err != nil {
			b.Fatal(err)
		}
	}
	return keys
}

// benchLimits enables every limit with caps the benchmark never reaches,
// so each Consume does the full work of counting.
var benchLimits = state.Limits{
	Session: 1 << 30, SessionWindow: 24 * time.Hour,
	Rate: 1 << 30, RateWindow: time.Minute,
	Flood: 1 << 30, FloodWindow: time.Hour,
}

// BenchmarkMemory measures what a check pays the in-memory store: one
// Snapshot (facts) and one Consume (limits) per message. Goal: ≤ 1 µs.
func BenchmarkMemory(b *testing.B) {
	ctx := context.Background()
	b.Run("SnapshotConsume", func(b *testing.B) {
		m := state.NewMemory(state.MemoryConfig{})
		keys := benchKeys(b, m)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			k := keys[i%len(keys)]
			now := storetest.T0.Add(time.Duration(i) * time.Microsecond)
			if _, err := m.Snapshot(ctx, k, "", now); err != nil {
				b.Fatal(err)
			}
			if out, err := m.Consume(ctx, k, benchLimits, "fp", now); err != nil || !out.Allowed {
				b.Fatalf("Consume = %+v, %v", out, err)
			}
		}
	})
	b.Run("SnapshotConsumeParallel", func(b *testing.B) {
		m := state.NewMemory(state.MemoryConfig{})
		keys := benchKeys(b, m)
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				k := keys[i%len(keys)]
				now := storetest.T0.Add(time.Duration(i) * time.Microsecond)
				i++
				if _, err := m.Snapshot(ctx, k, "", now); err != nil {
					b.Fatal(err)
				}
				if _, err := m.Consume(ctx, k, benchLimits, "fp", now); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkMemoryFull measures a store at its bound, where every new
// conversation evicts one.
func BenchmarkMemoryFull(b *testing.B) {
	ctx := context.Background()
	m := state.NewMemory(state.MemoryConfig{MaxEntries: 1 << 14})
	keys := make([]state.Key, 1<<16)
	for i := range keys {
		keys[i] = state.Key{Tenant: "t", Sender: fmt.Sprintf("SENDER%03d", i%256), Recipient: fmt.Sprintf("+1555%07d", i), Channel: "sms"}
	}
	for i := range 1 << 15 { // fill it
		m.RecordInbound(ctx, state.Inbound{Key: keys[i%len(keys)], At: storetest.T0.Add(time.Duration(i) * time.Millisecond)})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		at := storetest.T0.Add(time.Duration(1<<15+i) * time.Millisecond)
		if err := m.RecordInbound(ctx, state.Inbound{Key: keys[i%len(keys)], At: at}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMemoryResolve times Campaigns.Resolve for a message of a known
// campaign.
func BenchmarkMemoryResolve(b *testing.B) {
	storetest.BenchResolve(b, state.NewMemory(state.MemoryConfig{}))
}

// BenchmarkMemoryCountCampaignNear times Campaigns.CountCampaign for a
// near-duplicate of a known campaign (its bands are the campaign's, its
// signature not quite).
func BenchmarkMemoryCountCampaignNear(b *testing.B) {
	storetest.BenchCountCampaign(b, state.NewMemory(state.MemoryConfig{}))
}
