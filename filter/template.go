package filter

// The template cache (stage template cache, doc.go): what the text stages
// made of a body (terms, opt-out instructions, the content model's facts,
// the campaign fingerprint) kept for the next body that differs from it only
// in digits shown not to matter. Most A2P traffic is a few templates with a
// fresh code or amount in each message: without it every one-time code is
// normalized, matched and scored again.
//
// An entry serves every destination and tenant: it keeps what the text
// stages make of the body whatever the destination (the normalized forms'
// results: the hits of the automaton every destination's terms share, the
// scores, the links, the fingerprint), and each check projects its own
// part (templateEntry.project: its destination's terms among the hits; the
// features named only when its destination's or tenant's thresholds could
// fire). A known text sent to a new destination is then not normalized,
// matched and scored again.
//
// The key is the body with the digits of its free runs masked (each made
// 0xFF, a byte no UTF-8 text holds, so that a masked run is never one
// kept as written, and lengths are kept), with the policy generation and
// the report generation. A free run is a run of two or more ASCII digits,
// equal to no token of digits only of a term ("420", the "15" of "ar-15":
// policy.templateRun), whose neighbours are each the body's start or end or
// one of freeNeighbours (a '$' on the left too, when nothing glued precedes
// it). Every other digit is in the key as written. A body that cannot be
// masked safely (below) is keyed as written, which is always sound: what
// an entry keeps is a function of the body and the revisions in the key
// (and of the tenant's brands, for links, below). The two kinds of key never meet.
//
// Why the masked digits cannot change what is cached, stage by stage:
//
//   - normalize (internal/textnorm): a free run's neighbours are
//     punctuation or spaces, so in both forms it is a token of its own,
//     digits only. Leetspeak is undone only in tokens that hold a letter,
//     and single-character tokens are joined only in runs of them (a free
//     run has two digits or more); digits are not letters of scripts
//     written without spaces, so no join reaches it. HTML references need
//     '&' or '#' next to their digits, and bidi controls reorder text, so
//     a body with one is not masked (hasBidi). The forms therefore hold
//     the free run's digits as written, as one token, in the same places.
//   - match (internal/terms): a term that holds a digit is matched in the
//     Words form only, and can match a token of digits only as a whole
//     token of its own equal to it, or as a part when it is not
//     word-bounded and begins or ends with such a token, next to the rest
//     of it, its anchor (terms.DigitTokens). Free runs equal no such
//     token, and a body whose Words form holds an anchor is not
//     stored (anchors hold no digit, so whether a body holds one does not
//     depend on the free runs either). Terms without digits never match a
//     digit. So the same terms match at the same places, with the same
//     evidence.
//   - classify (internal/model): words and bigrams hash digit runs by
//     their length class, character n-grams mask digits, and the shape
//     scan asks only whether a byte is a digit, except for the first three
//     digits of a phone-shaped number (nine digits or more joined by
//     single separators): a free run in a chain of nine digits or more is
//     not masked (maskRuns), unless it is the whole chain, whose first
//     three digits then stay in the key. Reports change scores: their
//     generation is in the key, and with reports shared through the store
//     (another node may report any time) the template cache is off, as the
//     exact cache is.
//   - the campaign fingerprint (internal/campaign) makes every token with
//     a digit one token.
//   - the STOP keyword (hasOptOutText) is four letters with no word byte
//     beside them: a digit is a word byte whatever its value, and never a
//     letter.
//   - the body's size (stage enrich: characters, SMS encoding and
//     segments, internal/smsenc): an ASCII digit is one character, one
//     GSM-7 septet and one UTF-16 unit whatever its value.
//
// Links depend on digits in other ways (a run may be part of one), so only
// a body that cannot hold a link (links.MayHave, a superset of what Analyze
// finds, checked before any link is analysed) is masked. A body that may is
// keyed as written, and its entry keeps its links (templateEntry.links):
// Analyze is a function of the body and the analyzer, which is the
// revision's (its generation in the key: brands, shorteners, feed) and,
// for a tenant with brands of its own, the tenant's (policy.analyzer),
// whose name is then in a literal key. What a link's lists make of it
// (Blocked, SenderRegistered) is the check's, computed from the links on
// every check, hit or miss (stage extract's links step). Phone numbers and
// DLT templates are computed for every message too (stage extract), but
// phone numbers are spared on a hit whose entry found none by the body's
// shape (bodyphones.NoneByShape: every phone-shaped run refused before its
// digits' values are read): bodies under one key differ only in the values
// of ASCII digits (a masked run is written as zeros, the rest as it is), so
// none of them has a number. TestTemplateDigitsDoNotMatter substitutes
// random digits into the free runs of real bodies and requires the same
// text facts; TestCachedEqualsUncached requires the same decisions.

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math"
	"math/bits"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/msgfilter/msgfilter/internal/bodyphones"
	"github.com/msgfilter/msgfilter/internal/links"
	"github.com/msgfilter/msgfilter/internal/smsenc"
	"github.com/msgfilter/msgfilter/internal/terms"
	"github.com/msgfilter/msgfilter/internal/textnorm"
	"github.com/msgfilter/msgfilter/state"
)

