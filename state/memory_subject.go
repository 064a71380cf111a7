package state

import (
	"context"
	"time"
)

// subjectKey names one recipient's sends under one campaign band.
type subjectKey struct {
	band      uint64
	recipient string
}

// subjectSends are the send times (Unix milliseconds, oldest first) of one
// subjectKey, and the window they were recorded for.
type subjectSends struct {
	at     []int64
	window int64
}

// RecentSubject implements Subjects.
func (m *Memory) RecentSubject(ctx context.Context, bands []uint64, recipient string, window time.Duration, now time.Time) (SubjectCount, error) {
	if err := ValidateSubject(bands, recipient, window, now); err != nil {
		return SubjectCount{}, err
	}
	cutoff := now.UnixMilli() - window.Milliseconds()
	f := &m.fleet
	f.mu.Lock()
	defer f.mu.Unlock()
	var out SubjectCount
	reopens := int64(0)
	for _, b := range bands {
		s := f.subjects[subjectKey{b, recipient}]
		if s == nil {
			continue
		}
		live := s.at[firstLive(s.at, cutoff):]
		if len(live) == 0 {
			continue
		}
		r := live[0] + window.Milliseconds()
		if len(live) > out.Count {
			out.Count, reopens = len(live), r
		} else if len(live) == out.Count {
			reopens = max(reopens, r)
		}
	}
	if out.Count > 0 {
		out.Reopens = time.UnixMilli(reopens).UTC()
	}
	return out, nil
}

// RecordSubject implements Subjects. The table holds at most MaxEntries
// band-recipient pairs; when full, a few pairs picked at random lose their
// expired sends, and if none is freed the call fails with ErrFull: a send
// the store cannot keep is not silently forgotten.
func (m *Memory) RecordSubject(ctx context.Context, bands []uint64, recipient string, window time.Duration, now time.Time) error {
	if err := ValidateSubject(bands, recipient, window, now); err != nil {
		return err
	}
	ms, w := now.UnixMilli(), window.Milliseconds()
	f := &m.fleet
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.subjects == nil {
		f.subjects = make(map[subjectKey]*subjectSends)
	}
	need := 0
	for _, b := range bands {
		if f.subjects[subjectKey{b, recipient}] == nil {
			need++
		}
	}
	if need > 0 && len(f.subjects)+need > m.fleetCap() {
		n := 0
		for k, s := range f.subjects { // Go's map order: a random sample
			if n++; n > 4*evictSample {
				break
			}
			if firstLive(s.at, ms-s.window) == len(s.at) {
				delete(f.subjects, k)
			}
		}
		if len(f.subjects)+need > m.fleetCap() {
			return ErrFull
		}
	}
	for _, b := range bands {
		k := subjectKey{b, recipient}
		s := f.subjects[k]
		if s == nil {
			s = &subjectSends{}
			f.subjects[k] = s
		}
		s.at = s.at[firstLive(s.at, ms-w):]
		if len(s.at) >= MaxSubjectSends {
			s.at = s.at[len(s.at)-MaxSubjectSends+1:]
		}
		// Sends arrive nearly in order; one dated earlier than the last
		// is inserted in its place, so the oldest stays first.
		i := len(s.at)
		for i > 0 && s.at[i-1] > ms {
			i--
		}
		s.at = append(s.at, 0)
		copy(s.at[i+1:], s.at[i:])
		s.at[i] = ms
		s.window = max(s.window, w)
	}
	return nil
}

// firstLive returns the index of the first send after cutoff (at is
// sorted).
func firstLive(at []int64, cutoff int64) int {
	i := 0
	for i < len(at) && at[i] <= cutoff {
		i++
	}
	return i
}

var _ Subjects = (*Memory)(nil)
