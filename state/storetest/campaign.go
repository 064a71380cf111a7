package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
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
	t.Run("a message of exactly the campaign's bands keeps them all", func(t *testing.T) {
		c := open(t)
		resolve(t, c, []uint64{11, 12, 13}, first, T0)
		resolve(t, c, []uint64{11, 12, 13}, near, T0.Add(time.Second))
		resolve(t, c, []uint64{11, 12, 13}, near, T0.Add(20*time.Hour))
		later := T0.Add(state.RepresentativeTTL + time.Hour)
		want(t, "under the last band", resolve(t, c, []uint64{13, 31}, near, later), []uint64{11, 12, 13})
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
	count := func(t *testing.T, c state.Campaigns, bands, sig []uint64, rcpt string, limit int, now time.Time) state.CampaignOutcome {
		t.Helper()
		out, err := c.CountCampaign(ctx, bands, sig, 5, rcpt, limit, time.Hour, now)
		if err != nil {
			t.Fatalf("CountCampaign(%v, %s) = %v", bands, rcpt, err)
		}
		return out
	}
	wantCount := func(t *testing.T, what string, got state.CampaignOutcome, allowed bool, n int) {
		t.Helper()
		if got.Allowed != allowed || got.Count != n {
			t.Errorf("%s: CountCampaign = %+v, want allowed %v with count %d", what, got, allowed, n)
		}
	}
	t.Run("campaign bound across recipients", func(t *testing.T) {
		c := open(t)
		bands := []uint64{11, 12, 13}
		for i := range 3 {
			wantCount(t, fmt.Sprint("recipient ", i), count(t, c, bands, first, fmt.Sprint("+3749100000", i), 3, T0.Add(time.Duration(i)*time.Second)), true, i+1)
		}
		// One band shared is enough: the fourth recipient's message shares
		// band 13 with the campaign, and its signature confirms it.
		wantCount(t, "fourth recipient", count(t, c, []uint64{99, 13}, near, "+37491000009", 3, T0.Add(time.Minute)), false, 3)
		wantCount(t, "repeat recipient", count(t, c, bands, near, "+37491000001", 3, T0.Add(time.Minute)), true, 3)
		// An hour after the first sends, the window has room again.
		wantCount(t, "after the window", count(t, c, bands, first, "+37491000009", 3, T0.Add(time.Hour+2*time.Minute)), true, 1)
		// Other bands are other campaigns.
		wantCount(t, "other campaign", count(t, c, []uint64{21, 22}, first, "+37491000009", 3, T0.Add(time.Minute)), true, 1)
	})
	t.Run("another template sharing a band is counted apart", func(t *testing.T) {
		c := open(t)
		for i := range 3 {
			count(t, c, []uint64{11, 12, 13}, first, fmt.Sprint("+3749100000", i), 3, T0)
		}
		wantCount(t, "other template", count(t, c, []uint64{13, 21}, other, "+37491000009", 3, T0), true, 1)
		wantCount(t, "other template's bands only", count(t, c, []uint64{21}, other, "+37491000008", 3, T0), true, 2)
		wantCount(t, "first template", count(t, c, []uint64{13}, first, "+37491000008", 3, T0), false, 3)
	})
	t.Run("every band held by another template: counted with it", func(t *testing.T) {
		c := open(t)
		for i := range 3 {
			count(t, c, []uint64{11, 12}, first, fmt.Sprint("+3749100000", i), 3, T0)
		}
		wantCount(t, "other template", count(t, c, []uint64{11, 12}, other, "+37491000009", 3, T0), false, 3)
		wantCount(t, "a recipient of the holder", count(t, c, []uint64{11, 12}, other, "+37491000001", 3, T0), true, 3)
	})
	t.Run("two representatives confirmed: their recipients together", func(t *testing.T) {
		c := open(t)
		count(t, c, []uint64{11, 12}, first, "+37491000001", 10, T0)
		count(t, c, []uint64{11, 12}, first, "+37491000002", 10, T0)
		// A second gateway's start of the same campaign.
		count(t, c, []uint64{21, 22}, first, "+37491000002", 10, T0)
		count(t, c, []uint64{21, 22}, first, "+37491000003", 10, T0)
		wantCount(t, "both", count(t, c, []uint64{12, 21}, near, "+37491000004", 10, T0), true, 4)
		// Counted with each: the first representative has 1, 2 and 4.
		wantCount(t, "the first alone", count(t, c, []uint64{11}, near, "+37491000005", 10, T0), true, 4)
		wantCount(t, "the second alone", count(t, c, []uint64{22}, near, "+37491000004", 10, T0), true, 3)
	})
	t.Run("a zero limit allows and counts nothing", func(t *testing.T) {
		c := open(t)
		wantCount(t, "zero limit", count(t, c, []uint64{11}, first, "+37491000001", 0, T0), true, 0)
		wantCount(t, "next", count(t, c, []uint64{11}, first, "+37491000002", 1, T0), true, 1)
	})
	t.Run("invalid arguments", func(t *testing.T) {
		c := open(t)
		for _, tc := range []struct {
			name   string
			sig    []uint64
			limit  int
			window time.Duration
			now    time.Time
		}{
			{"no window", first, 3, 0, T0},
			{"negative limit", first, -1, time.Hour, T0},
			{"no signature", nil, 3, time.Hour, T0},
			{"zero time", first, 3, time.Hour, time.Time{}},
		} {
			if _, err := c.CountCampaign(ctx, []uint64{1}, tc.sig, 5, "+1", tc.limit, tc.window, tc.now); !errors.Is(err, state.ErrInvalid) {
				t.Errorf("%s: CountCampaign = %v, want ErrInvalid", tc.name, err)
			}
		}
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

// ConcurrentCampaign sends calls messages of one campaign to distinct
// recipients at once through the stores (several sharing one backend, or
// one store) and checks that exactly limit are counted.
func ConcurrentCampaign(t *testing.T, ctx context.Context, stores []state.Campaigns, calls, limit int) {
	t.Helper()
	sig := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	var wg sync.WaitGroup
	var allowed atomic.Int64
	errs := make(chan error, calls)
	for i := range calls {
		wg.Go(func() {
			out, err := stores[i%len(stores)].CountCampaign(ctx, []uint64{7, 8, uint64(100 + i)}, sig, 5, "+3749100"+strconv.Itoa(1000+i), limit, time.Hour, T0)
			if err != nil {
				errs <- err
				return
			}
			if out.Allowed {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("CountCampaign: %v", err)
	}
	if got := allowed.Load(); got != int64(limit) {
		t.Errorf("%d concurrent recipients of one campaign with a bound of %d: %d counted, want %d", calls, limit, got, limit)
	}
}

// BenchResolve times s.Resolve for a near-duplicate of a known campaign
// (14 of 16 signature values shared), for a store's benchmarks.
func BenchResolve(b *testing.B, s state.Campaigns) {
	ctx := context.Background()
	sig, bands := benchCampaign()
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

// BenchCountCampaign times s.CountCampaign for near-duplicates of a known
// campaign (14 of 16 signature values shared) sent to 64 recipients in
// turn, for a store's benchmarks.
func BenchCountCampaign(b *testing.B, s state.Campaigns) {
	ctx := context.Background()
	sig, bands := benchCampaign()
	rcpts := make([]string, 64)
	for i := range rcpts {
		rcpts[i] = "+3749100" + strconv.Itoa(1000+i)
	}
	if _, err := s.Resolve(ctx, bands, sig, 7, T0); err != nil {
		b.Fatal(err)
	}
	near := append([]uint64(nil), sig...)
	near[0], near[1] = 7, 8
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if out, err := s.CountCampaign(ctx, bands, near, 7, rcpts[i%len(rcpts)], 1000, time.Hour, T0); err != nil || !out.Allowed {
			b.Fatalf("CountCampaign = %+v, %v", out, err)
		}
	}
}

// benchCampaign returns the signature (16 values) and bands (8) of the
// campaign the benchmarks send near-duplicates of.
func benchCampaign() (sig, bands []uint64) {
	sig = make([]uint64, 16)
	bands = make([]uint64, 8)
	for i := range sig {
		sig[i] = uint64(i)*0x9e3779b97f4a7c15 + 1
	}
	for i := range bands {
		bands[i] = uint64(i)*0xbf58476d1ce4e5b9 + 1
	}
	return sig, bands
}