// templateEntry is what the text stages made of a body. It is shared by the
// checks that hit it and never written after it is stored.
type templateEntry struct {
	hash       uint64      // of key, seeded (keySeed1): picks the entry's set, and is its tag
	key        string      // the template key (check.writeTemplateKey), compared whole
	hits       *terms.Hits // match: the shared automaton's hits, nil for none; each destination projects its terms
	optOutText bool        // the STOP keyword (OptOutText: letters, whatever the digits beside them)
	bidi       bool        // BidiOverflow
	// model holds the scores, and the features named when the score
	// reaches policy.featureFloor: each check keeps them only when its
	// own thresholds could fire (check.features).
	model    ModelFacts
	print    *campaignPrint // nil without words, or without a fleet store when stored
	noPhones bool           // bodyphones.NoneByShape: no phone number, whatever the digits
	links    []links.Link   // the body's links (uniqueLinks), read-only: nil under a masked key
	size     smsenc.Size    // the body's encoding and segments
	runes    int            // and its length in characters
	// last is the projection of hits a check made last, for the next
	// check to the same destination's terms: the one field written after
	// the entry is stored, a whole projection at a time.
	last atomic.Pointer[projection]
	// content is the fact key's bytes for the content facts of a check
	// that hit the entry (contentKey), for the next check whose content
	// facts are the same: written after the entry is stored, a whole
	// contentKey at a time.
	content atomic.Pointer[contentKey]
	// decided holds decisions of checks that hit the entry, for the next
	// check whose facts are the same (factMemo), in memoWays slots picked
	// by the facts that vary most among a template's checks (memoWay):
	// written after the entry is stored.
	decided [memoWays]memoSlot
	// bytes is what the cache counts for the entry (templateCache.used):
	// its size when stored (entryBytes), plus the projections, content
	// keys and memos stored in it since, less those they replaced
	// (storeCounted); -1 once it left the cache (templateCache.evict).
	bytes atomic.Int64
	cache *templateCache // the cache that counts it, set before it is stored
}

// storeCounted stores v in p, a field of e written after e is stored,
// counting the difference in size with the value it replaces in e's bytes
// and its cache's, unless that would pass the cache's budget: v is then
// not kept, which only makes a later check compute it again. Only a miss
// of the field's value stores (a projection, a content key, a memo), so
// a hit pays nothing.
//
// A value that grows the field is counted before it is stored (the budget
// is checked then), and uncounted if another check stored first; one that
// shrinks it is uncounted only after it is stored. So e's bytes never
// count less than e holds: checks shrinking one field at once, each
// subtracting before its store, once took them below zero, which is
// evict's mark of an entry gone (-1), and the cache then lost the bytes
// for good (TestTemplateCacheBudgetShrinkRace).
func storeCounted[T any](e *templateEntry, p *atomic.Pointer[T], v *T, size func(*T) int64) {
	t := e.cache
	if t == nil {
		p.Store(v)
		return
	}
	old := p.Load()
	d := size(v)
	if old != nil {
		d -= size(old)
	}
	if d <= 0 {
		if !p.CompareAndSwap(old, v) {
			return // another check stored first: keep its value
		}
		for {
			b := e.bytes.Load()
			if b < 0 {
				return // e left the cache: evict released what it held
			}
			if e.bytes.CompareAndSwap(b, b+d) {
				t.used.Add(d)
				return
			}
		}
	}
	if !t.reserve(d) {
		return
	}
	for {
		b := e.bytes.Load()
		if b < 0 {
			t.used.Add(-d) // e left the cache: its bytes are no longer counted
			p.Store(v)
			return
		}
		if e.bytes.CompareAndSwap(b, b+d) {
			break
		}
	}
	if !p.CompareAndSwap(old, v) {
		// Another check stored first: keep its value, and undo the
		// count, unless e has left the cache since (evict released it).
		for {
			b := e.bytes.Load()
			if b < 0 {
				return
			}
			if e.bytes.CompareAndSwap(b, b-d) {
				t.used.Add(-d)
				return
			}
		}
	}
}

// memoSlot is one of an entry's memos: a whole factMemo, replaced only
// by facts offered twice in a row (check.remember; seen is the first half
// of the last fact key offered), so that checks whose facts alternate on
// one slot replace it, and allocate, at most on every other miss rather
// than on every check (TestFactMemoAlternatingFacts).
type memoSlot struct {
	memo atomic.Pointer[factMemo]
	seen atomic.Uint64
}

// memoWays is the memos an entry keeps (about 600 bytes each, with the
// strings only they hold).
const memoWays = 2

// contentKey is what the hash-only walk writes for a template hit's
// content facts (walker.content), with a shallow copy of the facts it
// encodes. A hit's categories and features are its entry's or its
// projection's, shared read-only, so a check whose facts have the same
// values and the same maps and slices copies the bytes rather than walking
// the categories, scores and features (TestContentKeyEqualsWalk). Phone
// numbers, found per check, are walked: the bytes are kept only for none.
type contentKey struct {
	f ContentFacts
	b string
}

// same reports whether f encodes to k's bytes: the same values, the same
// maps and slices. TestContentKeySameCoversFields holds it to every field.
func (k *contentKey) same(f *ContentFacts) bool {
	a, am, fm := &k.f, &k.f.Model, &f.Model
	return a.OptOutText == f.OptOutText && a.OptOutInstruction == f.OptOutInstruction &&
		a.BidiOverflow == f.BidiOverflow && len(f.PhoneNumbers) == 0 && (a.PhoneNumbers == nil) == (f.PhoneNumbers == nil) &&
		sameMap(a.Categories, f.Categories) &&
		math.Float64bits(am.Spam) == math.Float64bits(fm.Spam) && math.Float64bits(am.Fraud) == math.Float64bits(fm.Fraud) &&
		math.Float64bits(am.Unwanted) == math.Float64bits(fm.Unwanted) && sameThresholds(&am.Thresholds, &fm.Thresholds) &&
		sameNames(am.Features.Spam, fm.Features.Spam) && sameNames(am.Features.Fraud, fm.Features.Fraud)
}

// sameMap reports whether a and b are one map: a map value is a pointer
// to the map, the very pointer reflect.Value.UnsafePointer returns, read
// here without making two reflect.Values.
func sameMap(a, b Categories) bool {
	return *(*unsafe.Pointer)(unsafe.Pointer(&a)) == *(*unsafe.Pointer)(unsafe.Pointer(&b))
}

// sameThresholds reports whether a and b hold the same bits, as the walk
// writes them (walker.float: math.Float64bits), in one memequal where ==
// called the struct's generated equality, float by float (which also took
// -0 for 0). Padding that differs is only a miss: the walk then decides.
func sameThresholds(a, b *ModelThresholdFacts) bool {
	n := int(unsafe.Sizeof(*a))
	return unsafe.String((*byte)(unsafe.Pointer(a)), n) == unsafe.String((*byte)(unsafe.Pointer(b)), n)
}

