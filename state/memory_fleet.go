package state

import (
	"context"
	"hash/maphash"
	"slices"
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
	bands   map[uint64]*band    // campaign band → recipients
	members int                 // across bands
	marks   map[uint64]int64    // reported band → expiry, Unix milliseconds
	union   map[uint64]struct{} // CountCampaign's scratch set
	clock   uint64              // ticks when any band's members change
	counts  map[uint64]unionCount

	subjects map[subjectKey]*subjectSends // Subjects (memory_subject.go)
}

// unionCount is a campaign's recipient count remembered for its bands (in
// counts, under a hash of them): a template sent again and again to
// recipients it reached before (varying codes leave its band keys as they
// are) counts the same union each time. It stays right while none of the
// bands' members changed since clock at: each change stamps its band with
// a later clock.
type unionCount struct {
	bands []uint64
	limit int
	at    uint64
	count int
}

// Bounds of the remembered counts (at most 2 MiB of bands): past
// maxUnionCounts they are forgotten; a call with more than maxUnionBands
// bands (the engine sends 8) is not remembered.
const (
	maxUnionCounts = 4096
	maxUnionBands  = 64
)

// band is a campaign band's recipients within its window.
type band struct {
	window  int64            // milliseconds
	oldest  int64            // a lower bound of the member times
	members map[uint64]int64 // recipient (recipientKey) → last send, Unix milliseconds
	changed uint64           // fleet.clock when members last changed
}

// recipientKey is a recipient as a band's member: an E.164 number ('+' and
// at most 15 digits, as the engine passes it) exactly, as its value and its
// number of digits; any other string by a 63-bit hash of it (the top bit
// set, so it never meets a number), under which two such recipients could
// merge with a probability of about 2^-63 a pair. Eight lookups of an
// integer cost less than eight of a string: a campaign's check makes them
// for every band.
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

// changed stamps fl as having new members.
func (f *fleet) changed(fl *band) {
	f.clock++
	fl.changed = f.clock
}

func bandsHash(bands []uint64) uint64 {
	h := uint64(len(bands))
	for _, b := range bands {
		h = (h ^ b) * 0x100000001b3
	}
	return h
}

type sighting struct{ first, last int64 }

// fleetCap bounds each of the fleet's tables (domains, campaign members,
// marks, same-subject band-recipient pairs) at MaxEntries. A domain record
// is evicted at random when full (the domain is then new again on its next
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

