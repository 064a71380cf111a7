package state

import (
	"context"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"
)

// fleet is Memory's Fleet state, under one lock of its own: a fleet call
// touches records of many senders at once. Its zero value is ready.
//
// since and marked let Observe answer a message without links, while no
// campaign is marked reported, without the lock: every check observes,
// and on two cores the lock's cache line went back and forth for nothing
// but reading an empty table.
type fleet struct {
	mu      sync.Mutex
	since   atomic.Int64 // Unix milliseconds of the first Observe; 0 before
	marked  atomic.Int64 // len(marks), stored under mu after each change
	domains map[string]sighting
	marks   map[uint64]int64 // reported band → expiry, Unix milliseconds

	subjects map[subjectKey]*subjectSends // Subjects (memory_subject.go)
}

// recipientKey is a recipient as a band's member: an E.164 number ('+' and
// at most 15 digits, as the engine passes it) exactly, as its value and its
// number of digits; any other string by a 63-bit hash of it (the top bit
// set, so it never meets a number), under which two such recipients could
// merge with a probability of about 2^-63 a pair. Eight lookups of an
// integer cost less than one of a string.
func recipientKey(r string) uint64 {
	if n := len(r) - 1; n >= 1 && n <= 15 && r[0] == '+' {
		v := uint64(0)
		for i := 1; i < len(r); i++ {
			d := r[i] - '0'
			if d > 9 {
				return recipientHash(r)
			}
			v = v*10 + uint64(d)
		}
		return v<<4 | uint64(n)
	}
	return recipientHash(r)
}

var recipientSeed = maphash.MakeSeed()

func recipientHash(r string) uint64 { return maphash.String(recipientSeed, r) | 1<<63 }

type sighting struct{ first, last int64 }

// fleetCap bounds each of the fleet's tables (domains, campaign
// representatives' bands, campaign members across campaigns, marks,
// same-subject band-recipient pairs) at MaxEntries. A domain record is
// evicted at random when full (the domain is then new again on its next
// sighting); live campaign members and same-subject sends are never
// evicted: past the bound CountCampaign fails closed, as Consume does, and
// RecordSubject returns ErrFull.
func (m *Memory) fleetCap() int { return len(m.shards) * m.shardCap }

// Observe implements Fleet.
func (m *Memory) Observe(ctx context.Context, domains []string, bands []uint64, now time.Time, firstSeen []time.Time) (Observation, error) {
	if err := ValidateFleet(domains, bands, "", now); err != nil {
		return Observation{}, err
	}
	if len(firstSeen) != len(domains) {
		return Observation{}, errFirstSeenLen
	}
	ms, ttl := now.UnixMilli(), FirstSeenTTL.Milliseconds()
	f := &m.fleet
	if since := f.since.Load(); since != 0 && len(domains) == 0 && f.marked.Load() == 0 {
		return Observation{Since: time.UnixMilli(since).UTC()}, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.since.CompareAndSwap(0, ms)
	if f.domains == nil && len(domains) > 0 {
		f.domains = make(map[string]sighting)
	}
	for i, d := range domains {
		s, ok := f.domains[d]
		if !ok || ms-s.last > ttl {
			if !ok && len(f.domains) >= m.fleetCap() {
				for victim := range f.domains { // Go's map order: a random victim
					delete(f.domains, victim)
					break
				}
			}
			s.first = ms
		}
		s.last = max(s.last, ms)
		f.domains[d] = s
		firstSeen[i] = time.UnixMilli(s.first).UTC()
	}
	obs := Observation{Since: time.UnixMilli(f.since.Load()).UTC()}
	for _, b := range bands {
		if exp, ok := f.marks[b]; ok {
			if exp > ms {
				obs.Reported = true
				break
			}
			delete(f.marks, b)
			f.marked.Store(int64(len(f.marks)))
		}
	}
	return obs, nil
}

// MarkReported implements Fleet.
func (m *Memory) MarkReported(ctx context.Context, bands []uint64, reported bool, now time.Time) error {
	if err := ValidateFleet(nil, bands, "", now); err != nil {
		return err
	}
	ms := now.UnixMilli()
	f := &m.fleet
	f.mu.Lock()
	defer f.mu.Unlock()
	defer func() { f.marked.Store(int64(len(f.marks))) }()
	if !reported {
		for _, b := range bands {
			delete(f.marks, b)
		}
		return nil
	}
	if f.marks == nil {
		f.marks = make(map[uint64]int64)
	}
	for _, b := range bands {
		if _, ok := f.marks[b]; !ok && len(f.marks) >= m.fleetCap() {
			for victim := range f.marks { // Go's map order: a random victim
				delete(f.marks, victim)
				break
			}
		}
		f.marks[b] = ms + ReportTTL.Milliseconds()
	}
	return nil
}

var _ Fleet = (*Memory)(nil)