// sameNames reports whether a and b are one slice.
func sameNames(a, b featureNames) bool {
	return len(a) == len(b) && unsafe.SliceData(a) == unsafe.SliceData(b)
}

// contentKey returns the bytes the hash-only walk writes for f, the
// content facts of a check that hit e; nil to walk them: f has phone
// numbers, or the bytes do not fit in the hasher's block. Bytes made here
// are kept for the next check.
func (e *templateEntry) contentKey(f *ContentFacts) *contentKey {
	if len(f.PhoneNumbers) > 0 {
		return nil
	}
	if ck := e.content.Load(); ck != nil && ck.same(f) {
		return ck
	}
	k := hasherPool.Get().(*keyHasher)
	defer hasherPool.Put(k)
	k.reset()
	walker{k: k}.content(f)
	if k.flushed {
		return nil
	}
	ck := &contentKey{f: *f, b: string(k.buf[:k.n])}
	storeCounted(e, &e.content, ck, contentKeyBytes)
	return ck
}

// factMemo is the decision of a template hit, kept in its entry for the
// next hit whose facts are the same, which then skips the fact key's walk,
// its hash and the fact cache (check.memoDecision): a template's checks
// mostly repeat one sender, destination and kind of recipient, and differ
// in nothing the facts hold. Its key is every fact, each group compared
// whole: the content and time facts as the bytes the fact key's walk
// writes for them (contentKey, timeKey: the encoding is injective, so
// equal bytes are equal facts), the others by value (sameFacts); a check
// with links is not memoized. No hash stands for a fact, so a memo is
// never another message's. Its decision is the fact cache's for those
// facts: the hot entry that answered the check that stored the memo, hot,
// whose key is their fact key. Immutable once stored.
type factMemo struct {
	gen           uint64 // the policy generation
	content, time string // contentKey.b, timeKey.b
	hot           *hotEntry
	// The other facts (sameFacts), but the links: a memo is of none, in
	// the three runs of fields Facts lays out between the time, content
	// and links groups (memoHead, memoParties, memoTail).
	head    memoHead
	parties memoParties
	tail    memoTail
}

// memoHead, memoParties and memoTail are copies of the runs of Facts'
// fields a memo compares by value, laid out as Facts lays them out
// (TestFactMemoLayout), so that each run is compared first as one block of
// memory with the check's (sameFacts).
type (
	memoHead struct {
		Schema  int
		Message MessageFacts
	}
	memoParties struct {
		Sender    SenderFacts
		Recipient RecipientFacts
		Source    SourceFacts
	}
	memoTail struct {
		Conversation ConversationFacts
		Campaign     CampaignFacts
		DLT          DLTFacts
	}
)

// newFactMemo returns the memo of facts f, of generation gen, whose
// content and time facts' key bytes are k's, decided as hot says.
func newFactMemo(gen uint64, k memoKey, f *Facts, hot *hotEntry) *factMemo {
	return &factMemo{gen: gen, content: k.content.b, time: k.time.b, hot: hot,
		head:    memoHead{f.Schema, f.Message},
		parties: memoParties{f.Sender, f.Recipient, f.Source},
		tail:    memoTail{f.Conversation, f.Campaign, f.DLT}}
}

// memoKey is what a check's facts are compared with a memo by: the key
// bytes of its content facts (nil: walk them) and of its time facts (nil:
// the walk does not copy them).
type memoKey struct {
	content *contentKey
	time    *timeKey
	way     int // the entry's memo slot (memoWay)
}

// memoWay picks f's memo slot from a few bytes of the facts that most
// often differ among one template's checks: the recipient's region and
// zone, the sender, the destination, the kind, the inbound message's age.
// A slot is a hint, chosen without a hash a sender could aim at a memo:
// the memo's facts are compared whole.
func memoWay(f *Facts) int {
	edge := func(s string) uint32 {
		if len(s) == 0 {
			return 0
		}
		return uint32(len(s)) ^ uint32(s[0])<<4 ^ uint32(s[len(s)-1])<<9 ^ uint32(s[len(s)/2])<<14
	}
	h := edge(f.Recipient.Region)*31 ^ edge(f.Recipient.Zone)
	h = h*31 ^ edge(f.Sender.Raw)
	h = h*31 ^ edge(f.Message.Country) ^ uint32(len(f.Message.Kind))<<3
	h = h*31 ^ uint32(f.Conversation.InboundAgeMinutes)
	h ^= h >> 16
	h ^= h >> 7
	return int(h % memoWays)
}

// sameFacts reports whether f's facts other than content, time and links
// are m's. TestFactMemoCoversFacts changes every field of the facts in
// turn and requires a miss.
//
// Each run of fields is compared first as memory: for a template's checks
// the strings are mostly the very ones the memo holds (the caller's
// constants, the number and zone caches' strings), and equal string
// headers (pointer and length) are equal strings, an equal pointer is one
// value, equal numbers and booleans are equal. That is one memequal call
// a run where the value compares made one call per struct and string
// (MessageFacts, geo.Sender, ...). Memory that differs (another string
// with the same text, padding) proves nothing, and the run is compared by
// value, as before. No hash is involved: the memo's strings are Go
// strings it keeps alive, so an address it compares is never reused for
// other text while it can be compared.
func (m *factMemo) sameFacts(f *Facts) bool {
	if !sameMemory(&m.head, unsafe.Pointer(&f.Schema)) &&
		!(m.head.Schema == f.Schema && m.head.Message == f.Message) {
		return false
	}
	if !sameMemory(&m.parties, unsafe.Pointer(&f.Sender)) {
		p := &m.parties
		if !(p.Sender.Sender == f.Sender.Sender && sameBool(p.Sender.Registered, f.Sender.Registered) &&
			p.Recipient == f.Recipient && p.Source == f.Source) {
			return false
		}
	}
	return sameMemory(&m.tail, unsafe.Pointer(&f.Conversation)) ||
		m.tail.Conversation == f.Conversation && m.tail.Campaign == f.Campaign && m.tail.DLT == f.DLT
}

