package filter

import (
	"encoding/binary"
	"hash/maphash"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/coocood/freecache"
)

// Decision caches (stages exact cache and fact cache, doc.go).
//
// The exact cache is keyed by a 128-bit hash of every message field a policy
// can see, the minute the message is checked in, the age of the last inbound
// message in minutes, and the policy generation (a new one at every load or
// reload, so stale entries are never served). The fact cache is keyed by a
// hash of the facts, taken in the walk that builds OPA's input
// (facts_value.go), and the generation: a new message whose
// facts were seen before skips OPA. The local clock (time: local, date,
// weekday, minute) is left out of that hash when the policies cannot read
// it for the message (rules.Set.Clock: never, or only while a quiet-hours
// spec holds the message and none does): the same text to the same kind of
// recipient is then decided once, not once a minute. When the facts' key
// misses, the fact cache is asked again by a second key (check.readKey): a
// hash of only the facts the destination's query can see, run by the
// query's read program (rules.Reads), with the query and the generation,
// so that two messages
// whose facts differ where the destination's rules cannot look (another
// body length on SMS, a fraud score on the same side of every threshold, a
// phone number's digits when no rule fires on it) share a decision. A
// decision is put under both keys. When both miss, each part of the query
// keeps its findings under a key of its own reads (parts.go). Both hold decisions without their id, in
// a compact binary form inside freecache, so they put no pressure on the GC
// and their memory is bounded by their configured size.
//
// A cached decision equals the uncached one for the same message, clock and
// policy revision: everything a decision depends on is in the key.

// exactTTL bounds how long an exact-cache entry lives: its key holds the
// minute, so older entries can only take space. Fact-cache entries do not
// expire (ttl 0): their keys hold the local clock only when the policies
// can read it (rules.Set.Clock), so a text sent for an hour is decided
// once, and the cache's size bounds them.
const exactTTL = 120 // seconds

// Cache levels, as in Decision.Cache.
const (
	CacheExact = "exact"
	CacheFacts = "facts"
)

// decisionCache is one cache level. A nil *decisionCache caches nothing.
type decisionCache struct {
	c   *freecache.Cache
	ttl int           // seconds an entry lives; 0: until evicted
	hot *hotDecisions // the entries hit lately
	// seen admits a key to the exact cache at its second sighting: it
	// remembers, per slot, the last key put there once (nil for the fact
	// cache, which admits every key). Most bodies never repeat (a fresh
	// code in every one-time password): putting each was a tenth of a
	// templated check, and evicted entries that do repeat. A key's slot
	// is picked by its first half and holds a 16-bit fingerprint of it
	// too (seenSlot), two slots a word: a collision costs at most one
	// more sighting, and a unique body is put once in 65,535, a wasted
	// put and nothing more (a key only picks what is cached, never what
	// is decided). Whole second halves took 8 bytes a slot, 512 KiB that
	// every check of a new body missed in the CPU's caches (a sixth of
	// the exact stage of a templated check); fingerprints take 128 KiB.
	// Words are atomic, no lock.
	seen []atomic.Uint32
	// unseen counts the lookups answered by seen alone: a key its slot
	// does not hold was never put, or was put and then lost its slot
	// (a miss costs one more sighting), so freecache is not asked. Striped
	// so that two cores rarely add to one line.
	unseen [16]paddedCount
}

type paddedCount struct {
	n atomic.Int64
	_ [56]byte
}

// exactSeenBytes sizes the exact cache's admission slots from its bytes:
// one 2-byte slot per 256 bytes of cache (65,536 slots, 128 KiB, with the
// default 16 MiB), about one per three entries it holds.
const exactSeenBytes = 256

