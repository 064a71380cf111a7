package state

import (
	"context"
	"fmt"
	"math/bits"
	"sync"
	"sync/atomic"
	"time"
)

// MemoryConfig sizes a Memory store. The zero value gives the documented
// defaults.
type MemoryConfig struct {
	// MaxEntries bounds conversations, rate counters, flood-set members and
	// opt-in records together (default 1<<20). When a shard is full the
	// entry expiring soonest among a small random sample is evicted, expired
	// ones first, like Redis's volatile-ttl policy.
	MaxEntries int
	// MaxOptOuts bounds opt-out records (default 1<<20). They are never
	// evicted: past the bound RecordInbound returns ErrFull.
	MaxOptOuts int
	// Retention is how long a conversation is remembered after its last
	// inbound message (default 24h). It bounds every session window.
	Retention time.Duration
	// Shards is the number of lock shards, rounded up to a power of two
	// (default 64). State of one (Tenant, Sender) lives in one shard, so a
	// Consume takes exactly one lock.
	Shards int
}

// Defaults of MemoryConfig.
const (
	DefaultMaxEntries = 1 << 20
	DefaultMaxOptOuts = 1 << 20
	DefaultRetention  = 24 * time.Hour
	DefaultShards     = 64
)

// evictSample is how many entries eviction inspects to pick a victim.
const evictSample = 8

// Memory is the in-process Store: bounded, TTL'd, sharded. It suits a single
// gateway node; state is lost when the process exits, and nodes do not share
// it (use state/redisstore for that).
//
// A Memory is safe for concurrent use. Its zero value is not usable; create
// one with NewMemory.
type Memory struct {
	shards     []shard
	mask       uint64
	shardCap   int
	retention  int64 // milliseconds
	maxOptOuts int64
	optOuts    atomic.Int64
}

type convKey struct{ tenant, sender, channel, recipient string }

type conv struct {
	in int64 // last inbound, Unix milliseconds
	sc int   // messages counted in the session opened at in
}

type optKey struct{ tenant, sender, recipient string }

type rateKey struct {
	tenant, sender string
	window         int64 // milliseconds
}

type rate struct{ idx, n int64 }

type floodKey struct{ tenant, sender, fingerprint string }

type flood struct {
	window  int64            // milliseconds
	oldest  int64            // a lower bound of the member times
	members map[string]int64 // recipient → last send, Unix milliseconds
}

type shard struct {
	mu     sync.Mutex
	n      int // evictable entries: convs, opt-ins, rates, flood members
	convs  map[convKey]conv
	outs   map[optKey]int64 // opted out → time of that opt-out, Unix ms; never evicted
	ins    map[optKey]int64 // opted back in → time of that opt-in; evictable
	rates  map[rateKey]rate
	floods map[floodKey]*flood
	_      [40]byte // keep neighbouring locks off one cache line
}

// NewMemory returns an empty Memory store configured by cfg.
func NewMemory(cfg MemoryConfig) *Memory {
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = DefaultMaxEntries
	}
	if cfg.MaxOptOuts <= 0 {
		cfg.MaxOptOuts = DefaultMaxOptOuts
	}
	if cfg.Retention < time.Millisecond {
		cfg.Retention = DefaultRetention
	}
	if cfg.Shards <= 0 {
		cfg.Shards = DefaultShards
	}
	n := 1 << bits.Len(uint(cfg.Shards-1))
	m := &Memory{
		shards:     make([]shard, n),
		mask:       uint64(n - 1),
		shardCap:   max(2, cfg.MaxEntries/n),
		retention:  cfg.Retention.Milliseconds(),
		maxOptOuts: int64(cfg.MaxOptOuts),
	}
	for i := range m.shards {
		s := &m.shards[i]
		s.convs = make(map[convKey]conv)
		s.outs = make(map[optKey]int64)
		s.ins = make(map[optKey]int64)
		s.rates = make(map[rateKey]rate)
		s.floods = make(map[floodKey]*flood)
	}
	return m
}

// shardFor hashes (tenant, sender) with FNV-1a, the unit Redis keeps in one
// hash slot too.
func (m *Memory) shardFor(tenant, sender string) *shard {
	h := uint64(14695981039346656037)
	for i := 0; i < len(tenant); i++ {
		h = (h ^ uint64(tenant[i])) * 1099511628211
	}
	h = (h ^ 0xff) * 1099511628211
	for i := 0; i < len(sender); i++ {
		h = (h ^ uint64(sender[i])) * 1099511628211
	}
	return &m.shards[h&m.mask]
}

