package state

import (
	"context"
	"fmt"
	"hash/maphash"
	"math/bits"
	"sync"
	"sync/atomic"
	"time"

	"github.com/msgfilter/msgfilter/internal/fnv1a"
	"github.com/msgfilter/msgfilter/internal/model"
)

// MemoryConfig sizes a Memory store. The zero value gives the documented
// defaults.
type MemoryConfig struct {
	// MaxEntries bounds conversations, rate counters, flood-set members and
	// opt-in records together (default 1<<20). When a shard is full, an
	// entry is evicted from a small random sample: an expired one first,
	// then the conversation or opt-in record expiring soonest. Live rate
	// counters and flood members are never evicted, since forgetting one
	// would let a limited sender through: when a shard holds nothing else,
	// Consume fails closed (the limit it cannot track is reported
	// exceeded) and RecordInbound returns ErrFull for a conversation it
	// cannot keep (the recipient stays outside any window).
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

// evictSample is how many entries eviction inspects to pick a victim,
// evictTries how many samples it draws before concluding that a shard holds
// only live limit counters, and evictScan how many recipients of one sender
// a sample may walk past. Sampling can miss an evictable entry when a shard
// holds few among many live counters and opt-outs: the store then fails
// closed, as when it holds none.
const (
	evictSample = 8
	evictTries  = 4
	evictScan   = 64
)

// Memory is the in-process Store: bounded, TTL'd, sharded. It suits a single
// gateway node; state is lost when the process exits, and nodes do not share
// it (use state/redisstore for that).
//
// A Memory is safe for concurrent use; its methods never block beyond one
// shard lock, so they ignore ctx. Its zero value is not usable; create one
// with NewMemory.
type Memory struct {
	shards     []shard
	mask       uint64
	present    []atomic.Uint32 // recipient records per hash of (tenant, sender, recipient): see holds
	presMask   uint64
	shardCap   int
	retention  int64 // milliseconds
	maxOptOuts int64
	optOuts    atomic.Int64
	fleet      fleet           // Fleet state (memory_fleet.go)
	reps       representatives // Campaigns state (memory_campaign.go)

	model   model.Memory  // the content model's report counts (model.go)
	reports atomic.Uint64 // their generation
}

// The state of one (Tenant, Sender): everything a Consume touches hangs off
// one record, found with one lookup of a short key.
type senderKey struct{ tenant, sender string }

type sender struct {
	recipients map[string]*recipient
	rates      []rate // one per window length in use; usually one
	floods     map[string]*flood
}

// recipient holds the opt state (all channels) and one conversation per
// channel.
type recipient struct {
	out   bool  // opted out: never evicted
	optIn bool  // an opt-in record, kept to order late opt-outs; evictable
	optAt int64 // time of the newest opt change, Unix milliseconds
	convs []conv
}

type conv struct {
	channel string
	in      int64 // last inbound, Unix milliseconds
	sc      int   // messages counted in the session opened at in
}

type rate struct{ window, idx, n int64 }

type flood struct {
	window  int64            // milliseconds
	oldest  int64            // a lower bound of the member times
	members map[string]int64 // recipient → last send, Unix milliseconds
}

// maxPresence bounds the presence counters: 4 MiB at most.
const maxPresence = 1 << 20

type shard struct {
	mu      sync.Mutex
	n       int // evictable entries: conversations, opt-ins, rate counters, flood members
	senders map[senderKey]*sender
	_       [40]byte // keep neighbouring locks off one cache line
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
	np := 1 << bits.Len(uint(min(cfg.MaxEntries+cfg.MaxOptOuts, maxPresence)-1))
	m := &Memory{
		shards:     make([]shard, n),
		mask:       uint64(n - 1),
		present:    make([]atomic.Uint32, np),
		presMask:   uint64(np - 1),
		shardCap:   max(2, cfg.MaxEntries/n),
		retention:  cfg.Retention.Milliseconds(),
		maxOptOuts: int64(cfg.MaxOptOuts),
	}
	for i := range m.shards {
		m.shards[i].senders = make(map[senderKey]*sender)
	}
	return m
}

// shardFor hashes (tenant, sender) with FNV-1a: a sender's state lives in
// one shard, as it lives in one Redis Cluster slot.
func (m *Memory) shardFor(tenant, sender string) *shard {
	return &m.shards[uint64(senderHash(tenant, sender))&m.mask]
}

func senderHash(tenant, sender string) fnv1a.Hash64 {
	h := fnv1a.New64()
	h.AddString(tenant)
	h.AddByte(0xff)
	h.AddString(sender)
	return h
}

// presence returns the counter of recipient records whose (tenant,
// sender, recipient) picks it (presenceOf).
func (m *Memory) presence(tenant, sender, rcpt string) *atomic.Uint32 {
	return m.presenceOf(newPresenceKey(tenant, rcpt), sender)
}

// presenceOf returns the counter that (tenant, sender, recipient) picks,
// from the hashes of tenant and recipient in p. A counter is picked by a
// keyed hash of each of the three (maphash, each with its own seed, so
// that equal strings in two roles do not cancel): Snapshot hashes the
// tenant and the recipient once for its two senders, and FNV-1a, a
// multiply per byte of all three, was the better part of a Snapshot.
func (m *Memory) presenceOf(p presenceKey, sender string) *atomic.Uint32 {
	return &m.present[m.presenceIndex(p, sender)]
}

func (m *Memory) presenceIndex(p presenceKey, sender string) uint64 {
	return (p.tenant ^ p.rcpt ^ maphash.String(presenceSeeds[1], sender)) & m.presMask
}

// presenceKey holds the hashes of a presence counter's tenant and
// recipient.
type presenceKey struct{ tenant, rcpt uint64 }

func newPresenceKey(tenant, rcpt string) presenceKey {
	return presenceKey{maphash.String(presenceSeeds[0], tenant), maphash.String(presenceSeeds[2], rcpt)}
}

// presenceSeeds key the hashes of a presence counter's tenant, sender and
// recipient (per process: the counters are).
var presenceSeeds = [3]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed(), maphash.MakeSeed()}