// hotDecisions holds, decoded, the entries of a cache level hit lately, in
// front of freecache. A freecache hit locks a segment, writes the entry's
// access time and two counters, copies the entry out and decodes it: for a
// message repeated (the exact cache) that was two thirds of a hit's cache
// work, and for a template's checks, which share a few fact keys, it made
// two cores write the same lines on every check. A hot hit loads a pointer
// and adds to one of hotStripes counters: in the fact cache one picked at
// random (math/rand/v2's per-thread generator), so that two cores hitting
// one key rarely add to one line; in the exact cache the slot's, as the
// pick costs about 8 ns, 2 % of an exact hit (a fact hit spares freecache's
// ten times that). The exact cache promotes
// an entry on its first freecache hit; the fact cache, whose keys are many
// and mostly hit once or twice, on its second (seen), so that promotions,
// which allocate, are few. Slots are replaced whole through atomic pointers
// (no lock; entries are never written once stored) and a lookup compares
// the whole key, so a collision is a miss. Entries need no expiry: their
// keys hold the policy generation (and, in the exact cache, the minute), so
// an old one is only never found again, and hotSlots bounds the memory
// they take.
type hotDecisions struct {
	slots [hotSlots]atomic.Pointer[hotEntry]
	seen  []atomic.Uint64 // per slot, the last key (its second half) hit once in freecache; nil: promote on the first hit
	hits  [hotStripes]paddedCount
	// spread: count a hit in a random stripe, else in its slot's
	spread bool
}

const (
	hotSlots   = 256
	hotStripes = 16
)

// promote reports whether key, just hit in freecache, goes into slot i.
func (h *hotDecisions) promote(i uint64, key cacheKey) bool {
	if h.seen == nil {
		return true
	}
	half := binary.LittleEndian.Uint64(key[8:])
	if h.seen[i].Load() == half {
		return true
	}
	h.seen[i].Store(half)
	return false
}

type hotEntry struct {
	key cacheKey
	d   Decision // its Reasons are never handed out: callers get a copy
}

// decision returns a copy of the entry's decision that the caller may
// change.
func (e *hotEntry) decision() Decision {
	d := e.d
	if len(d.Reasons) > 0 {
		d.Reasons = slices.Clone(d.Reasons)
	}
	return d
}

// newDecisionCache returns a cache of size bytes whose entries live ttl
// seconds (0: until evicted) by clk, with hot entries in front promoted on
// a key's second freecache hit (the fact cache); nil (off) for a size of 0.
func newDecisionCache(size, ttl int, clk *cacheClock) *decisionCache {
	if size <= 0 {
		return nil
	}
	hot := &hotDecisions{seen: make([]atomic.Uint64, hotSlots), spread: true}
	return &decisionCache{c: freecache.NewCacheCustomTimer(size, clk), ttl: ttl, hot: hot}
}

// newExactCache is newDecisionCache with admission slots, and hot entries
// promoted on a key's first freecache hit.
func newExactCache(size, ttl int, clk *cacheClock) *decisionCache {
	c := newDecisionCache(size, ttl, clk)
	if c != nil {
		c.hot.seen, c.hot.spread = nil, false
		c.seen = make([]atomic.Uint32, max(size/exactSeenBytes/2, 1))
	}
	return c
}

// admit reports whether the key whose first half is first may be put:
// always without admission slots, else when it was offered before (and
// its slot still holds it); if not, its slot now does.
func (c *decisionCache) admit(first uint64) bool {
	if c.seen == nil {
		return true
	}
	w, shift, fp := c.seenSlot(first)
	for {
		old := w.Load()
		if uint16(old>>shift) == fp {
			return true
		}
		// The word's other slot is kept: a lost race only costs that
		// slot's key one more sighting, and CompareAndSwap retries.
		if w.CompareAndSwap(old, old&^(0xFFFF<<shift)|uint32(fp)<<shift) {
			return false
		}
	}
}

// holds reports whether the admission slot of the key whose first half is
// first holds it.
func (c *decisionCache) holds(first uint64) bool {
	w, shift, fp := c.seenSlot(first)
	return uint16(w.Load()>>shift) == fp
}

// seenSlot returns the word that holds the admission slot of the key whose
// first half is first, the slot's shift in it and the key's fingerprint
// there: the slot is picked by first's top 32 bits times the slot count (a
// multiply, not a 64-bit division), the fingerprint is bits 8-23 (a hot
// slot is picked by bits 0-7), never 0, which an empty slot holds. Both
// come from the first half, so that a body never seen is told apart before
// its key's second half is hashed (exactKey).
func (c *decisionCache) seenSlot(first uint64) (w *atomic.Uint32, shift uint, fp uint16) {
	slot := first >> 32 * uint64(2*len(c.seen)) >> 32
	fp = max(uint16(first>>8), 1)
	return &c.seen[slot/2], uint(slot&1) * 16, fp
}

