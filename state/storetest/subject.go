package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/state"
)

// RunSubjects is the conformance suite of state.Subjects. The factory must
// return an empty store for every call, isolated from other calls.
func RunSubjects(t *testing.T, open func(t *testing.T) state.Subjects) {
	ctx := context.Background()
	const day = 24 * time.Hour
	miami, ny := "+13055550100", "+12125550100"
	recent := func(t *testing.T, s state.Subjects, bands []uint64, rcpt string, now time.Time) state.SubjectCount {
		t.Helper()
		got, err := s.RecentSubject(ctx, bands, rcpt, day, now)
		if err != nil {
			t.Fatalf("RecentSubject(%v, %s, %v) = %v", bands, rcpt, now, err)
		}
		return got
	}
	record := func(t *testing.T, s state.Subjects, bands []uint64, rcpt string, now time.Time) {
		t.Helper()
		if err := s.RecordSubject(ctx, bands, rcpt, day, now); err != nil {
			t.Fatalf("RecordSubject(%v, %s, %v) = %v", bands, rcpt, now, err)
		}
	}
	t.Run("counts per recipient and campaign", func(t *testing.T) {
		s := open(t)
		if got := recent(t, s, []uint64{1, 2, 3}, miami, T0); got != (state.SubjectCount{}) {
			t.Fatalf("empty store: RecentSubject = %+v, want zero", got)
		}
		// Three near-duplicates: each shares band 2 with the others, the
		// first and second also share band 1.
		record(t, s, []uint64{1, 2, 3}, miami, T0)
		record(t, s, []uint64{1, 2, 4}, miami, T0.Add(time.Hour))
		record(t, s, []uint64{5, 2, 6}, miami, T0.Add(2*time.Hour))
		now := T0.Add(3 * time.Hour)
		if got, want := recent(t, s, []uint64{9, 2, 1}, miami, now), (state.SubjectCount{Count: 3, Reopens: T0.Add(day)}); !got.Reopens.Equal(want.Reopens) || got.Count != want.Count {
			t.Fatalf("same campaign: RecentSubject = %+v, want %+v", got, want)
		}
		// Ham twins: another recipient, another campaign.
		if got := recent(t, s, []uint64{1, 2, 3}, ny, now); got.Count != 0 {
			t.Fatalf("other recipient: RecentSubject = %+v, want count 0", got)
		}
		if got := recent(t, s, []uint64{7, 8}, miami, now); got.Count != 0 {
			t.Fatalf("other campaign: RecentSubject = %+v, want count 0", got)
		}
		// When the first send leaves the window, the count drops and the
		// next send's expiry is the reopening.
		got := recent(t, s, []uint64{2}, miami, T0.Add(day))
		if got.Count != 2 || !got.Reopens.Equal(T0.Add(time.Hour+day)) {
			t.Fatalf("after a day: RecentSubject = %+v, want 2 reopening %v", got, T0.Add(time.Hour+day))
		}
	})
	t.Run("ties reopen at the latest", func(t *testing.T) {
		s := open(t)
		record(t, s, []uint64{1}, miami, T0)
		record(t, s, []uint64{2}, miami, T0.Add(time.Hour))
		got := recent(t, s, []uint64{1, 2}, miami, T0.Add(2*time.Hour))
		if got.Count != 1 || !got.Reopens.Equal(T0.Add(time.Hour+day)) {
			t.Fatalf("RecentSubject = %+v, want 1 reopening %v", got, T0.Add(time.Hour+day))
		}
	})
	t.Run("saturates", func(t *testing.T) {
		s := open(t)
		for i := range state.MaxSubjectSends + 5 {
			record(t, s, []uint64{1}, miami, T0.Add(time.Duration(i)*time.Second))
		}
		got := recent(t, s, []uint64{1}, miami, T0.Add(time.Hour))
		if got.Count != state.MaxSubjectSends || !got.Reopens.Equal(T0.Add(5*time.Second+day)) {
			t.Fatalf("RecentSubject = %+v, want %d reopening %v", got, state.MaxSubjectSends, T0.Add(5*time.Second+day))
		}
	})
	t.Run("invalid", func(t *testing.T) {
		s := open(t)
		for name, err := range map[string]error{
			"zero window": s.RecordSubject(ctx, []uint64{1}, miami, 0, T0),
			"zero time":   s.RecordSubject(ctx, []uint64{1}, miami, day, time.Time{}),
			"long recipient": func() error {
				_, err := s.RecentSubject(ctx, []uint64{1}, string(make([]byte, state.MaxFieldLen+1)), day, T0)
				return err
			}(),
		} {
			if !errors.Is(err, state.ErrInvalid) {
				t.Errorf("%s: error = %v, want ErrInvalid", name, err)
			}
		}
	})
}