// addRecipient adds an empty record for rcpt; the shard's lock is held.
//
// A recipient record (opt state and conversations) is counted in its
// presence counter while it exists: the counter is incremented before the
// record is added and decremented after it is deleted (dropRecipient). So
// a counter read as 0 proves that no record it counts existed at that
// moment, and Snapshot answers "nothing known" without the shard's lock.
// Most checks go to recipients with no record (no reply, no opt-out): on
// two cores, locking the shard of one sender's traffic, or of one
// tenant's brand opt-outs, passed its cache line back and forth on every
// check; the counters are only read.
func (m *Memory) addRecipient(sd *sender, tenant, sndr, rcpt string) *recipient {
	m.presence(tenant, sndr, rcpt).Add(1)
	r := &recipient{}
	sd.recipients[rcpt] = r
	return r
}

// dropRecipient deletes a recipient record; the shard's lock is held.
func (m *Memory) dropRecipient(sd *sender, tenant, sndr, rcpt string) {
	delete(sd.recipients, rcpt)
	m.presence(tenant, sndr, rcpt).Add(^uint32(0))
}

// senderOf returns the record of k's sender, creating it when create is set.
func (s *shard) senderOf(k Key, create bool) *sender {
	sk := senderKey{k.Tenant, k.Sender}
	sd := s.senders[sk]
	if sd == nil && create {
		sd = &sender{recipients: make(map[string]*recipient, 1)}
		s.senders[sk] = sd
	}
	return sd
}