// sameMemory reports whether the bytes of *a equal those at b, the first
// field of the run of Facts' fields T copies.
func sameMemory[T memoHead | memoParties | memoTail](a *T, b unsafe.Pointer) bool {
	n := int(unsafe.Sizeof(*a))
	return unsafe.String((*byte)(unsafe.Pointer(a)), n) == unsafe.String((*byte)(b), n)
}

// sameBool reports whether a and b are both nil or point to equal values.
func sameBool(a, b *bool) bool {
	return a == b || a != nil && b != nil && *a == *b
}

// matches reports whether m decides facts f of generation gen whose
// content and time facts' key bytes are k's.
func (m *factMemo) matches(gen uint64, k memoKey, f *Facts) bool {
	return m.gen == gen && m.content == k.content.b && m.time == k.time.b && len(f.Links) == 0 && m.sameFacts(f)
}

// memoizable reports whether a check with these facts' key bytes and
// these facts may use a memo: both groups' bytes are known, and it has
// no links.
func (k memoKey) memoizable(f *Facts) bool {
	return k.content != nil && k.time != nil && len(f.Links) == 0
}

// memoDecision (stage fact cache, before buildFacts) sets the check's
// memoKey on a template hit, and answers it when its facts are its
// entry's memo's (factMemo) with the memo's decision, as the fact cache
// would: counted as a hot fact-cache hit, with the facts' key.
func (c *check) memoDecision() bool {
	if c.template == nil || c.e.facts == nil {
		return false
	}
	c.memo.content = c.template.contentKey(&c.facts.Content)
	if c.timeKey != nil && c.timeKey.clockUse == c.p.set.Clock() {
		c.memo.time = c.timeKey
	}
	if !c.memo.memoizable(&c.facts) {
		return false
	}
	c.memo.way = memoWay(&c.facts)
	m := c.template.decided[c.memo.way].memo.Load()
	if m == nil || !m.matches(c.p.generation, c.memo, &c.facts) {
		return false
	}
	c.factKey, c.fromMemo = m.hot.key, true
	c.d = m.hot.decision()
	c.d.answeredBy(CacheFacts)
	c.e.facts.hot.count(binary.LittleEndian.Uint64(m.hot.key[:8]) % hotSlots)
	return true
}

// remember keeps hot, the fact cache's hot entry that answered the check,
// as a memo of its template entry, when the check may be memoized and its
// slot was last offered the same facts (memoSlot): the facts have then
// been decided four times at least (a hot entry is promoted on its key's
// second freecache hit), so they are worth a memo.
func (c *check) remember(hot *hotEntry) {
	if !c.memo.memoizable(&c.facts) {
		return
	}
	slot, half := &c.template.decided[c.memo.way], binary.LittleEndian.Uint64(hot.key[:8])
	if slot.seen.Load() != half {
		slot.seen.Store(half)
		return
	}
	storeCounted(c.template, &slot.memo, newFactMemo(c.p.generation, c.memo, &c.facts, hot), memoBytes)
}

// projection is what a destination's terms make of an entry's hits.
type projection struct {
	m          *terms.Matcher
	categories Categories // read-only, shared by the checks that take it
	instructs  bool       // the opt-out lists' instructions (OptOutInstruction without STOP)
}

// project returns the content categories and the opt-out instruction of
// the check's destination among e's hits (match), ok false when they
// cannot be read (hits of another revision's automaton: a miss).
func (e *templateEntry) project(m *terms.Matcher, body string) (Categories, bool, bool) {
	if e.hits == nil {
		return nil, false, true // no pattern of any list: no term of any destination
	}
	if p := e.last.Load(); p != nil && p.m == m {
		return p.categories, p.instructs, true
	}
	cats, instructs, ok := categorize(m, e.hits, body)
	if ok {
		storeCounted(e, &e.last, &projection{m: m, categories: cats, instructs: instructs}, projectionBytes)
	}
	return cats, instructs, ok
}

// templateCache maps template keys to entries. It is safe for concurrent
// use and takes no lock: a key has a set of templateWays slots, atomic
// pointers to entries that are never written once stored; a new key takes
// a free slot of its set, else replaces one at random. A key's set is
// picked by its seeded 64-bit hash (keySeed1), and a lookup compares the
// key's bytes, which the entry keeps: keys whose hashes collide share a
// set, never an entry.
//
// Its memory is bounded by its budget, a byte count of templateEntryBytes
// a slot, which the bytes it counts (used) never pass: an entry's own
// bytes with what it holds (its key, hits, links, named features and
// projection: entryBytes) are counted before it is stored and released
// when it is replaced or evicted, and so are the projections, content
// keys and memos stored in an entry later (storeCounted), each counted
// in the entry (templateEntry.bytes) so that evicting it releases them
// all. An entry or a value that would pass the budget is not stored, and
// the check computes what it would have held, to the same decision.
// Only stores, which follow misses, count: a hit pays nothing.
// TestTemplateCacheBudget holds the count to the live entries. Every
// templated check reads it:
// under per-shard read locks, two cores checking one template both wrote
// the lock's reader count, a cache line moved back and forth on every hit.
// A nil *templateCache caches nothing.
type templateCache struct {
	slots []atomic.Pointer[templateEntry] // sets of templateWays
	// tags holds, beside each slot, its entry's hash, stored after the
	// entry: a lookup loads only the entries whose tag
	// matches, one where it read every entry of a full set, each a cache
	// miss (the templated row's literal keys of bodies with links fill
	// sets that never repeat). A tag is a hint: the whole key is still
	// compared, so a tag out of step with its slot is only a miss.
	tags []atomic.Uint64
	// used is the bytes of the entries stored (templateEntry.bytes), and
	// never passes budget: an entry, or a value stored in one later, is
	// counted before it is stored and released after it is replaced, and
	// one that would pass the budget is not stored. The check then
	// proceeds uncached, to the same decision. Only misses write it.
	used   atomic.Int64
	budget int64 // templateEntryBytes a slot
}