// mayHold reports whether the exact cache may hold the key whose first
// half is first: its hot slot holds a key with that first half, or its
// admission slot holds its fingerprint (a key it holds not, it never
// put). A nil cache holds nothing.
func (c *decisionCache) mayHold(first uint64) bool {
	if c == nil {
		return false
	}
	if e := c.hot.slots[first%hotSlots].Load(); e != nil && binary.LittleEndian.Uint64(e.key[:8]) == first {
		return true
	}
	return c.seen == nil || c.holds(first)
}

// refused counts a lookup of key that mayHold refused, as lookup counts
// one its admission slot refuses.
func (c *decisionCache) refused(key cacheKey) {
	c.unseen[key[3]%uint8(len(c.unseen))].n.Add(1)
}

// cacheClock is the decision caches' freecache.Timer: the newest reading
// of the engine's clock by a check (validate reads it once per check), in
// Unix seconds, freecache's resolution. freecache's own timer read the
// system clock on every get and set, for expiry and recency: a sixteenth
// of an exact-cache hit. It only moves forward (freecache's recency sums
// assume so), and is written only when the second changes, so that checks
// on two cores do not write one cache line each time. Safe for concurrent
// use.
type cacheClock struct{ sec atomic.Uint32 }

func newCacheClock(now time.Time) *cacheClock {
	c := new(cacheClock)
	c.set(now)
	return c
}

// Now implements freecache.Timer.
func (c *cacheClock) Now() uint32 { return c.sec.Load() }

// set moves the clock to now, unless it is there or past it already.
func (c *cacheClock) set(now time.Time) {
	s := uint32(now.Unix())
	for {
		old := c.sec.Load()
		if s <= old || c.sec.CompareAndSwap(old, s) {
			return
		}
	}
}

type cacheKey [16]byte

var (
	keySeed1 = maphash.MakeSeed()
	keySeed2 = maphash.MakeSeed()
)

// keyHasher builds a 128-bit key from length-prefixed fields, so that no two
// different field lists hash the same input. Fields are gathered in buf and
// hashed a block at a time: a key has dozens of small fields, and two
// maphash writes for each cost more than hashing the bytes (a hash of
// several writes equals that of their concatenation, so the keys are those
// of writing each field). A key that fits in buf, as most do, is hashed in
// one call per half (maphash.Bytes, equal to a Hash's writes and cheaper).
type keyHasher struct {
	h1, h2  maphash.Hash
	n       int
	flushed bool // h1 and h2 hold a block of the key
	buf     [512]byte
	done    []uint64 // a read program's rules run (readPlan.run)
}

// doneBits returns n zero bits for readPlan.run.
func (k *keyHasher) doneBits(n int) []uint64 {
	words := (n + 63) / 64
	if cap(k.done) < words {
		k.done = make([]uint64, words)
	}
	k.done = k.done[:words]
	clear(k.done)
	return k.done
}

func (k *keyHasher) reset() {
	k.n, k.flushed = 0, false
}

func (k *keyHasher) flush() {
	if !k.flushed {
		k.h1.SetSeed(keySeed1)
		k.h2.SetSeed(keySeed2)
		k.flushed = true
	}
	k.h1.Write(k.buf[:k.n])
	k.h2.Write(k.buf[:k.n])
	k.n = 0
}

// str writes s after its length as a uvarint (prefix-free, so fields stay
// apart, and a byte for a short field rather than eight).
func (k *keyHasher) str(s string) {
	if len(k.buf)-k.n < binary.MaxVarintLen64 {
		k.flush()
	}
	k.n += binary.PutUvarint(k.buf[k.n:], uint64(len(s)))
	k.raw(s)
}

// strs writes each of fs as str does. A field under 128 bytes that fits,
// as nearly all do, is written here, with no call but the copy's: a call
// to str for each of the exact key's twelve fields cost a tenth of an
// exact-cache hit.
func (k *keyHasher) strs(fs ...string) {
	for _, s := range fs {
		if b := k.buf[k.n:]; len(s) < 0x80 && len(s) < len(b) {
			b[0] = byte(len(s)) // its uvarint
			k.n += 1 + copy(b[1:], s)
			continue
		}
		k.str(s)
	}
}

