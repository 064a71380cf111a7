package filter

import (
	"context"
	"fmt"
	"hash/maphash"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/msgfilter/msgfilter/internal/links"
	"github.com/msgfilter/msgfilter/internal/terms"
)

// TestTemplateCacheBudget fills a cache of the smallest size with maximal
// entries (the longest key, maxTemplateHits hits, links, features, a
// projection, a content key and both memos, each replaced again and
// again), and small ones between them that replace entries while the
// budget has room, from goroutines at once: the bytes counted never pass the
// budget, and once they are done they are the bytes of the entries left,
// entry by entry. Run it with -race.
func TestTemplateCacheBudget(t *testing.T) {
	hits := maximalHits(t)
	c := newTemplateCache(1)
	const workers, perWorker = 4, 600 // 2,400 entries for 1,024 slots
	var wg sync.WaitGroup
	done := make(chan struct{})
	var over int64
	go func() { // watches the count while the workers store
		defer close(done)
		for {
			if u := c.used.Load(); u > c.budget {
				over = u
			}
			select {
			case <-done:
			default:
				continue
			}
			return
		}
	}()
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				e := maximalEntry(hits, w*perWorker+i)
				if i%2 == 1 {
					// A small entry, stored twice: the second replaces
					// the first while the budget has room.
					c.put(&templateEntry{hash: e.hash, key: e.key[:8]})
					e = &templateEntry{hash: e.hash, key: e.key[:8]}
				}
				c.put(e)
				// Later values on a stored entry, and on an older one
				// that may have left the cache since.
				for _, x := range []*templateEntry{e, c.slots[(w*perWorker+i*7)%len(c.slots)].Load()} {
					if x == nil {
						continue
					}
					for r := range 3 {
						storeCounted(x, &x.content, &contentKey{b: fill('c', 400+r)}, contentKeyBytes)
						storeCounted(x, &x.last, maximalProjection(hits, r), projectionBytes)
						for way := range x.decided {
							storeCounted(x, &x.decided[way].memo, maximalMemo(r), memoBytes)
						}
					}
				}
			}
		})
	}
	wg.Wait()
	done <- struct{}{}
	<-done
	if over > 0 {
		t.Errorf("the cache counted %d bytes, over its budget of %d", over, c.budget)
	}
	var live, entries, one int64
	for i := range c.slots {
		e := c.slots[i].Load()
		if e == nil {
			continue
		}
		entries++
		want := liveEntryBytes(e)
		one = max(one, want)
		if got := e.bytes.Load(); got != want {
			t.Errorf("entry %d counts %d bytes; it holds %d", i, got, want)
		}
		live += want
	}
	// projectionBytes ranges over the map by hand (the reflect walk
	// allocates): it must count what the walk counts.
	p := maximalProjection(hits, 0)
	if got, want := projectionBytes(p), int64(unsafe.Sizeof(*p))+heldBytes(reflect.ValueOf(p.categories)); got != want {
		t.Errorf("projectionBytes = %d; the walk of its fields counts %d", got, want)
	}
	if got := c.used.Load(); got != live {
		t.Errorf("the cache counts %d bytes; its %d entries hold %d", got, entries, live)
	}
	// Not vacuous: the largest entries are each more than a slot's share,
	// and the budget, not the slots, bounds them.
	if one <= templateEntryBytes || live < c.budget-2*one || entries >= int64(len(c.slots)) {
		t.Errorf("%d entries of up to %d bytes hold %d of a budget of %d: the budget did not bind", entries, one, live, c.budget)
	}
}

// TestTemplateCacheBudgetShrinkRace stores values of alternating sizes in
// the content keys of a few entries of a cache whose budget is nearly
// full, from goroutines at once, so that checks often shrink one field
// together: the count never passes the budget, no entry's bytes fall
// below zero (evict's mark of an entry gone), and once they are done the
// cache counts what its entries hold. Run it with -race.
func TestTemplateCacheBudgetShrinkRace(t *testing.T) {
	mk := func(key string) *templateEntry {
		return &templateEntry{hash: maphash.String(keySeed1, key), key: key}
	}
	c := newTemplateCache(1)
	entries := []*templateEntry{mk("a"), mk("b"), mk("c")}
	var base int64
	for _, e := range entries {
		c.put(e)
		base += e.bytes.Load()
	}
	small, big := fill('s', 10), fill('b', 4000)
	// Room for one big value and the small ones beside it.
	c.budget = base + contentKeyBytes(&contentKey{b: big}) + 2*contentKeyBytes(&contentKey{b: small})
	var lost atomic.Int64
	stop := watchBudget(t, c, func() {
		for _, e := range entries {
			if b := e.bytes.Load(); b < 0 {
				lost.Store(b)
			}
		}
	})
	const workers, perWorker = 6, 20000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				e, b := entries[(w+i)%len(entries)], small
				if (w+i)%2 == 0 {
					b = big
				}
				storeCounted(e, &e.content, &contentKey{b: b}, contentKeyBytes)
			}
		})
	}
	wg.Wait()
	stop()
	if b := lost.Load(); b != 0 {
		t.Errorf("an entry in the cache counted %d bytes", b)
	}
	var live int64
	for _, e := range entries {
		if got, want := e.bytes.Load(), liveEntryBytes(e); got != want {
			t.Errorf("entry %q counts %d bytes; it holds %d", e.key, got, want)
		}
		live += liveEntryBytes(e)
	}
	if got := c.used.Load(); got != live {
		t.Errorf("the cache counts %d bytes; its entries hold %d", got, live)
	}
}

