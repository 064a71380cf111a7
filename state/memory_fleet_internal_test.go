package state

import (
	"context"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// TestRecipientKey: every E.164 number is its own member, whatever its
// digits and length, and no other string meets a number.
func TestRecipientKey(t *testing.T) {
	cases := []struct {
		name string
		a, b string
	}{
		{"one digit apart", "+447700900001", "+447700900002"},
		{"a leading zero", "+0447700900001", "+447700900001"},
		{"a trailing zero", "+4477009000010", "+447700900001"},
		{"fifteen digits", "+999999999999999", "+999999999999998"},
		{"sixteen digits are hashed", "+9999999999999999", "+999999999999999"},
		{"a number and its digits", "+447700900001", "447700900001"},
		{"a letter in it", "+44770090000a", "+447700900001"},
		{"empty and plus", "", "+"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if ka, kb := recipientKey(tc.a), recipientKey(tc.b); ka == kb {
				t.Errorf("recipientKey(%q) = recipientKey(%q) = %#x", tc.a, tc.b, ka)
			}
			if recipientKey(tc.a) != recipientKey(tc.a) {
				t.Errorf("recipientKey(%q) is not stable", tc.a)
			}
		})
	}
}

// TestCountCampaignRepeatedBand: a band given twice counts the recipient
// once, in the one set of its campaign.
func TestCountCampaignRepeatedBand(t *testing.T) {
	m := NewMemory(MemoryConfig{})
	ctx, now := context.Background(), time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	sig := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	for i, r := range []string{"+447700900001", "+447700900001", "+447700900002"} {
		out, err := m.CountCampaign(ctx, []uint64{7, 7, 9}, sig, 5, r, 10, time.Hour, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{1, 1, 2}[i]; !out.Allowed || out.Count != want {
			t.Fatalf("send %d to %s: %+v, want allowed with count %d", i, r, out, want)
		}
	}
	if got := m.reps.members.Load(); got != 2 {
		t.Errorf("%d members across campaigns, want 2 (2 recipients of one campaign)", got)
	}
	if rep := m.reps.byBand[7].rep; rep != m.reps.byBand[9].rep || rep.held.Load() != 2 {
		t.Errorf("bands 7 and 9 hold %p and %p (held %d), want one representative held twice", rep, m.reps.byBand[9].rep, rep.held.Load())
	}
}

// BenchmarkMemoryCountCampaign times CountCampaign as a templated stream
// calls it: one campaign's 8 bands, 64 recipients seen before in turn.
func BenchmarkMemoryCountCampaign(b *testing.B) {
	m := NewMemory(MemoryConfig{})
	ctx, now := context.Background(), time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	bands, sig := campaignOf(1)
	rcpts := make([]string, 64)
	for i := range rcpts {
		rcpts[i] = "+4477009" + string(rune('0'+i/10)) + string(rune('0'+i%10)) + "001"
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		at := now.Add(time.Duration(i) * time.Millisecond)
		if out, err := m.CountCampaign(ctx, bands, sig, 5, rcpts[i%len(rcpts)], 1000, time.Hour, at); err != nil || !out.Allowed {
			b.Fatalf("CountCampaign = %+v, %v", out, err)
		}
	}
}

// BenchmarkMemoryCountCampaignSliding times CountCampaign for a campaign
// that sends all the time at its window's bound: about a thousand live
// recipients, one expiring and one new with every message.
func BenchmarkMemoryCountCampaignSliding(b *testing.B) {
	m := NewMemory(MemoryConfig{})
	ctx, now := context.Background(), time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	bands, sig := campaignOf(1)
	rcpts := make([]string, 4096)
	for i := range rcpts {
		rcpts[i] = "+447700" + strconv.Itoa(900000+i)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		at := now.Add(time.Duration(i) * time.Millisecond)
		if out, err := m.CountCampaign(ctx, bands, sig, 5, rcpts[i%len(rcpts)], 1<<20, time.Second, at); err != nil || !out.Allowed {
			b.Fatalf("CountCampaign = %+v, %v", out, err)
		}
	}
}

// BenchmarkMemoryObserveParallel times Observe as every check without a
// link calls it, on every core: no domains, one campaign's 8 bands, none
// marked reported.
func BenchmarkMemoryObserveParallel(b *testing.B) {
	m := NewMemory(MemoryConfig{})
	ctx, now := context.Background(), time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	bands := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	if _, err := m.Observe(ctx, []string{"example.com"}, bands, now, make([]time.Time, 1)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if obs, err := m.Observe(ctx, nil, bands, now, nil); err != nil || obs.Reported {
				b.Fatalf("Observe = %+v, %v", obs, err)
			}
		}
	})
}