func (r *recipient) conv(channel string) *conv {
	for i := range r.convs {
		if r.convs[i].channel == channel {
			return &r.convs[i]
		}
	}
	return nil
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
	m.makeRoom(s, 2, at) // before reading, so eviction cannot drop what we update

	sd := s.senderOf(k, true)
	r := sd.recipients[k.Recipient]
	if r == nil {
		r = m.addRecipient(sd, k.Tenant, k.Sender, k.Recipient)
	}
	full := func(what string) error {
		m.dropEmpty(s, k, sd, r)
		return fmt.Errorf("%w: %s not recorded: the shard holds %d live entries", ErrFull, what, s.n)
	}

	// The newest opt change wins, so a retried or late STOP cannot undo a
	// newer START (or the reverse).
	if (in.OptOut || in.OptIn) && (!(r.out || r.optIn) || r.optAt <= at) {
		switch {
		case in.OptOut:
			if !r.out {
				if m.optOuts.Add(1) > m.maxOptOuts {
					m.optOuts.Add(-1)
					if !r.optIn && len(r.convs) == 0 {
						m.dropRecipient(sd, k.Tenant, k.Sender, k.Recipient)
					}
					return fmt.Errorf("%w: %d opt-outs recorded", ErrFull, m.maxOptOuts)
				}
			}
			if r.optIn {
				s.n--
			}
			r.out, r.optIn = true, false
		default:
			if !r.optIn && s.n >= m.shardCap {
				// Keep the opt-out rather than forget the opt-in's order:
				// the recipient stays opted out, which is the safe side.
				return full("opt-in")
			}
			if r.out {
				m.optOuts.Add(-1)
			}
			if !r.optIn {
				s.n++
			}
			r.out, r.optIn = false, true
		}
		r.optAt = at
	}

	if c := r.conv(k.Channel); c == nil {
		if s.n >= m.shardCap {
			return full("conversation") // any opt change above is kept
		}
		r.convs = append(r.convs, conv{channel: k.Channel, in: at})
		s.n++
	} else if c.in < at {
		c.in, c.sc = at, 0
	}
	return nil
}

// Snapshot implements Store. The opt state of optOutSender lives in the
// shard of (k.Tenant, optOutSender), so a snapshot with one takes two
// locks, one after the other; a record its presence counter shows absent
// takes none (addRecipient).
func (m *Memory) Snapshot(ctx context.Context, k Key, optOutSender string, now time.Time) (Snapshot, error) {
	if err := k.Validate(); err != nil {
		return Snapshot{}, err
	}
	if len(optOutSender) > MaxFieldLen {
		return Snapshot{}, fmt.Errorf("%w: opt-out sender longer than %d bytes", ErrInvalid, MaxFieldLen)
	}
	if now.IsZero() {
		return Snapshot{}, fmt.Errorf("%w: zero time", ErrInvalid)
	}
	var snap Snapshot
	pk := newPresenceKey(k.Tenant, k.Recipient)
	if m.presenceOf(pk, k.Sender).Load() != 0 {
		s := m.shardFor(k.Tenant, k.Sender)
		s.mu.Lock()
		if sd := s.senderOf(k, false); sd != nil {
			snap, _ = m.snapshot(sd.recipients[k.Recipient], k.Channel, now.UnixMilli())
		}
		s.mu.Unlock()
	}
	if optOutSender != "" {
		snap.OptedOut = false
		if m.presenceOf(pk, optOutSender).Load() != 0 {
			s := m.shardFor(k.Tenant, optOutSender)
			s.mu.Lock()
			if sd := s.senders[senderKey{k.Tenant, optOutSender}]; sd != nil {
				if r := sd.recipients[k.Recipient]; r != nil {
					snap.OptedOut = r.out
				}
			}
			s.mu.Unlock()
		}
	}
	return snap, nil
}

