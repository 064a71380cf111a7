package geo

import (
	"sync"

	"github.com/msgfilter/msgfilter/internal/fnv1a"
)

// DefaultNumbersCapacity is the number of senders and, separately, of
// recipients a zero Numbers remembers.
const DefaultNumbersCapacity = 1 << 16

// maxCachedLen bounds the key length: longer strings are never valid
// numbers (at most "+" and 15 digits, plus white space), so caching them
// would only let hostile input grow memory.
const maxCachedLen = 32

const (
	shardBits    = 5
	numberShards = 1 << shardBits
)

// Numbers caches ClassifySender and ParseRecipient results per input
// string, because matching a numbering plan's patterns costs microseconds
// and gateways see the same senders and recipients over and over.
//
// The cache is bounded: at most capacity senders and capacity recipients
// (DefaultNumbersCapacity when zero). A sender takes roughly 200 bytes
// with map overhead (about 13 MB at the default), a recipient 12 bytes
// and no pointers (about 1 MB). When a shard is full an arbitrary entry
// is evicted.
// Alphanumeric senders and strings of up to 7 bytes are not cached: they
// are classified without libphonenumber, faster than a cache hit.
//
// The zero value is ready to use with the default capacity. A Numbers is
// safe for concurrent use and must not be copied after first use.
type Numbers struct {
	capacity int
	senders  [numberShards]shard[Sender]
	recips   [numberShards]codeShard
}

type shard[V any] struct {
	mu sync.RWMutex
	m  map[string]V
}

// NewNumbers returns a Numbers that keeps up to capacity senders and
// capacity recipients; capacity <= 0 means DefaultNumbersCapacity.
func NewNumbers(capacity int) *Numbers {
	return &Numbers{capacity: capacity}
}

func (n *Numbers) perShard() int {
	c := n.capacity
	if c <= 0 {
		c = DefaultNumbersCapacity
	}
	return max(1, c/numberShards)
}

// Sender returns ClassifySender(s), from the cache when possible.
func (n *Numbers) Sender(s string) Sender {
	// Short strings and alphanumerics never reach libphonenumber, and
	// classifying them is cheaper than a cache hit.
	if len(s) > maxCachedLen || len(s) <= minE164Digits || hasLetter(s) {
		return ClassifySender(s)
	}
	sh := &n.senders[fnv1a.String32(s)%numberShards]
	if v, ok := sh.get(s); ok {
		return v
	}
	v := ClassifySender(s)
	sh.put(s, v, n.perShard())
	return v
}

// Recipient returns ParseRecipient(s), from the cache when possible. Only
// well-formed numbers ("+" and 7–15 digits) are cached, valid or not: a
// malformed one is refused without libphonenumber, faster than a lookup.
// The cache holds a number as two integers (numberKey, a recipient code),
// so that it gives the garbage collector no pointers to trace however
// full it is, and a hit does not allocate.
func (n *Numbers) Recipient(s string) (Recipient, error) {
	if recipientShape(s) != "" {
		return ParseRecipient(s)
	}
	k := numberKey(s[1:])
	sh := &n.recips[keyShard(k)]
	c, ok := sh.get(k)
	if !ok {
		c = classifyRecipient(s[1:])
		sh.put(k, c, n.perShard())
	}
	return decodeRecipient(s, c)
}

// numberKey is a key for a string of 1–15 digits that no other such
// string has: their value, and their count for the leading zeros.
func numberKey(digits string) uint64 {
	var v uint64
	for i := 0; i < len(digits); i++ {
		v = v*10 + uint64(digits[i]-'0')
	}
	return v<<5 | uint64(len(digits))
}

// keyShard spreads number keys over the shards (Fibonacci hashing: the
// low bits of a key are its length).
func keyShard(k uint64) uint64 { return k * 0x9e3779b97f4a7c15 >> (64 - shardBits) }

// codeShard is a shard of a cache from number keys to codes; it holds no
// pointers.
type codeShard struct {
	mu sync.RWMutex
	m  map[uint64]uint32
}

func (sh *codeShard) get(k uint64) (uint32, bool) {
	sh.mu.RLock()
	v, ok := sh.m[k]
	sh.mu.RUnlock()
	return v, ok
}

func (sh *codeShard) put(k uint64, v uint32, limit int) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.m == nil {
		// Full size at once (12 bytes an entry, no pointers): growing
		// it step by step would leave each old table to the collector.
		sh.m = make(map[uint64]uint32, limit)
	}
	if _, ok := sh.m[k]; !ok && len(sh.m) >= limit {
		for old := range sh.m { // Go randomises the start: an arbitrary victim
			delete(sh.m, old)
			break
		}
	}
	sh.m[k] = v
}

func (sh *codeShard) len() int {
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	return len(sh.m)
}

func (sh *shard[V]) get(k string) (V, bool) {
	sh.mu.RLock()
	v, ok := sh.m[k]
	sh.mu.RUnlock()
	return v, ok
}

func (sh *shard[V]) put(k string, v V, limit int) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.m == nil {
		sh.m = make(map[string]V)
	}
	if _, ok := sh.m[k]; !ok && len(sh.m) >= limit {
		for old := range sh.m { // Go randomises the start: an arbitrary victim
			delete(sh.m, old)
			break
		}
	}
	sh.m[k] = v
}

// len reports the number of cached senders and recipients (for tests).
func (n *Numbers) len() (senders, recipients int) {
	for i := range n.senders {
		n.senders[i].mu.RLock()
		senders += len(n.senders[i].m)
		n.senders[i].mu.RUnlock()
		recipients += n.recips[i].len()
	}
	return senders, recipients
}