// CountCampaign implements Fleet.
func (m *Memory) CountCampaign(ctx context.Context, bands []uint64, recipient string, limit int, window time.Duration, now time.Time) (CampaignOutcome, error) {
	if err := ValidateFleet(nil, bands, recipient, now); err != nil {
		return CampaignOutcome{}, err
	}
	if err := ValidateCampaign(limit, window); err != nil {
		return CampaignOutcome{}, err
	}
	if limit == 0 || len(bands) == 0 {
		return CampaignOutcome{Allowed: true}, nil
	}
	ms, w, rcpt := now.UnixMilli(), window.Milliseconds(), recipientKey(recipient)
	f := &m.fleet
	f.mu.Lock()
	defer f.mu.Unlock()
	// The bands found, and whether the recipient is a member of each, kept
	// for the update below (for the engine's 8 bands; more are looked up
	// again).
	var found [16]*band
	var isMember [16]bool
	// The campaign's recipients are the union of its bands' recipients,
	// counted until the bound is reached. Near-duplicates share most of
	// their recipients, so the union starts from the largest band, counted
	// without copying it, and the scratch set holds only the other bands'
	// recipients that it lacks.
	var base *band
	member, need, absent, newest := false, 0, 0, uint64(0)
	for i, b := range bands {
		fl := f.bands[b]
		if fl == nil {
			need++
			absent++
			continue
		}
		if fl.oldest <= ms-w {
			n := len(fl.members)
			pruneMembers(fl, ms-w)
			f.members += len(fl.members) - n
			if len(fl.members) != n {
				f.changed(fl)
			}
		}
		_, ok := fl.members[rcpt]
		if ok {
			member = true
		} else {
			need++
		}
		if i < len(found) {
			found[i], isMember[i] = fl, ok
		}
		if base == nil || len(fl.members) > len(base.members) {
			base = fl
		}
		newest = max(newest, fl.changed)
	}
	h := bandsHash(bands)
	count, known := 0, false
	if uc, ok := f.counts[h]; ok && absent == 0 && uc.at >= newest && uc.limit == limit && slices.Equal(uc.bands, bands) {
		count, known = uc.count, true
	}
	if base != nil && !known {
		count = min(len(base.members), limit)
		if f.union == nil {
			f.union = make(map[uint64]struct{})
		}
		clear(f.union)
		for _, b := range bands {
			fl := f.bands[b]
			if fl == nil || fl == base {
				continue
			}
			for r := range fl.members {
				if count >= limit {
					break
				}
				if _, ok := base.members[r]; ok {
					continue
				}
				if _, ok := f.union[r]; !ok {
					f.union[r] = struct{}{}
					count++
				}
			}
		}
		if absent == 0 {
			f.remember(h, bands, limit, count)
		}
	}
	out := CampaignOutcome{Count: count}
	if !member && out.Count+1 > limit {
		return out, nil
	}
	if f.bands == nil {
		f.bands = make(map[uint64]*band)
	}
	swept := false
	if need > 0 && len(f.bands)+len(bands) > m.fleetCap() {
		f.sweep(ms)
		found = [len(found)]*band{} // sweep may have dropped a band found
		swept = true
	}
	if f.members+need > m.fleetCap() || len(f.bands)+len(bands) > m.fleetCap() {
		return out, nil // fail closed: a count the store cannot keep
	}
	out.Allowed = true
	for i, b := range bands {
		fl, ok := (*band)(nil), false
		if i < len(found) && found[i] != nil {
			fl, ok = found[i], isMember[i]
		} else if fl = f.bands[b]; fl == nil {
			fl = &band{members: make(map[uint64]int64, 1)}
			f.bands[b] = fl
		}
		if !ok { // looked up again: bands may repeat a band
			_, ok = fl.members[rcpt]
		}
		if !ok {
			f.members++
			f.changed(fl)
		}
		if len(fl.members) == 0 || ms < fl.oldest {
			fl.oldest = ms
		}
		fl.members[rcpt] = ms
		fl.window = w
	}
	if !member {
		out.Count++
	}
	// The union after the update is the one counted plus this recipient
	// if it was in none of the bands, and the count was below the limit
	// (else it was refused above): remembered, the next message of the
	// campaign to a new recipient counts in O(bands), not O(members). A
	// sweep may have dropped members of the bands uncounted.
	if !swept {
		f.remember(h, bands, limit, out.Count)
	}
	return out, nil
}

// remember records count as the union count, capped at limit, of bands
// as they are at f.clock; f.mu is held.
func (f *fleet) remember(h uint64, bands []uint64, limit, count int) {
	if len(bands) > maxUnionBands {
		return
	}
	if uc, ok := f.counts[h]; ok && slices.Equal(uc.bands, bands) {
		uc.limit, uc.at, uc.count = limit, f.clock, count
		f.counts[h] = uc
		return
	}
	if f.counts == nil || len(f.counts) >= maxUnionCounts {
		f.counts = make(map[uint64]unionCount)
	}
	f.counts[h] = unionCount{bands: slices.Clone(bands), limit: limit, at: f.clock, count: count}
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

// sweep drops the expired members of a few bands picked at random (Go's
// map order), and the bands left empty; f.mu is held.
func (f *fleet) sweep(now int64) {
	n := 0
	for b, fl := range f.bands {
		if n++; n > 4*evictSample {
			return
		}
		if fl.oldest <= now-fl.window {
			n := len(fl.members)
			pruneMembers(fl, now-fl.window)
			f.members += len(fl.members) - n
			if len(fl.members) != n {
				f.changed(fl)
			}
		}
		if len(fl.members) == 0 {
			delete(f.bands, b)
		}
	}
}

// pruneMembers drops the members of f last seen at or before cutoff.
func pruneMembers(f *band, cutoff int64) {
	oldest, first := int64(0), true
	for r, t := range f.members {
		if t <= cutoff {
			delete(f.members, r)
			continue
		}
		if first || t < oldest {
			oldest, first = t, false
		}
	}
	f.oldest = oldest
}

var _ Fleet = (*Memory)(nil)
