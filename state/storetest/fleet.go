package storetest

import (
	"context"
	"errors"
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
			"mark zero time": s.MarkReported(ctx, []uint64{1}, true, time.Time{}),
		} {
			if !errors.Is(err, state.ErrInvalid) {
				t.Errorf("%s: err = %v, want ErrInvalid", name, err)
			}
		}
	})
}
