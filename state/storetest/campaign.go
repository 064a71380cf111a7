package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/state"
)

// RunCampaigns is the conformance suite of state.Campaigns. The factory must
// return an empty store for every call, isolated from other calls.
func RunCampaigns(t *testing.T, open func(t *testing.T) state.Campaigns) {
	ctx := context.Background()
	// Signatures of 8 values; a near-duplicate shares 6, another template 1.
	first := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	near := []uint64{1, 2, 3, 4, 5, 6, 70, 80}
	other := []uint64{1, 20, 30, 40, 50, 60, 70, 80}
	resolve := func(t *testing.T, c state.Campaigns, bands, sig []uint64, now time.Time) []uint64 {
		t.Helper()
		got, err := c.Resolve(ctx, bands, sig, 5, now)
		if err != nil {
			t.Fatalf("Resolve(%v, %v) = %v", bands, sig, err)
		}
		return slices.Sorted(slices.Values(got))
	}
	want := func(t *testing.T, what string, got, want []uint64) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: Resolve = %v, want %v", what, got, want)
		}
	}
	t.Run("a confirmed near-duplicate counts under the first message's bands", func(t *testing.T) {
		c := open(t)
		want(t, "first message", resolve(t, c, []uint64{11, 12, 13}, first, T0), []uint64{11, 12, 13})
		// Shares one band only, but its signature confirms it.
		want(t, "near-duplicate", resolve(t, c, []uint64{13, 14, 15}, near, T0.Add(time.Minute)), []uint64{11, 12, 13})
		// A confirmed message registers nothing: its other bands stay free.
		want(t, "unrelated bands", resolve(t, c, []uint64{14, 16}, near, T0.Add(2*time.Minute)), []uint64{14, 16})
	})
	t.Run("another template sharing a band is not merged", func(t *testing.T) {
		c := open(t)
		resolve(t, c, []uint64{11, 12, 13}, first, T0)
		// It represents its own campaign under its free bands only: under
		// band 13 it would count the first template's recipients.
		want(t, "other template", resolve(t, c, []uint64{13, 21, 22}, other, T0), []uint64{21, 22})
		want(t, "other template again", resolve(t, c, []uint64{21}, other, T0), []uint64{21, 22})
		want(t, "first again", resolve(t, c, []uint64{13}, first, T0), []uint64{11, 12, 13})
	})
	t.Run("two representatives confirmed: their bands together", func(t *testing.T) {
		c := open(t)
		resolve(t, c, []uint64{11, 12}, first, T0)
		resolve(t, c, []uint64{21, 22}, first, T0) // a second gateway's start of the same campaign
		want(t, "both", resolve(t, c, []uint64{12, 21}, near, T0), []uint64{11, 12, 21, 22})
	})
	t.Run("a representative expires", func(t *testing.T) {
		c := open(t)
		resolve(t, c, []uint64{11, 12}, first, T0)
		later := T0.Add(state.RepresentativeTTL + time.Minute)
		want(t, "after the TTL", resolve(t, c, []uint64{12, 31}, near, later), []uint64{12, 31})
	})
	t.Run("a confirmation keeps the representative under the message's bands", func(t *testing.T) {
		c := open(t)
		resolve(t, c, []uint64{11, 12, 13}, first, T0)
		// Confirmed under both 11 and 12: both are kept.
		resolve(t, c, []uint64{11, 12}, near, T0.Add(20*time.Hour))
		later := T0.Add(state.RepresentativeTTL + time.Hour)
		want(t, "under the second band", resolve(t, c, []uint64{12, 31}, near, later), []uint64{11, 12, 13})
	})
	t.Run("each band expires on its own", func(t *testing.T) {
		c := open(t)
		resolve(t, c, []uint64{11, 12, 13}, first, T0)
		// Confirmed under band 11 only: 12 and 13 are not touched, and
		// lapse RepresentativeTTL after the first message.
		resolve(t, c, []uint64{11}, near, T0.Add(20*time.Hour))
		later := T0.Add(25 * time.Hour)
		want(t, "under a lapsed band", resolve(t, c, []uint64{13, 31}, near, later), []uint64{13, 31})
		want(t, "under the confirmed band", resolve(t, c, []uint64{11}, near, later), []uint64{11, 12, 13})
	})
	t.Run("signatures of different lengths share their common prefix", func(t *testing.T) {
		c := open(t)
		resolve(t, c, []uint64{11, 12, 13}, first, T0)
		short := []uint64{1, 2, 3, 4}
		got, err := c.Resolve(ctx, []uint64{11}, short, 4, T0)
		if err != nil {
			t.Fatalf("Resolve(short) = %v", err)
		}
		want(t, "shorter than the representative's", slices.Sorted(slices.Values(got)), []uint64{11, 12, 13})
		// A representative with the shorter signature, met by a longer one.
		if _, err := c.Resolve(ctx, []uint64{21, 22}, short, 4, T0); err != nil {
			t.Fatalf("Resolve(short) = %v", err)
		}
		if got, err = c.Resolve(ctx, []uint64{21}, first, 4, T0); err != nil {
			t.Fatalf("Resolve(long) = %v", err)
		}
		want(t, "longer than the representative's", slices.Sorted(slices.Values(got)), []uint64{21, 22})
		// Five values to share, of four in common: not the same campaign.
		want(t, "too few in common", resolve(t, c, []uint64{22, 23}, first, T0), []uint64{23})
	})
	t.Run("every band held by another template", func(t *testing.T) {
		c := open(t)
		resolve(t, c, []uint64{11, 12}, first, T0)
		want(t, "own bands", resolve(t, c, []uint64{11, 12}, other, T0), []uint64{11, 12})
	})
	t.Run("invalid arguments", func(t *testing.T) {
		c := open(t)
		for _, tc := range []struct {
			name    string
			sig     []uint64
			minSame int
			now     time.Time
		}{
			{"no signature", nil, 1, T0},
			{"minSame 0", first, 0, T0},
			{"minSame past the signature", first, 9, T0},
			{"zero time", first, 5, time.Time{}},
		} {
			if _, err := c.Resolve(ctx, []uint64{1}, tc.sig, tc.minSame, tc.now); !errors.Is(err, state.ErrInvalid) {
				t.Errorf("%s: Resolve = %v, want ErrInvalid", tc.name, err)
			}
		}
	})
}

// BenchResolve times s.Resolve for a near-duplicate of a known campaign
// (14 of 16 signature values shared), for a store's benchmarks.
func BenchResolve(b *testing.B, s state.Campaigns) {
	ctx := context.Background()
	sig := make([]uint64, 16)
	bands := make([]uint64, 8)
	for i := range sig {
		sig[i] = uint64(i)*0x9e3779b97f4a7c15 + 1
	}
	for i := range bands {
		bands[i] = uint64(i)*0xbf58476d1ce4e5b9 + 1
	}
	if _, err := s.Resolve(ctx, bands, sig, 7, T0); err != nil {
		b.Fatal(err)
	}
	near := append([]uint64(nil), sig...)
	near[0], near[1] = 7, 8 // a near-duplicate: 14 of 16 values shared
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Resolve(ctx, bands, near, 7, T0); err != nil {
			b.Fatal(err)
		}
	}
}