// reserve counts n more bytes (n < 0: fewer), and reports false, counting
// nothing, when that would pass the budget.
func (t *templateCache) reserve(n int64) bool {
	for {
		u := t.used.Load()
		if n > 0 && u+n > t.budget {
			return false
		}
		if t.used.CompareAndSwap(u, u+n) {
			return true
		}
	}
}

// evict releases the bytes of e, which has left the cache (swapped out of
// its slot): once, whoever else holds it.
func (t *templateCache) evict(e *templateEntry) {
	if b := e.bytes.Swap(-1); b > 0 {
		t.used.Add(-b)
	}
}

const (
	// maxTemplateBody bounds the bodies cached: an entry holds its key
	// (the body, and at most templateKeyHead plus a tenant name more), its
	// body's links and its last projection's evidence, taken from a body,
	// and at most maxTemplateHits hits, so an entry is at most about
	// 4.3 KiB, and 1.2 KiB more with both memos (far less for most: a key
	// of a short body, a few hits, no link, memos only of facts hot in the
	// fact cache). The cache's memory is bounded by its budget, not by
	// this: every entry is counted as it is.
	maxTemplateBody = 1024
	// templateEntryBytes sizes the cache from the fact cache's bytes: one
	// slot per 2 KiB (16,384 slots with the default 32 MiB, 1,024 at
	// least), and a budget of 2 KiB a slot (templateCache.used: the
	// fact cache's configured bytes, 2 MiB at least). The realistic row's
	// 16,384 entries hold about 12 MB of the default 32 MiB, and the
	// budget refuses none there: a slot is a share of the bytes, not a
	// cap on one entry.
	templateEntryBytes = 2048
	// templateWays is the slots a key may take. With one slot per key the
	// realistic row (about 19,000 live keys: 2,663 corpus texts to seven
	// destinations, and the templates) hit 82.6 % of its lookups, keys
	// evicted by another key of their slot; with four ways 90.5 %, with
	// eight 92.4 % (the locked maps before them, emptied when full: 93.9 %).
	// A lookup reads the set's eight tags and only the entries whose tag
	// matches (tags).
	templateWays = 8
	// templateKeyCap is the longest template key (check.writeTemplateKey)
	// of a tenant id of at most state.MaxFieldLen bytes: the generations,
	// the kind, the id's length (a uvarint of at most 16 bits) and the id,
	// the body. A check builds its key in an array of this size on its
	// stack, unless it fits in one of smallTemplateKey.
	templateKeyCap  = templateKeyHead + state.MaxFieldLen + maxTemplateBody
	templateKeyHead = 8 + 8 + 1 + binary.MaxVarintLen16
	// smallTemplateKey is the array of a key of a short body and tenant:
	// zeroing templateKeyCap bytes was a tenth of the key's cost.
	smallTemplateKey = 320
	// maxTemplateHits bounds the hits an entry keeps (16 bytes each, 512
	// bytes at most), so that an entry stays about templateEntryBytes: a
	// body with more occurrences of the terms' patterns is not stored. Of
	// the 3,743 corpus bodies of the filter's tests, the most has 21, the
	// 99th percentile 12.
	maxTemplateHits = 32
)

// newTemplateCache returns a template cache sized by the fact cache's bytes,
// or nil (off) when the fact cache is off: both serve checks whose facts
// were seen before, and an engine without caches (WithCacheSizes(Off, Off))
// computes everything.
func newTemplateCache(factCacheBytes int) *templateCache {
	if factCacheBytes <= 0 {
		return nil
	}
	sets := max(factCacheBytes/templateEntryBytes, 1024) / templateWays
	return &templateCache{
		slots:  make([]atomic.Pointer[templateEntry], sets*templateWays),
		tags:   make([]atomic.Uint64, sets*templateWays),
		budget: int64(sets * templateWays * templateEntryBytes),
	}
}

// set returns the slots and tags of the keys of hash h: set h*sets/2^64,
// the high word of a multiplication where h%sets was a division (tens of
// cycles on every templated check).
func (t *templateCache) set(h uint64) ([]atomic.Pointer[templateEntry], []atomic.Uint64) {
	s, _ := bits.Mul64(h, uint64(len(t.slots)/templateWays))
	i := s * templateWays
	return t.slots[i : i+templateWays : i+templateWays], t.tags[i : i+templateWays : i+templateWays]
}

// get returns the entry of key, whose hash is h, or nil.
func (t *templateCache) get(h uint64, key []byte) *templateEntry {
	set, tags := t.set(h)
	for i := range set {
		if tags[i].Load() != h {
			continue
		}
		if e := set[i].Load(); e != nil && e.key == string(key) {
			return e
		}
	}
	return nil
}

// put stores e, which must not be written after but for the fields
// storeCounted writes: in a free slot of its set or its own key's, else in
// place of a random one. Its bytes (entryBytes) are counted first. When
// they would pass the budget, e may take the room of the slot's entry:
// only if the budget holds e once that entry's bytes are released is the
// entry evicted, else e is not stored and nothing is evicted. Two checks
// storing at once may both take one slot (one entry stays) or store one
// key twice (both are the same facts): either way every entry found is
// right, and each entry swapped out is released once.
func (t *templateCache) put(e *templateEntry) {
	set, tags := t.set(e.hash)
	i := -1
	for j := range set {
		if old := set[j].Load(); old == nil || old.key == e.key {
			i = j
			break
		}
	}
	if i < 0 {
		i = rand.N(templateWays)
	}
	e.cache = t
	n := entryBytes(e)
	e.bytes.Store(n)
	if !t.reserve(n) && !t.takeRoom(&set[i], n) {
		e.bytes.Store(-1) // never counted: storeCounted counts nothing for it
		return
	}
	if old := set[i].Swap(e); old != nil {
		t.evict(old)
	}
	tags[i].Store(e.hash)
}