// snapshot reads r (which may be nil) and returns the live conversation on
// channel, if any; the shard lock is held.
func (m *Memory) snapshot(r *recipient, channel string, now int64) (Snapshot, *conv) {
	var snap Snapshot
	if r == nil {
		return snap, nil
	}
	snap.OptedOut = r.out
	c := r.conv(channel)
	if c == nil || now >= c.in+m.retention {
		return snap, nil
	}
	snap.HasInbound = true
	snap.LastInbound = time.UnixMilli(c.in).UTC()
	snap.SessionCount = c.sc
	return snap, c
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
	m.makeRoom(s, 2, ms) // before reading, so eviction cannot drop what we update

	var out Outcome
	var c *conv
	sd := s.senderOf(k, false)
	if sd != nil {
		out.Snapshot, c = m.snapshot(sd.recipients[k.Recipient], k.Channel, ms)
	}

	inSession := l.Session > 0 && c != nil && ms < c.in+l.SessionWindow.Milliseconds()
	if inSession {
		out.SessionCount = c.sc
		if c.sc+1 > l.Session {
			out.Exceeded |= LimitSession
		}
	}

	var r *rate
	var idx int64
	if l.Rate > 0 {
		w := l.RateWindow.Milliseconds()
		idx = floorDiv(ms, w)
		if sd != nil {
			for i := range sd.rates {
				if sd.rates[i].window == w {
					r = &sd.rates[i]
				}
			}
		}
		if r != nil && r.idx == idx {
			out.RateCount = int(r.n)
		}
		out.RateReset = time.UnixMilli((idx + 1) * w).UTC()
		if out.RateCount+1 > l.Rate {
			out.Exceeded |= LimitRate
		}
	}

	var f *flood
	member := false
	doFlood := l.Flood > 0 && fingerprint != ""
	if doFlood {
		w := l.FloodWindow.Milliseconds()
		if sd != nil {
			f = sd.floods[fingerprint]
		}
		if f != nil {
			if f.oldest <= ms-w {
				s.pruneFlood(f, ms-w)
			}
			_, member = f.members[k.Recipient]
			out.FloodCount = len(f.members)
		}
		if !member && out.FloodCount+1 > l.Flood {
			out.Exceeded |= LimitFlood
		}
	}

	if out.Exceeded != 0 || (l.DenyOptedOut && out.Snapshot.OptedOut) {
		return out, nil
	}
	// Fail closed: a counter the store cannot hold is a limit it cannot
	// enforce, so the message is refused as if over that limit.
	var untracked Limit
	need := 0
	if l.Rate > 0 && r == nil {
		untracked, need = untracked|LimitRate, need+1
	}
	if doFlood && !member {
		untracked, need = untracked|LimitFlood, need+1
	}
	if need > 0 && s.n+need > m.shardCap {
		out.Exceeded = untracked
		return out, nil
	}
	out.Allowed = true

	if inSession {
		c.sc++
		out.SessionCount = c.sc
	}
	if l.Rate > 0 || doFlood {
		sd = s.senderOf(k, true)
	}
	if l.Rate > 0 {
		if r == nil {
			sd.rates = append(sd.rates, rate{window: l.RateWindow.Milliseconds()})
			r = &sd.rates[len(sd.rates)-1]
			s.n++
		}
		if r.idx != idx {
			r.idx, r.n = idx, 0
		}
		r.n++
		out.RateCount = int(r.n)
	}
	if doFlood {
		if f == nil {
			if sd.floods == nil {
				sd.floods = make(map[string]*flood, 1)
			}
			f = &flood{members: make(map[string]int64, 1)}
			sd.floods[fingerprint] = f
		}
		if !member {
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

// pruneFlood drops members last sent at or before cutoff. It runs only when
// the lower bound f.oldest says something may have expired, so a steady flood
// set is not rescanned on every message.
func (s *shard) pruneFlood(f *flood, cutoff int64) {
	oldest, first := int64(0), true
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

// makeRoom evicts entries of s until need more fit or only live limit
// counters are left; s.mu is held. Callers check s.n before adding.
func (m *Memory) makeRoom(s *shard, need int, now int64) {
	for s.n+need > m.shardCap && s.n > 0 {
		if !m.evictOne(s, now) {
			return
		}
	}
}

// dropEmpty removes the records of k that hold nothing; s.mu is held.
func (m *Memory) dropEmpty(s *shard, k Key, sd *sender, r *recipient) {
	if len(r.convs) == 0 && !r.out && !r.optIn {
		m.dropRecipient(sd, k.Tenant, k.Sender, k.Recipient)
	}
	if len(sd.recipients) == 0 && len(sd.rates) == 0 && len(sd.floods) == 0 {
		delete(s.senders, senderKey{k.Tenant, k.Sender})
	}
}

// victim is an eviction candidate.
type victim struct {
	kind  uint8 // victimConv, victimOptIn, victimRate, victimFlood
	live  bool  // not expired: ranks after every expired candidate
	exp   int64
	sk    senderKey
	sd    *sender
	name  string // recipient, or fingerprint for floods
	r     *recipient
	j     int // index into r.convs or sd.rates
	f     *flood
	rcpt  string
	found bool
}

const (
	victimConv = iota
	victimOptIn
	victimRate
	victimFlood
)

// consider makes c the victim if it ranks before v. Live rate counters and
// flood members are no candidates: evicting one would reset a limit.
func (v *victim) consider(c victim, now int64) {
	c.live = c.exp > now
	if c.live && (c.kind == victimRate || c.kind == victimFlood) {
		return
	}
	if !v.found || c.live != v.live && !c.live || c.live == v.live && c.exp < v.exp {
		*v = c
		v.found = true
	}
}

// evictOne removes, among a small random sample (Go's randomized map
// iteration makes it random), an expired entry, or else the conversation or
// opt-in record that expires first. Opt-outs and live limit counters are
// never candidates; it reports false when evictTries samples found none.
func (m *Memory) evictOne(s *shard, now int64) bool {
	for range evictTries {
		if m.evictSampled(s, now) {
			return true
		}
	}
	return false
}

func (m *Memory) evictSampled(s *shard, now int64) bool {
	var v victim
	senders := 0
	for sk, sd := range s.senders {
		if len(sd.recipients) == 0 && len(sd.rates) == 0 && len(sd.floods) == 0 {
			delete(s.senders, sk)
			continue
		}
		if senders++; senders > evictSample/2 {
			break
		}
		// Recipients that are only opted out offer nothing to evict: skip
		// them without counting toward the sample, up to evictScan.
		picked, scanned := 0, 0
		for name, r := range sd.recipients {
			if picked >= evictSample/2 || scanned >= evictScan {
				break
			}
			scanned++
			if len(r.convs) > 0 || r.optIn {
				picked++
			}
			for j := range r.convs {
				v.consider(victim{kind: victimConv, exp: r.convs[j].in + m.retention, sk: sk, sd: sd, name: name, r: r, j: j}, now)
			}
			if r.optIn {
				v.consider(victim{kind: victimOptIn, exp: r.optAt + m.retention, sk: sk, sd: sd, name: name, r: r}, now)
			}
		}
		for j, rt := range sd.rates {
			v.consider(victim{kind: victimRate, exp: (rt.idx + 1) * rt.window, sk: sk, sd: sd, j: j}, now)
		}
		i := 0
		for fp, f := range sd.floods {
			if i++; i > evictSample/2 {
				break
			}
			if len(f.members) == 0 {
				delete(sd.floods, fp)
				continue
			}
			for rcpt, t := range f.members {
				v.consider(victim{kind: victimFlood, exp: t + f.window, sk: sk, sd: sd, name: fp, f: f, rcpt: rcpt}, now)
				break
			}
		}
	}
	if !v.found {
		return false
	}
	sd, r := v.sd, v.r
	switch v.kind {
	case victimConv:
		r.convs = append(r.convs[:v.j], r.convs[v.j+1:]...)
	case victimOptIn:
		r.optIn = false
	case victimRate:
		sd.rates = append(sd.rates[:v.j], sd.rates[v.j+1:]...)
	case victimFlood:
		delete(v.f.members, v.rcpt)
		if len(v.f.members) == 0 {
			delete(sd.floods, v.name)
		}
	}
	if r != nil && len(r.convs) == 0 && !r.out && !r.optIn {
		m.dropRecipient(sd, v.sk.tenant, v.sk.sender, v.name)
	}
	if len(sd.recipients) == 0 && len(sd.rates) == 0 && len(sd.floods) == 0 {
		delete(s.senders, v.sk)
	}
	s.n--
	return true
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