// liveEntryBytes is what e holds now: its size as stored, with its
// current projection, and its content key and memos.
func liveEntryBytes(e *templateEntry) int64 {
	if e == nil {
		return 0
	}
	n := entryBytes(e)
	if k := e.content.Load(); k != nil {
		n += contentKeyBytes(k)
	}
	for i := range e.decided {
		if m := e.decided[i].memo.Load(); m != nil {
			n += memoBytes(m)
		}
	}
	return n
}

// maximalHits returns real hits of a body with as many as an entry keeps.
func maximalHits(t *testing.T) *terms.Hits {
	t.Helper()
	e := tenantModelEngine(t, WithStore(nil))
	for k := 12; k > 0; k-- {
		m := Message{ID: "h", Channel: SMS, Kind: Promotional, Sender: "Shop", Recipient: "+33612345678",
			Body: strings.Repeat("casino bonus, win a prize, ", k), Time: tuesday}
		c := e.newCheck(context.Background(), &m, false)
		if err := c.validate(); err != nil {
			t.Fatal(err)
		}
		c.extract()
		c.normalize()
		c.match()
		n := c.scratch.hits.Len()
		h := c.scratch.hits.Clone()
		c.release()
		if n <= maxTemplateHits {
			if n < maxTemplateHits/2 {
				t.Fatalf("the most hits an entry can keep from this body is %d", n)
			}
			return h
		}
	}
	t.Fatal("no body with hits")
	return nil
}

// fill returns a fresh string of n bytes b.
func fill(b byte, n int) string { return strings.Repeat(string(b), n) }

// maximalEntry returns entry i: the longest key, hits, eight links of
// long names, named features and a projection.
func maximalEntry(hits *terms.Hits, i int) *templateEntry {
	key := fmt.Sprintf("%08d", i) + fill('k', templateKeyCap-8)
	e := &templateEntry{hash: maphash.String(keySeed1, key), key: key, hits: hits.Clone(), print: &campaignPrint{}}
	for range 8 {
		e.links = append(e.links, links.Link{URL: fill('u', 120), Host: fill('h', 100), UnicodeHost: fill('h', 100), Domain: fill('d', 60)})
	}
	for range 10 {
		e.model.Features.Spam = append(e.model.Features.Spam, fill('f', 24))
	}
	e.last.Store(maximalProjection(hits, 0))
	return e
}

// maximalProjection returns a projection of a category a hit, each with
// its term and evidence.
func maximalProjection(hits *terms.Hits, r int) *projection {
	cats := Categories{}
	for i := range hits.Len() {
		cats[fmt.Sprint("category-", i)] = CategoryFacts{Score: 2, Terms: []string{fill('t', 20+r)}, Evidence: []string{fill('v', 30)}}
	}
	return &projection{categories: cats}
}

// maximalMemo returns a memo with key bytes, facts' strings and a hot
// entry with reasons.
func maximalMemo(r int) *factMemo {
	m := &factMemo{content: fill('c', 400+r), time: fill('t', 60),
		hot: &hotEntry{d: Decision{Reasons: []Reason{{Rule: fill('r', 40), Evidence: fill('e', 80)}}}}}
	m.head.Message = MessageFacts{Channel: SMS, Country: "FR", Tenant: fill('n', 64)}
	m.parties.Sender.Raw = fill('s', 64)
	return m
}