// takeRoom counts n bytes for an entry that is to take the place of the
// entry in slot, and evicts that entry, when the budget holds n once its
// bytes are released; else it reports false and changes nothing. It
// reserves what n exceeds the entry's bytes by before it takes the entry
// out of the slot, so an entry that would not fit even then evicts
// nothing, and the room the evicted entry leaves is never seen free by
// another store. The entry may have grown or shrunk since (storeCounted):
// its count at eviction settles the rest. The one case that then lacks
// room (it shrank meanwhile, and another store took what that freed)
// evicts it and counts nothing.
func (t *templateCache) takeRoom(slot *atomic.Pointer[templateEntry], n int64) bool {
	old := slot.Load()
	if old == nil {
		return false
	}
	b := old.bytes.Load()
	if b < 0 {
		return false // leaving the cache: another put is evicting it
	}
	r := max(n-b, 0)
	if !t.reserve(r) {
		return false // more than the room old's eviction makes
	}
	if !slot.CompareAndSwap(old, nil) {
		t.used.Add(-r) // another put took the slot
		return false
	}
	// Out of its slot by this CAS, old is evicted here and nowhere else:
	// its count is still >= 0. It and r are now n's.
	held := old.bytes.Swap(-1) + r
	if held >= n {
		t.used.Add(n - held)
		return true
	}
	if t.reserve(n - held) {
		return true
	}
	t.used.Add(-held)
	return false
}

// maskRule is which free runs of digits a policy's template cache masks:
// runs of two digits or more equal to no token of digits only of its terms
// (terms.DigitTokens). The zero value masks none: no template cache.
type maskRule struct {
	run int // the shortest run masked: 2, or 0 for none
	// short holds the tokens of two and three digits (add), by value: a
	// two-digit token v at bit v, a three-digit one at bit 100+v, so that
	// masks answers the runs most bodies hold ("10", "35", "08") with one
	// load where it compared each token.
	short   [(100 + 1000 + 63) / 64]uint64
	tokens  []string // the other tokens: a run equal to one is keyed as written
	longest int      // the longest of tokens
}

// add makes t, a term's token of digits only, a run keyed as written.
func (m *maskRule) add(t string) {
	if v, ok := shortRun(t); ok {
		m.short[v/64] |= 1 << (v % 64)
		return
	}
	if !slices.Contains(m.tokens, t) {
		m.tokens = append(m.tokens, t)
		m.longest = max(m.longest, len(t))
	}
}

// shortRun returns the bit of short for a run r of two or three ASCII
// digits; ok is false for another length.
func shortRun(r string) (v int, ok bool) {
	switch len(r) {
	case 2:
		return int(r[0]-'0')*10 + int(r[1]-'0'), true
	case 3:
		return 100 + int(r[0]-'0')*100 + int(r[1]-'0')*10 + int(r[2]-'0'), true
	}
	return 0, false
}

// masks reports whether the free run r (ASCII digits) is masked.
func (m *maskRule) masks(r string) bool {
	if m.run == 0 || len(r) < m.run {
		return false
	}
	if v, ok := shortRun(r); ok {
		return m.short[v/64]&(1<<(v%64)) == 0
	}
	return len(r) > m.longest || !slices.Contains(m.tokens, r)
}

// templateRun returns the free runs of digits a policy's template cache
// masks and the anchors of its terms that can match part of a run
// (terms.DigitTokens). It masks none, no template cache, when an anchor
// is empty or holds a digit: only an anchor of letters is found in the
// same places whatever the free runs' digits.
func templateRun(lists ...[]terms.Term) (rule maskRule, anchors [][]byte) {
	rule.run = 2
	for _, l := range lists {
		tokens, as := terms.DigitTokens(l)
		for _, a := range as {
			if a == "" || strings.ContainsAny(a, "0123456789") {
				return maskRule{}, nil
			}
			anchors = append(anchors, []byte(a))
		}
		for _, t := range tokens {
			rule.add(t)
		}
	}
	return rule, anchors
}

// freeNeighbour reports the characters a free run may touch: separators in
// both normalized forms that no de-obfuscation joins to a digit.
func freeNeighbour(b byte) bool {
	switch b {
	case ' ', '.', ',', ':', '-', '/', '(', ')', '%', '+':
		return true
	}
	return false
}

// maskRuns calls mask(i, j) for every free run body[i:j] that rule masks,
// in order, and reports whether the body may be keyed masked:
// no bidi control, and no free run in a chain of digits that the model
// could read as a phone number (nine digits or more joined by single
// separators), but for a run that is such a number on its own, which is
// masked after its first three digits (the model's phone-number prefix).
func maskRuns(body string, rule *maskRule, mask func(i, j int)) bool {
	// Every bidi control's UTF-8 form begins with 0xE2: IndexByte finds
	// that a body has none faster than the byte loop of HasBidiControl.
	if rule.run == 0 || strings.IndexByte(body, 0xE2) >= 0 && textnorm.HasBidiControl(body) {
		return false
	}
	chainDigits, chainMasked := 0, false // the chain of digits the current run is in
	for i := nextDigit(body, 0); i < len(body); i = nextDigit(body, i) {
		j := i
		for j < len(body) && isASCIIDigit(body[j]) {
			j++
		}
		// A run joined to the previous one by a single separator
		// (the model's phone numbers: ' ', '-', '.', '(' or ')').
		chained := i >= 2 && chainSeparator(body[i-1]) && isASCIIDigit(body[i-2])
		if !chained {
			chainDigits, chainMasked = 0, false
		}
		chainDigits += j - i
		if rule.masks(body[i:j]) && free(body, i, j) {
			if j-i >= 9 && !chained && !(j+1 < len(body) && chainSeparator(body[j]) && isASCIIDigit(body[j+1])) {
				// A phone-shaped number on its own (a parcel number):
				// the model reads its first three digits, which stay.
				mask(i+3, j)
				i = j
				continue
			}
			chainMasked = true
			mask(i, j)
		}
		if chainMasked && chainDigits >= 9 {
			return false
		}
		i = j
	}
	return true
}