// BenchmarkMemoryCampaignParallel times what a templated check asks the
// fleet on every core: CountCampaign (which resolves), each goroutine sending
// its own campaign's 8 bands (as checks of different templates do) to 64
// recipients seen before.
func BenchmarkMemoryCampaignParallel(b *testing.B) {
	m := NewMemory(MemoryConfig{})
	ctx, now := context.Background(), time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	var next atomic.Uint64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		g := next.Add(1)
		bands, sig := campaignOf(g)
		for i := 0; pb.Next(); i++ {
			at := now.Add(time.Duration(i) * time.Millisecond)
			rcpt := "+4477009" + string(rune('0'+i%64/10)) + string(rune('0'+i%10)) + "001"
			if out, err := m.CountCampaign(ctx, bands, sig, 5, rcpt, 1000, time.Hour, at); err != nil || !out.Allowed {
				b.Fatalf("CountCampaign = %+v, %v", out, err)
			}
		}
	})
}

// BenchmarkMemoryCheckParallel times every call a templated check makes to
// the store (Snapshot, Observe, CountCampaign, Consume), each
// goroutine sending its own campaign from its own sender: what two cores'
// checks share is only the store itself.
func BenchmarkMemoryCheckParallel(b *testing.B) {
	m := NewMemory(MemoryConfig{})
	ctx, now := context.Background(), time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	l := Limits{Rate: 1 << 30, RateWindow: time.Minute}
	var next atomic.Uint64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		g := next.Add(1)
		bands, sig := campaignOf(g)
		sender := "SENDER" + string(rune('A'+g%26))
		for i := 0; pb.Next(); i++ {
			at := now.Add(time.Duration(i) * time.Millisecond)
			rcpt := "+4477009" + string(rune('0'+i%64/10)) + string(rune('0'+i%10)) + "001"
			k := Key{Tenant: "t", Sender: sender, Recipient: rcpt, Channel: "sms"}
			if _, err := m.Snapshot(ctx, k, "", at); err != nil {
				b.Fatal(err)
			}
			if _, err := m.Observe(ctx, nil, bands, at, nil); err != nil {
				b.Fatal(err)
			}
			if out, err := m.CountCampaign(ctx, bands, sig, 5, rcpt, 1000, time.Hour, at); err != nil || !out.Allowed {
				b.Fatalf("CountCampaign = %+v, %v", out, err)
			}
			if _, err := m.Consume(ctx, k, l, "", at); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// campaignOf returns the 8 bands and the signature of goroutine g's own
// campaign in the parallel benchmarks.
func campaignOf(g uint64) (bands, sig []uint64) {
	bands, sig = make([]uint64, 8), make([]uint64, 32)
	for i := range bands {
		bands[i] = (g*8 + uint64(i)) * 0x9E3779B97F4A7C15
	}
	for i := range sig {
		sig[i] = g<<32 | uint64(i)
	}
	return bands, sig
}

// TestResolveBandTakenAfterEviction: a campaign whose band was evicted
// and taken by another representative is not answered alone, even for a
// message of exactly its bands (the shortcut for a campaign held under all
// of its bands must not apply).
func TestResolveBandTakenAfterEviction(t *testing.T) {
	m := NewMemory(MemoryConfig{})
	ctx, now := context.Background(), time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	sig := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	near := []uint64{1, 2, 3, 4, 5, 6, 70, 80}
	b1, b2, b7 := uint64(1)<<60|1, uint64(2)<<60|2, uint64(7)<<60|7 // band keys are hashes: spread
	if _, err := m.Resolve(ctx, []uint64{b1, b2}, sig, 5, now); err != nil {
		t.Fatal(err)
	}
	r := &m.reps
	r.mu.Lock()
	r.drop(b2, r.byBand[b2]) // as evict does
	r.mu.Unlock()
	if _, err := m.Resolve(ctx, []uint64{b2, b7}, near, 5, now); err != nil {
		t.Fatal(err)
	}
	got, err := m.Resolve(ctx, []uint64{b1, b2}, sig, 5, now)
	if got = slices.Sorted(slices.Values(got)); err != nil || !slices.Equal(got, []uint64{b1, b2, b7}) {
		t.Errorf("Resolve = %v, %v; want both representatives' bands %v", got, err, []uint64{b1, b2, b7})
	}
}