// raw writes s without its length: the caller writes the length of what
// raw and zeros write together first.
func (k *keyHasher) raw(s string) {
	if len(s) <= len(k.buf)-k.n {
		k.n += copy(k.buf[k.n:], s)
		return
	}
	k.flush()
	k.h1.WriteString(s)
	k.h2.WriteString(s)
}

// masked writes n 0xFF bytes, which no UTF-8 text holds: the template
// key's masked digits (templateCache).
func (k *keyHasher) masked(n int) {
	for n > 0 {
		if k.n == len(k.buf) {
			k.flush()
		}
		w := min(n, len(k.buf)-k.n)
		for i := range w {
			k.buf[k.n+i] = 0xFF
		}
		k.n += w
		n -= w
	}
}

// kindStr writes kind, then s as str does.
func (k *keyHasher) kindStr(kind byte, s string) {
	if !k.fitStr(kind, s) {
		k.byte(kind)
		k.str(s)
	}
}

// fitStr is kindStr's common case, a short s that fits in buf, else it
// writes nothing and reports false. It and fitUvarint are small enough to
// be inlined: the walk's leaves (walker.str and the like) call them first,
// and so make one call per field, not two (dozens of fields a check).
func (k *keyHasher) fitStr(kind byte, s string) bool {
	n := k.n
	if len(s) >= 0x80 || n+2+len(s) > len(k.buf) {
		return false
	}
	b := k.buf[n:]
	b[0], b[1] = kind, byte(len(s)) // s's length as a uvarint
	copy(b[2:], s)
	k.n = n + 2 + len(s)
	return true
}

// kindUvarint writes kind, then v as uvarint does.
func (k *keyHasher) kindUvarint(kind byte, v uint64) {
	if k.fitUvarint(kind, v) {
		return
	}
	if len(k.buf)-k.n < 1+binary.MaxVarintLen64 {
		k.flush()
	}
	k.buf[k.n] = kind
	k.n += 1 + binary.PutUvarint(k.buf[k.n+1:], v)
}

// fitUvarint is kindUvarint's common case (see fitStr): v under 0x80, one
// byte, that fits in buf.
func (k *keyHasher) fitUvarint(kind byte, v uint64) bool {
	n := k.n
	if v >= 0x80 || n >= len(k.buf)-1 {
		return false
	}
	k.buf[n], k.buf[n+1] = kind, byte(v) // v as a uvarint
	k.n = n + 2
	return true
}

// kindU64 writes kind, then v as u64 does.
func (k *keyHasher) kindU64(kind byte, v uint64) {
	if len(k.buf)-k.n < 9 {
		k.flush()
	}
	k.buf[k.n] = kind
	binary.LittleEndian.PutUint64(k.buf[k.n+1:], v)
	k.n += 9
}

func (k *keyHasher) byte(b byte) {
	if k.n == len(k.buf) {
		k.flush()
	}
	k.buf[k.n] = b
	k.n++
}

func (k *keyHasher) uvarint(v uint64) {
	if len(k.buf)-k.n < binary.MaxVarintLen64 {
		k.flush()
	}
	k.n += binary.PutUvarint(k.buf[k.n:], v)
}

func (k *keyHasher) u64(v uint64) {
	if len(k.buf)-k.n < 8 {
		k.flush()
	}
	binary.LittleEndian.PutUint64(k.buf[k.n:], v)
	k.n += 8
}

func (k *keyHasher) sum() cacheKey {
	var key cacheKey
	if !k.flushed {
		binary.LittleEndian.PutUint64(key[:8], maphash.Bytes(keySeed1, k.buf[:k.n]))
		binary.LittleEndian.PutUint64(key[8:], maphash.Bytes(keySeed2, k.buf[:k.n]))
		return key
	}
	k.flush()
	binary.LittleEndian.PutUint64(key[:8], k.h1.Sum64())
	binary.LittleEndian.PutUint64(key[8:], k.h2.Sum64())
	return key
}