// nextDigit returns the index of the first ASCII digit of s at or after
// i, or len(s). Most of a body is not digits: it looks at eight bytes at a
// time (a byte b is a digit when b^'0' < 10; the word test below flags
// every byte under 10, and the lowest flag is always a true one).
func nextDigit(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		x ^= '0' * ones
		if m := (x - 10*ones) &^ x & highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(s) && !isASCIIDigit(s[i]); i++ {
	}
	return i
}

// free reports whether body[i:j], a maximal run of digits, stands alone.
func free(body string, i, j int) bool {
	left := i == 0 || freeNeighbour(body[i-1]) ||
		body[i-1] == '$' && (i == 1 || freeNeighbour(body[i-2]))
	return left && (j == len(body) || freeNeighbour(body[j]))
}

func chainSeparator(b byte) bool {
	return b == ' ' || b == '-' || b == '.' || b == '(' || b == ')'
}

func isASCIIDigit(b byte) bool { return '0' <= b && b <= '9' }

// templateCache (stage 5) takes the text stages' facts (normalize, match,
// classify and the campaign fingerprint) from the template cache when the
// body masks to a key seen before, or, when masking is not shown safe (a
// link, a phone-shaped chain, a bidi control), when the very same body was
// seen before: what an entry keeps is a function of the body and the
// revisions in the key, so the literal body is always a sound key, and the
// check's destination projects its own terms and features from it. A hit
// also gives the body's links (stage extract's links step).
func (c *check) templateCache() bool {
	t := c.e.template
	body := c.msg.Body
	if t == nil || c.explain || c.e.reports.shared || len(body) > maxTemplateBody {
		return false
	}
	// The key is built on the stack, in an array that must be zeroed: a
	// small one for most bodies.
	var key []byte
	if len(body)+len(c.msg.Tenant) <= smallTemplateKey-templateKeyHead {
		var buf [smallTemplateKey]byte
		key = c.writeTemplateKey(buf[:])
	}
	if key == nil {
		var buf [templateKeyCap]byte
		if key = c.writeTemplateKey(buf[:]); key == nil {
			return false // a tenant id longer than a key holds: no template cache, which is always sound
		}
	}
	h := maphash.Bytes(keySeed1, key)
	c.hasTemplate = true
	e := t.get(h, key)
	if e == nil {
		// A miss keeps the key for the entry rememberTemplate stores.
		c.templateKey = string(key)
		return false
	}
	cats, instructs, ok := e.project(c.p.matcher(c.dest), body)
	if !ok {
		c.templateKey = string(key)
		return false
	}
	c.instructs = instructs
	c.size, c.runes, c.sized = e.size, e.runes, true
	f := &c.facts.Content
	f.Categories = cats
	f.OptOutText = e.optOutText
	f.OptOutInstruction = e.optOutText || instructs
	f.BidiOverflow = e.bidi
	f.Model = e.model
	if len(e.model.Features.Spam)+len(e.model.Features.Fraud) > 0 {
		f.Model.Features = c.features(e.model.Unwanted, e.model.Features) // else none were named for any check
	}
	c.noPhones = e.noPhones
	c.template = e
	c.bodyLinks, c.linked = e.links, true
	if c.print == nil {
		c.print = e.print
	}
	return true
}

// writeTemplateKey writes the check's template key into buf and returns
// it, or nil when it does not fit (a body of more than maxTemplateBody
// bytes, or a tenant id, lower-cased, longer than buf leaves), and sets
// c.templateMasked: the policy and report generations, then the
// body with its free runs masked, or, when masking is not shown safe, a
// literal body after the tenant whose own brands change its links. The key
// is compared whole (templateCache.get), so its encoding need only be
// injective: the header has a fixed length, a kind byte and a tenant name
// prefixed by its length, and the body runs to the end.
func (c *check) writeTemplateKey(buf []byte) []byte {
	body := c.msg.Body
	var stack [8][2]int
	runs := stack[:0]
	// A masked key only for a body that cannot hold a link: a run's digits
	// may be part of one.
	c.templateMasked = !links.MayHave(body) &&
		maskRuns(body, &c.p.templateRun, func(i, j int) { runs = append(runs, [2]int{i, j}) }) && len(runs) > 0
	if !c.templateMasked {
		runs = nil // maskRuns may have found runs before it refused the body
	}
	// No destination, and no tenant's thresholds: an entry holds what the
	// text stages make of the body for every destination and tenant
	// (templateEntry), and each check projects its own part.
	if len(buf) < templateKeyHead+len(body) {
		return nil
	}
	binary.LittleEndian.PutUint64(buf, c.p.generation)
	binary.LittleEndian.PutUint64(buf[8:], c.e.reports.generation())
	n := 16
	switch {
	case c.templateMasked:
		buf[n] = keyMasked // a masked key is never a literal one
	case c.p.tenantLinks[c.facts.Message.Tenant] != nil:
		// The entry keeps the body's links, and a tenant's own brands
		// change them (policy.analyzer: BrandInText, HomographOf).
		id := c.facts.Message.Tenant // validate's tenantID
		if len(buf) < templateKeyHead+len(id)+len(body) || len(id) > math.MaxUint16 {
			return nil
		}
		buf[n] = keyLiteralTenant
		n += binary.PutUvarint(buf[n+1:], uint64(len(id)))
		n += copy(buf[n+1:], id)
	default:
		buf[n] = keyLiteral
	}
	n++
	key := buf[:n+copy(buf[n:], body)]
	for _, r := range runs {
		// A masked run is as long as its digits: each is made 0xFF, a
		// byte no UTF-8 text holds, eight at a time, then one at a time
		// (a run is mostly a few digits: a copy call cost more).
		m := key[n+r[0] : n+r[1]]
		for ; len(m) >= 8; m = m[8:] {
			binary.LittleEndian.PutUint64(m, math.MaxUint64)
		}
		for i := range m {
			m[i] = 0xFF
		}
	}
	return key
}

// The template key's kinds (writeTemplateKey).
const (
	keyLiteral       byte = iota // the body as written
	keyLiteralTenant             // the body as written, for a tenant with brands of its own
	keyMasked                    // the body with its free runs masked
)

