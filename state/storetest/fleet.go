package storetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/state"
)

// RunFleet is the conformance suite of state.Fleet. The factory must return
// an empty store for every call, isolated from other calls.
func RunFleet(t *testing.T, open func(t *testing.T) state.Fleet) {
	ctx := context.Background()
	t.Run("first seen", func(t *testing.T) {
		s := open(t)
		seen := make([]time.Time, 2)
		obs, err := s.Observe(ctx, []string{"a.example", "b.example"}, nil, T0, seen)
		if err != nil {
			t.Fatalf("Observe = %v", err)
		}
		if !obs.Since.Equal(T0) || !seen[0].Equal(T0) || !seen[1].Equal(T0) || obs.Reported {
			t.Fatalf("first Observe = %+v, %v; want since and first sightings %v, not reported", obs, seen, T0)
		}
		later := T0.Add(48 * time.Hour)
		seen = make([]time.Time, 2)
		obs, err = s.Observe(ctx, []string{"b.example", "c.example"}, nil, later, seen)
		if err != nil {
			t.Fatalf("Observe = %v", err)
		}
		if !obs.Since.Equal(T0) || !seen[0].Equal(T0) || !seen[1].Equal(later) {
			t.Fatalf("later Observe = %+v, %v; want since %v, b first seen %v, c %v", obs, seen, T0, T0, later)
		}
	})
	t.Run("campaign bound across recipients", func(t *testing.T) {
		s := open(t)
		bands := []uint64{11, 12, 13}
		for i := range 3 {
			out, err := s.CountCampaign(ctx, bands, fmt.Sprint("+3749100000", i), 3, time.Hour, T0.Add(time.Duration(i)*time.Second))
			if err != nil || !out.Allowed || out.Count != i+1 {
				t.Fatalf("recipient %d: CountCampaign = %+v, %v; want allowed with count %d", i, out, err, i+1)
			}
		}
		// One band shared is enough: the fourth recipient's message shares
		// band 13 with the campaign.
		out, err := s.CountCampaign(ctx, []uint64{99, 13}, "+37491000009", 3, time.Hour, T0.Add(time.Minute))
		if err != nil || out.Allowed || out.Count != 3 {
			t.Fatalf("fourth recipient: CountCampaign = %+v, %v; want refused at 3", out, err)
		}
		// A recipient already counted is no flood.
		if out, err := s.CountCampaign(ctx, bands, "+37491000001", 3, time.Hour, T0.Add(time.Minute)); err != nil || !out.Allowed {
			t.Fatalf("repeat recipient: CountCampaign = %+v, %v; want allowed", out, err)
		}
		// An hour after the first sends, the window has room again.
		if out, err := s.CountCampaign(ctx, bands, "+37491000009", 3, time.Hour, T0.Add(time.Hour+2*time.Minute)); err != nil || !out.Allowed {
			t.Fatalf("after the window: CountCampaign = %+v, %v; want allowed", out, err)
		}
		// Other bands are other campaigns.
		if out, err := s.CountCampaign(ctx, []uint64{21, 22}, "+37491000009", 3, time.Hour, T0.Add(time.Minute)); err != nil || !out.Allowed || out.Count != 1 {
			t.Fatalf("other campaign: CountCampaign = %+v, %v; want allowed with count 1", out, err)
		}
	})
	t.Run("reported marks", func(t *testing.T) {
		s := open(t)
		// Observed before the mark too: a store may answer unmarked bands
		// without looking, and must then see the mark.
		if obs, err := s.Observe(ctx, nil, []uint64{6}, T0, nil); err != nil || obs.Reported {
			t.Errorf("before the mark: Observe = %+v, %v; want not reported", obs, err)
		}
		if err := s.MarkReported(ctx, []uint64{5, 6}, true, T0); err != nil {
			t.Fatalf("MarkReported = %v", err)
		}
		for _, c := range []struct {
			name  string
			bands []uint64
			want  bool
		}{{"same band", []uint64{1, 6}, true}, {"other bands", []uint64{1, 2}, false}, {"no bands", nil, false}} {
			obs, err := s.Observe(ctx, nil, c.bands, T0.Add(time.Minute), nil)
			if err != nil || obs.Reported != c.want {
				t.Errorf("%s: Observe = %+v, %v; want Reported %v", c.name, obs, err, c.want)
			}
		}
		if err := s.MarkReported(ctx, []uint64{5, 6}, false, T0.Add(2*time.Minute)); err != nil {
			t.Fatalf("MarkReported(false) = %v", err)
		}
		if obs, err := s.Observe(ctx, nil, []uint64{6}, T0.Add(3*time.Minute), nil); err != nil || obs.Reported {
			t.Errorf("after clearing: Observe = %+v, %v; want not reported", obs, err)
		}
	})
	t.Run("invalid", func(t *testing.T) {
		s := open(t)
		for name, err := range map[string]error{
			"zero time":      func() error { _, err := s.Observe(ctx, nil, nil, time.Time{}, nil); return err }(),
			"short dst":      func() error { _, err := s.Observe(ctx, []string{"a.example"}, nil, T0, nil); return err }(),
			"empty domain":   func() error { _, err := s.Observe(ctx, []string{""}, nil, T0, make([]time.Time, 1)); return err }(),
			"no window":      func() error { _, err := s.CountCampaign(ctx, []uint64{1}, "+1", 3, 0, T0); return err }(),
			"negative limit": func() error { _, err := s.CountCampaign(ctx, []uint64{1}, "+1", -1, time.Hour, T0); return err }(),
			"mark zero time": s.MarkReported(ctx, []uint64{1}, true, time.Time{}),
		} {
			if !errors.Is(err, state.ErrInvalid) {
				t.Errorf("%s: err = %v, want ErrInvalid", name, err)
			}
		}
	})
}

// ConcurrentCampaign sends calls messages of one campaign to distinct
// recipients at once through the fleets (several stores sharing one backend,
// or one store) and checks that exactly limit are counted.
func ConcurrentCampaign(t *testing.T, ctx context.Context, fleets []state.Fleet, calls, limit int) {
	t.Helper()
	var wg sync.WaitGroup
	var allowed atomic.Int64
	errs := make(chan error, calls)
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := fleets[i%len(fleets)].CountCampaign(ctx, []uint64{7, 8, uint64(100 + i)}, "+3749100"+strconv.Itoa(1000+i), limit, time.Hour, T0)
			if err != nil {
				errs <- err
				return
			}
			if out.Allowed {
				allowed.Add(1)
			}
		}()
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