var hasherPool = sync.Pool{New: func() any { return new(keyHasher) }}

// exactKey hashes what a policy can see of a message: its fields, the minute
// it is checked in (time facts have minute resolution) and the conversation
// facts (from the message and the state store), and the engine's report
// generation (a report changes the model's scores, model.go). It hashes the
// key's second half only when x may hold the key (mayHold; whole reports
// it, else key's second half is zero and key must never be looked up or
// put): most templated bodies are new (a fresh code in each), and the
// second pass over the key's bytes was a twentieth of their check.
func exactKey(x *decisionCache, p *policy, m *Message, country string, now time.Time, conv *ConversationFacts, reports uint64) (key cacheKey, whole bool) {
	k := hasherPool.Get().(*keyHasher)
	k.reset()
	k.u64(p.generation)
	k.u64(reports)
	k.strs(string(m.Channel), string(m.Kind), country, m.Sender, m.Recipient, m.SourceIP, m.Tenant,
		m.Body, m.Template, string(m.TemplateCategory), m.Tag, conv.SameSubject.Reopens)
	k.u64(uint64(now.Truncate(time.Minute).Unix())) // floors before 1970 too
	var flags uint64
	if conv.HasInbound {
		flags |= 1
	}
	if conv.OptedOut {
		flags |= 2
	}
	k.u64(flags)
	k.u64(uint64(conv.InboundAgeMinutes))
	k.u64(uint64(conv.SessionMessages))
	k.u64(uint64(conv.SameSubject.Count))
	if k.flushed {
		key, whole = k.sum(), true
	} else {
		first := maphash.Bytes(keySeed1, k.buf[:k.n])
		binary.LittleEndian.PutUint64(key[:8], first)
		if whole = x.mayHold(first); whole {
			binary.LittleEndian.PutUint64(key[8:], maphash.Bytes(keySeed2, k.buf[:k.n]))
		}
	}
	hasherPool.Put(k)
	return key, whole
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// get returns the cached decision for key, if any.
func (c *decisionCache) get(p *policy, key cacheKey) (Decision, bool) {
	d, _, ok := c.lookup(p, key)
	return d, ok
}

// lookup is get, with the hot entry that answered (nil: none did, or
// freecache did and the key was not promoted).
func (c *decisionCache) lookup(p *policy, key cacheKey) (Decision, *hotEntry, bool) {
	if c == nil {
		return Decision{}, nil, false
	}
	i := binary.LittleEndian.Uint64(key[:8]) % hotSlots
	if e := c.hot.slots[i].Load(); e != nil && e.key == key {
		c.hot.count(i)
		return e.decision(), e, true
	}
	if first := binary.LittleEndian.Uint64(key[:8]); c.seen != nil && !c.holds(first) {
		c.refused(key)
		return Decision{}, nil, false
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	val, err := c.c.GetWithBuf(key[:], (*bp)[:cap(*bp)])
	if err != nil {
		return Decision{}, nil, false
	}
	if cap(val) > cap(*bp) {
		*bp = val[:0] // keep the larger buffer
	}
	d, ok := p.decodeDecision(val)
	if ok && c.hot.promote(i, key) {
		e := &hotEntry{key: key, d: d}
		c.hot.slots[i].Store(e)
		return e.decision(), e, true
	}
	return d, nil, ok
}

// count counts a hit of hot slot i: in a random stripe (spread), else in
// the slot's.
func (h *hotDecisions) count(i uint64) {
	stripe := i % hotStripes
	if h.spread {
		stripe = uint64(rand.Uint32() % hotStripes)
	}
	h.hits[stripe].n.Add(1)
}

// put caches d under key, if admitted (admit). Decisions too large for the
// cache are not cached.
func (c *decisionCache) put(key cacheKey, d *Decision) {
	if c == nil || !c.admit(binary.LittleEndian.Uint64(key[:8])) {
		return
	}
	bp := bufPool.Get().(*[]byte)
	b := encodeDecision((*bp)[:0], d)
	_ = c.c.Set(key[:], b, c.ttl) // too large: not cached, decided again next time
	*bp = b[:0]
	bufPool.Put(bp)
}

// putExact is put of an exact key (exactKey) whose second half is hashed
// only if whole. A key not whole is only offered to its admission slot: it
// was refused by it at lookup, so it is admitted only if another check put
// its fingerprint since, and is then left for its next sighting.
func (c *decisionCache) putExact(key cacheKey, whole bool, d *Decision) {
	if whole {
		c.put(key, d)
	} else if c != nil {
		c.admit(binary.LittleEndian.Uint64(key[:8]))
	}
}

// stats returns hits and lookups.
func (c *decisionCache) stats() (hits, lookups int64) {
	if c == nil {
		return 0, 0
	}
	var hot, unseen int64
	for i := range c.hot.hits {
		hot += c.hot.hits[i].n.Load()
	}
	for i := range c.unseen {
		unseen += c.unseen[i].n.Load()
	}
	return c.c.HitCount() + hot, c.c.LookupCount() + hot + unseen
}

// CacheStats reports the decision caches' counters since the engine started.
type CacheStats struct {
	ExactHits, ExactLookups int64
	FactHits, FactLookups   int64
	ExactEntries            int64
	FactEntries             int64
}

// CacheStats returns the caches' counters. It is safe for concurrent use.
func (e *Engine) CacheStats() CacheStats {
	var s CacheStats
	s.ExactHits, s.ExactLookups = e.exact.stats()
	s.FactHits, s.FactLookups = e.facts.stats()
	if e.exact != nil {
		s.ExactEntries = e.exact.c.EntryCount()
	}
	if e.facts != nil {
		s.FactEntries = e.facts.c.EntryCount()
	}
	return s
}

// The encoding: version, action, until (unix seconds, zone offset in
// seconds), then each reason's code, rule and evidence. Country and citation
// come back from the policy's rule table, so entries stay small.
const encodingVersion = 1

var actionBytes = map[Action]byte{Allow: 0, Review: 1, Defer: 2, Block: 3}
var byteActions = [...]Action{Allow, Review, Defer, Block}

func encodeDecision(b []byte, d *Decision) []byte {
	b = append(b, encodingVersion, actionBytes[d.Action])
	if d.Until.IsZero() {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		_, off := d.Until.Zone()
		b = binary.AppendVarint(b, d.Until.Unix())
		b = binary.AppendVarint(b, int64(off))
	}
	b = binary.AppendUvarint(b, uint64(len(d.Reasons)))
	for _, r := range d.Reasons {
		b = appendString(b, string(r.Code))
		b = appendString(b, r.Rule)
		b = appendString(b, r.Evidence)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decodeDecision reverses encodeDecision; a malformed entry is a miss.
func (p *policy) decodeDecision(b []byte) (Decision, bool) {
	if len(b) < 3 || b[0] != encodingVersion || int(b[1]) >= len(byteActions) {
		return Decision{}, false
	}
	d := Decision{Action: byteActions[b[1]], Revision: p.revision, Reasons: []Reason{}}
	b = b[2:]
	hasUntil := b[0] == 1
	b = b[1:]
	if hasUntil {
		unix, n := binary.Varint(b)
		if n <= 0 {
			return Decision{}, false
		}
		off, m := binary.Varint(b[n:])
		if m <= 0 {
			return Decision{}, false
		}
		b = b[n+m:]
		d.Until = time.Unix(unix, 0).In(fixedZone(int(off)))
	}
	count, n := binary.Uvarint(b)
	if n <= 0 || count > uint64(len(b)) {
		return Decision{}, false
	}
	b = b[n:]
	if count > 0 {
		d.Reasons = make([]Reason, count)
	}
	for i := range d.Reasons {
		var code, rule, evidence []byte
		var ok bool
		if code, b, ok = readString(b); !ok {
			return Decision{}, false
		}
		if rule, b, ok = readString(b); !ok {
			return Decision{}, false
		}
		if evidence, b, ok = readString(b); !ok {
			return Decision{}, false
		}
		info, known := p.ruleInfo[string(rule)] // no allocation for the lookup
		if !known {
			return Decision{}, false
		}
		d.Reasons[i] = Reason{
			Code:     internCode(code),
			Rule:     info.rule,
			Country:  info.country,
			Evidence: string(evidence),
			Citation: info.citation,
		}
	}
	return d, true
}

func readString(b []byte) (s, rest []byte, ok bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, false
	}
	return b[k : k+int(n)], b[k+int(n):], true
}

// ruleInfo is what a reason takes from its rule, precomputed per policy so
// that decisions (cached or not) share the strings.
type ruleInfo struct {
	rule, country, citation string
}

// internCode returns the vocabulary's Code for b without allocating.
func internCode(b []byte) Code {
	if c, ok := knownCodes[string(b)]; ok {
		return c
	}
	return Code(b)
}

var zones sync.Map // offset seconds → *time.Location

func fixedZone(off int) *time.Location {
	if loc, ok := zones.Load(off); ok {
		return loc.(*time.Location)
	}
	loc := time.FixedZone("", off)
	zones.Store(off, loc)
	return loc
}

// unixMinute is t.Truncate(time.Minute).Unix() by integer arithmetic,
// without Truncate's division of a Time: the zero Time and the Unix epoch
// are whole minutes apart, and a floored modulo keeps a time before 1970
// (an injected clock's) on its own minute.
func unixMinute(t time.Time) int64 {
	s := t.Unix()
	return s - (s%60+60)%60
}

// generations numbers loaded policies, for cache keys.
var generations atomic.Uint64

// clockCache remembers the time facts of recent checks (check.clockFacts):
// within one minute the checks to one zone list read the same clock and
// the same quiet hours, and formatting and quiet-hours arithmetic were a
// tenth of a templated check. An entry holds everything the facts are made
// of: the minute (quiet-hours specs ignore seconds, rules.QuietSpec.Until,
// and the facts show minutes), the policy generation (the packs' specs
// and zones), the destination and channel (whose packs' specs apply), the
// location and the zones; a lookup compares them all, so a collision is a
// miss. Slots are replaced whole through atomic pointers: no lock, and the
// entries (their QuietUntil maps too) are never written once stored. It is
// off (nil) when the fact cache is, so that an engine without caches
// computes everything (TestCachedEqualsUncached compares the two).
type clockCache struct {
	slots [1024]atomic.Pointer[clockEntry]
}

type clockEntry struct {
	minute  int64
	gen     uint64
	dest    string
	channel Channel
	loc     *time.Location
	zones   []*time.Location
	facts   TimeFacts
	key     *timeKey // the bytes the fact key's walk writes for facts; nil if they did not fit one block
}

func newClockCache(factCacheBytes int) *clockCache {
	if factCacheBytes <= 0 {
		return nil
	}
	return new(clockCache)
}

// facts returns the time facts of c's minute in loc and zones, with the
// bytes the fact key's walk writes for them (nil: walk them).
func (cc *clockCache) facts(c *check, zones []*time.Location, loc *time.Location) (TimeFacts, *timeKey) {
	if cc == nil {
		return c.clockFacts(zones, loc), nil
	}
	minute := unixMinute(c.now)
	h := uint64(minute)*0x9E3779B97F4A7C15 ^ c.p.generation ^ uint64(uintptr(unsafe.Pointer(loc)))
	for _, z := range zones {
		h = (h ^ uint64(uintptr(unsafe.Pointer(z)))) * 0x100000001b3
	}
	h ^= uint64(len(c.dest)) | uint64(len(c.msg.Channel))<<8
	for i := 0; i < len(c.dest); i++ {
		h = (h ^ uint64(c.dest[i])) * 0x100000001b3
	}
	for i := 0; i < len(c.msg.Channel); i++ {
		h = (h ^ uint64(c.msg.Channel[i])) * 0x100000001b3
	}
	slot := &cc.slots[h%uint64(len(cc.slots))]
	if e := slot.Load(); e != nil && e.minute == minute && e.gen == c.p.generation && e.dest == c.dest &&
		e.channel == c.msg.Channel && e.loc == loc && slices.Equal(e.zones, zones) {
		return e.facts, e.key
	}
	f := c.clockFacts(zones, loc)
	key := newTimeKey(&f, c.p.set.Clock())
	slot.Store(&clockEntry{minute: minute, gen: c.p.generation, dest: c.dest, channel: c.msg.Channel,
		loc: loc, zones: zones, facts: f, key: key})
	return f, key
}