// TestTemplateCachePutDecidesFirst fills a set with the budget nearly
// full: an entry one byte larger than the room that evicting one of the
// set's entries makes is refused with every entry kept; one that fits
// that room exactly takes it, evicting one, and so does a smaller one once
// the budget is full. The count stays the bytes of the entries left.
func TestTemplateCachePutDecidesFirst(t *testing.T) {
	c := newTemplateCache(1)
	// Entries of hash 0 share set 0; keys of one length make them one size.
	mk := func(name string, size int64) *templateEntry {
		e := &templateEntry{key: name}
		e.key += fill('k', int(size-entryBytes(e)))
		if got := entryBytes(e); got != size {
			t.Fatalf("entry %s of %d bytes, want %d", name, got, size)
		}
		return e
	}
	var set []*templateEntry
	for i := range templateWays {
		e := mk(fmt.Sprint("set-", i), 1000)
		c.put(e)
		set = append(set, e)
	}
	const slack = 100
	c.budget = c.used.Load() + slack
	kept := func() (n int) {
		for _, e := range set {
			if c.get(0, []byte(e.key)) == e {
				n++
			}
		}
		return n
	}
	counted := func() {
		t.Helper()
		var live int64
		for i := range c.slots {
			live += liveEntryBytes(c.slots[i].Load())
		}
		if got := c.used.Load(); got != live || got > c.budget {
			t.Errorf("the cache counts %d bytes; its entries hold %d, its budget is %d", got, live, c.budget)
		}
	}

	over := mk("over", slack+1000+1)
	c.put(over)
	if n := kept(); n != templateWays || c.get(0, []byte(over.key)) != nil {
		t.Errorf("an entry too large for the room of one eviction: %d of %d entries kept, stored %v; want all, not stored",
			n, templateWays, c.get(0, []byte(over.key)) != nil)
	}
	counted()

	fit := mk("fit", slack+1000)
	c.put(fit)
	if n := kept(); n != templateWays-1 || c.get(0, []byte(fit.key)) != fit {
		t.Errorf("an entry that fits the room of one eviction: %d of %d entries kept, stored %v; want one evicted, stored",
			n, templateWays, c.get(0, []byte(fit.key)) == fit)
	}
	counted()

	// The budget is full: a smaller entry takes an entry's room, and the
	// count drops by the difference.
	set = append(set, fit)
	small := mk("small", 500)
	c.put(small)
	if n := kept(); n != templateWays-1 || c.get(0, []byte(small.key)) != small {
		t.Errorf("a smaller entry, the budget full: %d of %d entries kept, stored %v; want one evicted, stored",
			n, templateWays, c.get(0, []byte(small.key)) == small)
	}
	counted()
}

// TestTemplateCachePutRace stores entries of mixed sizes into one full set
// from goroutines at once, while values stored in the set's entries grow
// and shrink: puts race for one slot and take the room of entries that
// change size under them. The count never passes the budget, and once
// they are done it is the bytes of the entries left. Run it with -race.
func TestTemplateCachePutRace(t *testing.T) {
	c := newTemplateCache(1)
	for i := range templateWays {
		c.put(&templateEntry{key: fmt.Sprint("first-", i) + fill('k', 1000)})
	}
	c.budget = c.used.Load() + 300
	small, big := fill('s', 10), fill('b', 600)
	stop := watchBudget(t, c, nil)
	workers, perWorker := 4, 5000
	if raceEnabled {
		perWorker = 1000
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				// Sizes from well under a slot's entry to more than
				// one eviction frees.
				c.put(&templateEntry{key: fmt.Sprint(w, "-", i, "-") + fill('k', 200+(w*perWorker+i)*37%1300)})
				if e := c.slots[(w+i)%templateWays].Load(); e != nil {
					v := small
					if i%2 == 0 {
						v = big
					}
					storeCounted(e, &e.content, &contentKey{b: v}, contentKeyBytes)
				}
			}
		})
	}
	wg.Wait()
	stop()
	var live int64
	for i := range c.slots {
		e := c.slots[i].Load()
		if e == nil {
			continue
		}
		if got, want := e.bytes.Load(), liveEntryBytes(e); got != want {
			t.Errorf("slot %d counts %d bytes; it holds %d", i, got, want)
		}
		live += liveEntryBytes(e)
	}
	if got := c.used.Load(); got != live {
		t.Errorf("the cache counts %d bytes; its entries hold %d", got, live)
	}
}

// watchBudget watches c's count while workers store, calling also (when
// not nil) on each pass. The function it returns stops the watch and
// fails t if the count was ever seen over the budget.
func watchBudget(t *testing.T, c *templateCache, also func()) (stop func()) {
	t.Helper()
	var over atomic.Int64
	done, watched := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watched)
		for {
			if u := c.used.Load(); u > c.budget {
				over.Store(u)
			}
			if also != nil {
				also()
			}
			select {
			case <-done:
				return
			default:
				runtime.Gosched()
			}
		}
	}()
	return func() {
		t.Helper()
		close(done)
		<-watched
		if u := over.Load(); u != 0 {
			t.Errorf("the cache counted %d bytes, over its budget of %d", u, c.budget)
		}
	}
}