// rememberTemplate stores what the text stages made of a body that may use
// the template cache, with its campaign fingerprint when a fleet store will
// ask for it (stage classify's campaign would compute it next).
func (c *check) rememberTemplate() {
	if !c.hasTemplate {
		return
	}
	if c.templateMasked {
		words := c.text.Bytes(textnorm.Words)
		for _, a := range c.p.templateAnchors {
			if bytes.Contains(words, a) {
				return // a term may match part of a free run here
			}
		}
	}
	scanned := &c.scratch.hits
	if scanned.Len() > maxTemplateHits {
		return
	}
	var hits *terms.Hits
	if scanned.Len() > 0 {
		hits = scanned.Clone()
	}
	if c.print == nil && c.e.fleet() != nil {
		c.print = c.campaignBands()
	}
	c.measure()
	f := &c.facts.Content
	model := f.Model
	model.Features = c.named
	e := &templateEntry{
		hash:       maphash.String(keySeed1, c.templateKey),
		key:        c.templateKey,
		hits:       hits,
		optOutText: f.OptOutText,
		bidi:       f.BidiOverflow,
		model:      model,
		print:      c.print,
		noPhones:   bodyphones.NoneByShape(c.msg.Body),
		links:      c.bodyLinks,
		size:       c.size,
		runes:      c.runes,
	}
	e.last.Store(&projection{m: c.p.matcher(c.dest), categories: f.Categories, instructs: c.instructs})
	c.e.template.put(e)
}

// The sizes the template cache counts (templateCache.used): each value's
// own bytes and the memory only it may hold, taken generously: a string
// or slice an entry shares with the check's caller (a link's URL is part
// of the body) or with a policy (a feature's name) is counted all the
// same, a map's entries at mapEntryBytes more than their keys and values.
// Memory the policy owns (its matcher and automata) is not counted.

// entryBytes is e's size when it is stored, its last projection's
// included: its key, hits, links, fingerprint and named features.
func entryBytes(e *templateEntry) int64 {
	n := int64(unsafe.Sizeof(*e)) + int64(len(e.key))
	if e.hits != nil {
		n += int64(unsafe.Sizeof(*e.hits)) + heldBytes(reflect.ValueOf(e.hits).Elem().Field(1))
	}
	if e.print != nil {
		n += int64(unsafe.Sizeof(*e.print))
	}
	n += heldBytes(reflect.ValueOf(&e.links).Elem()) + heldBytes(reflect.ValueOf(&e.model.Features).Elem())
	if p := e.last.Load(); p != nil {
		n += projectionBytes(p)
	}
	return n
}

// projectionBytes is p's size: its categories, their terms and evidence.
// It ranges over the map itself: a reflect.MapIter allocates each key.
func projectionBytes(p *projection) int64 {
	n := int64(unsafe.Sizeof(*p)) +
		int64(len(p.categories))*int64(unsafe.Sizeof("")+unsafe.Sizeof(CategoryFacts{})+mapEntryBytes)
	for k, c := range p.categories {
		n += int64(len(k)) + stringsBytes(c.Terms) + stringsBytes(c.Evidence)
	}
	return n
}

// stringsBytes is the memory s refers to: its array and its strings.
func stringsBytes(s []string) int64 {
	n := int64(cap(s)) * int64(unsafe.Sizeof(""))
	for _, x := range s {
		n += int64(len(x))
	}
	return n
}

// contentKeyBytes is k's size: its bytes. The facts it copies hold only
// what its entry and projections hold, and phone numbers, which it never
// has (templateEntry.contentKey).
func contentKeyBytes(k *contentKey) int64 {
	return int64(unsafe.Sizeof(*k)) + int64(len(k.b))
}

// memoBytes is m's size: its key bytes, the strings and values its facts
// hold, and the fact cache's hot entry it keeps, with its decision.
func memoBytes(m *factMemo) int64 {
	n := int64(unsafe.Sizeof(*m)) + int64(len(m.content)+len(m.time)) +
		heldBytes(reflect.ValueOf(&m.head).Elem()) + heldBytes(reflect.ValueOf(&m.parties).Elem()) +
		heldBytes(reflect.ValueOf(&m.tail).Elem())
	if m.hot != nil {
		n += int64(unsafe.Sizeof(*m.hot)) + heldBytes(reflect.ValueOf(&m.hot.d).Elem())
	}
	return n
}

// mapEntryBytes is what a map's entry costs beyond its key and value: a
// share of its bucket's control word, overflow and load factor.
const mapEntryBytes = 16

// heldBytes is the memory v refers to beyond its own bytes: strings'
// bytes, slices' arrays, maps' entries and pointed-to values, each walked
// in turn. Facts hold no cycle. It runs only when a value is stored.
func heldBytes(v reflect.Value) int64 {
	switch v.Kind() {
	case reflect.String:
		return int64(v.Len())
	case reflect.Slice:
		if v.IsNil() {
			return 0
		}
		n := int64(v.Cap()) * int64(v.Type().Elem().Size())
		for i := range v.Len() {
			n += heldBytes(v.Index(i))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return 0
		}
		n := int64(v.Len()) * int64(v.Type().Key().Size()+v.Type().Elem().Size()+mapEntryBytes)
		for it := v.MapRange(); it.Next(); {
			n += heldBytes(it.Key()) + heldBytes(it.Value())
		}
		return n
	case reflect.Pointer:
		if v.IsNil() {
			return 0
		}
		return int64(v.Type().Elem().Size()) + heldBytes(v.Elem())
	case reflect.Struct:
		var n int64
		for i := range v.NumField() {
			n += heldBytes(v.Field(i))
		}
		return n
	case reflect.Array:
		var n int64
		for i := range v.Len() {
			n += heldBytes(v.Index(i))
		}
		return n
	case reflect.Interface:
		if v.IsNil() {
			return 0
		}
		return int64(v.Elem().Type().Size()) + heldBytes(v.Elem())
	}
	return 0
}