// RecordInbound implements Store. A Memory never returns ErrUnavailable.
func (m *Memory) RecordInbound(ctx context.Context, in Inbound) error {
	if err := in.Validate(); err != nil {
		return err
	}
	k, at := in.Key, in.At.UnixMilli()
	s := m.shardFor(k.Tenant, k.Sender)
	s.mu.Lock()
	defer s.mu.Unlock()

	m.makeRoom(s, 2) // before reading, so eviction cannot drop what we update

	if in.OptOut || in.OptIn {
		ok := optKey{k.Tenant, k.Sender, k.Recipient}
		outAt, wasOut := s.outs[ok]
		inAt, wasIn := s.ins[ok]
		// The newest opt change wins, so a retried or late STOP cannot undo
		// a newer START (or the reverse).
		stale := (wasOut && outAt > at) || (wasIn && inAt > at)
		switch {
		case stale:
		case in.OptOut:
			if !wasOut && m.optOuts.Add(1) > m.maxOptOuts {
				m.optOuts.Add(-1)
				return fmt.Errorf("%w: %d opt-outs recorded", ErrFull, m.maxOptOuts)
			}
			if wasIn {
				delete(s.ins, ok)
				s.n--
			}
			s.outs[ok] = at
		default:
			if wasOut {
				delete(s.outs, ok)
				m.optOuts.Add(-1)
			}
			if !wasIn {
				s.n++
			}
			s.ins[ok] = at
		}
	}

	ck := convKey{k.Tenant, k.Sender, k.Channel, k.Recipient}
	c, found := s.convs[ck]
	if !found {
		s.n++
	}
	if !found || c.in < at {
		s.convs[ck] = conv{in: at}
	}
	return nil
}

// Snapshot implements Store.
func (m *Memory) Snapshot(ctx context.Context, k Key, now time.Time) (Snapshot, error) {
	if err := k.Validate(); err != nil {
		return Snapshot{}, err
	}
	if now.IsZero() {
		return Snapshot{}, fmt.Errorf("%w: zero time", ErrInvalid)
	}
	s := m.shardFor(k.Tenant, k.Sender)
	s.mu.Lock()
	snap := m.snapshot(s, k, now.UnixMilli())
	s.mu.Unlock()
	return snap, nil
}

// snapshot reads k; s.mu is held.
func (m *Memory) snapshot(s *shard, k Key, now int64) Snapshot {
	var snap Snapshot
	_, snap.OptedOut = s.outs[optKey{k.Tenant, k.Sender, k.Recipient}]
	if c, ok := s.convs[convKey{k.Tenant, k.Sender, k.Channel, k.Recipient}]; ok && now < c.in+m.retention {
		snap.HasInbound = true
		snap.LastInbound = time.UnixMilli(c.in).UTC()
		snap.SessionCount = c.sc
	}
	return snap
}

// Consume implements Store.
func (m *Memory) Consume(ctx context.Context, k Key, l Limits, fingerprint string, now time.Time) (Outcome, error) {
	if err := ValidateConsume(k, l, fingerprint, now); err != nil {
		return Outcome{}, err
	}
	ms := now.UnixMilli()
	s := m.shardFor(k.Tenant, k.Sender)
	s.mu.Lock()
	defer s.mu.Unlock()
	m.makeRoom(s, 2) // before reading, so eviction cannot drop what we update

	out := Outcome{Snapshot: m.snapshot(s, k, ms)}
	snap := &out.Snapshot

	inSession := l.Session > 0 && snap.HasInbound && ms < snap.LastInbound.UnixMilli()+l.SessionWindow.Milliseconds()
	if inSession {
		out.SessionCount = snap.SessionCount
		if out.SessionCount+1 > l.Session {
			out.Exceeded |= LimitSession
		}
	}

	var rk rateKey
	var r rate
	if l.Rate > 0 {
		w := l.RateWindow.Milliseconds()
		rk = rateKey{k.Tenant, k.Sender, w}
		idx := floorDiv(ms, w)
		if cur, ok := s.rates[rk]; ok && cur.idx == idx {
			r = cur
		} else {
			r = rate{idx: idx}
		}
		out.RateCount = int(r.n)
		out.RateReset = time.UnixMilli((idx + 1) * w).UTC()
		if r.n+1 > int64(l.Rate) {
			out.Exceeded |= LimitRate
		}
	}

	var fk floodKey
	var f *flood
	member := false
	if l.Flood > 0 && fingerprint != "" {
		w := l.FloodWindow.Milliseconds()
		fk = floodKey{k.Tenant, k.Sender, fingerprint}
		f = s.floods[fk]
		if f != nil {
			if f.oldest <= ms-w {
				m.pruneFlood(s, f, ms-w)
			}
			_, member = f.members[k.Recipient]
			out.FloodCount = len(f.members)
		}
		if !member && out.FloodCount+1 > l.Flood {
			out.Exceeded |= LimitFlood
		}
	}

	if out.Exceeded != 0 || (l.DenyOptedOut && snap.OptedOut) {
		return out, nil
	}
	out.Allowed = true

	if inSession {
		out.SessionCount++
		ck := convKey{k.Tenant, k.Sender, k.Channel, k.Recipient}
		c := s.convs[ck]
		c.sc = out.SessionCount
		s.convs[ck] = c
	}
	if l.Rate > 0 {
		if _, ok := s.rates[rk]; !ok {
			s.n++
		}
		r.n++
		s.rates[rk] = r
		out.RateCount = int(r.n)
	}
	if l.Flood > 0 && fingerprint != "" {
		if !member {
			if f == nil {
				f = &flood{members: make(map[string]int64, 1)}
				s.floods[fk] = f
			}
			s.n++
			out.FloodCount++
		}
		if len(f.members) == 0 || ms < f.oldest {
			f.oldest = ms
		}
		f.members[k.Recipient] = ms
		f.window = l.FloodWindow.Milliseconds()
	}
	return out, nil
}

// pruneFlood drops members last sent at or before cutoff; s.mu is held. It
// runs only when the lower bound f.oldest says something may have expired,
// so a steady flood set is not rescanned on every message.
func (m *Memory) pruneFlood(s *shard, f *flood, cutoff int64) {
	oldest := int64(0)
	first := true
	for rcpt, t := range f.members {
		if t <= cutoff {
			delete(f.members, rcpt)
			s.n--
			continue
		}
		if first || t < oldest {
			oldest, first = t, false
		}
	}
	f.oldest = oldest
}

// makeRoom evicts entries of s until need more fit; s.mu is held.
func (m *Memory) makeRoom(s *shard, need int) {
	for s.n+need > m.shardCap && s.n > 0 {
		m.evictOne(s)
	}
}

// evictOne removes, among up to evictSample entries of each kind, the one
// that expires first. Go's randomized map iteration makes the sample random.
func (m *Memory) evictOne(s *shard) {
	type victim struct {
		kind int
		ck   convKey
		ok   optKey
		rk   rateKey
		fk   floodKey
		rcpt string
		exp  int64
	}
	best := victim{kind: -1}
	consider := func(v victim) {
		if best.kind < 0 || v.exp < best.exp {
			best = v
		}
	}
	i := 0
	for k, c := range s.convs {
		if i++; i > evictSample {
			break
		}
		consider(victim{kind: 0, ck: k, exp: c.in + m.retention})
	}
	i = 0
	for k, at := range s.ins {
		if i++; i > evictSample {
			break
		}
		consider(victim{kind: 1, ok: k, exp: at + m.retention})
	}
	i = 0
	for k, r := range s.rates {
		if i++; i > evictSample {
			break
		}
		consider(victim{kind: 2, rk: k, exp: (r.idx + 1) * k.window})
	}
	i = 0
	for k, f := range s.floods {
		if i++; i > evictSample {
			break
		}
		for rcpt, t := range f.members {
			consider(victim{kind: 3, fk: k, rcpt: rcpt, exp: t + f.window})
			break
		}
		if len(f.members) == 0 {
			delete(s.floods, k)
		}
	}
	switch best.kind {
	case 0:
		delete(s.convs, best.ck)
	case 1:
		delete(s.ins, best.ok)
	case 2:
		delete(s.rates, best.rk)
	case 3:
		f := s.floods[best.fk]
		delete(f.members, best.rcpt)
		if len(f.members) == 0 {
			delete(s.floods, best.fk)
		}
	default:
		// Nothing evictable left; s.n counts only evictable entries, so
		// this means the count drifted. Reset it rather than spin.
		s.n = 0
		return
	}
	s.n--
}

// Len returns the number of evictable entries and of opt-outs held, for
// tests and metrics.
func (m *Memory) Len() (entries, optOuts int) {
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		entries += s.n
		s.mu.Unlock()
	}
	return entries, int(m.optOuts.Load())
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

var _ Store = (*Memory)(nil)
