package geo

import (
	"math/bits"
	"sync/atomic"
)

// codeShard is a shard of a bounded cache from number keys to 32-bit
// codes, looked up on every check: a lookup only reads shared memory. An
// RWMutex's read lock wrote its reader count, one cache line that two
// cores looking up numbers passed back and forth (a twentieth of a
// cached check on two cores).
//
// Each number has a home slot, picked by its hash, and may live in the
// slot beside it (the other half of its aligned pair, in the same cache
// line): a put fills the home slot when it is free, else the neighbour
// when that is free, else replaces what the home slot holds. With one
// slot per number, two numbers of one home evicted each other on every
// sighting: among the 448 recipients of the bench's templated row, two
// such pairs made one check in 112 parse its recipient again. A slot is a
// seqlock of two atomic words: the key (0 for
// an empty slot: a key counts at least one digit) and the code in the low
// 32 bits with a sequence number in the high 32, odd while a writer
// changes the slot. A reader that sees the same even word before and
// after reading the key read a key and code written together; a writer
// takes the slot by making the sequence odd with a compare-and-swap, and
// one that finds it taken skips the put (the number is cached on a later
// lookup). A reader could be fooled only if a slot were rewritten 2^31
// times between two of its loads.
//
// The zero value is empty and ready; the slots are allocated by the
// first put.
type codeShard struct {
	t atomic.Pointer[codeTable]
}

type codeTable struct {
	shift uint   // 64 - log2(len(slots))
	pair  uint64 // 1: a slot's neighbour is its index with the low bit flipped; 0 for a table of one slot
	slots []codeSlot
}

type codeSlot struct {
	key atomic.Uint64
	sc  atomic.Uint64 // sequence<<32 | code
}

const seqOne = 1 << 32 // one step of a slot's sequence number

// home returns the index of k's home slot; its neighbour's is home^pair.
// The shard was picked by the top shardBits bits of k's Fibonacci hash
// (keyShard); the home slot takes the bits after them.
func (t *codeTable) home(k uint64) uint64 {
	return (k * 0x9e3779b97f4a7c15) << shardBits >> t.shift
}

func (sh *codeShard) get(k uint64) (uint32, bool) {
	t := sh.t.Load()
	if t == nil {
		return 0, false
	}
	i := t.home(k)
	if c, ok := t.slots[i].get(k); ok {
		return c, true
	}
	return t.slots[i^t.pair].get(k)
}

// get returns the slot's code when it holds k, read whole.
func (s *codeSlot) get(k uint64) (uint32, bool) {
	w := s.sc.Load()
	if w&seqOne != 0 || s.key.Load() != k || s.sc.Load() != w {
		return 0, false
	}
	return uint32(w), true
}

// put caches v under k in a shard of at most limit slots (the largest
// power of two not above it).
func (sh *codeShard) put(k uint64, v uint32, limit int) {
	t := sh.t.Load()
	if t == nil {
		n := bits.Len(uint(max(limit, 1))) - 1
		t = &codeTable{shift: uint(64 - n), pair: uint64(min(n, 1)), slots: make([]codeSlot, 1<<n)}
		if !sh.t.CompareAndSwap(nil, t) {
			t = sh.t.Load()
		}
	}
	i := t.home(k)
	s := &t.slots[i]
	if next := &t.slots[i^t.pair]; s.key.Load() != 0 && next.key.Load() == 0 {
		s = next
	}
	w := s.sc.Load()
	if w&seqOne != 0 || !s.sc.CompareAndSwap(w, w+seqOne) {
		return
	}
	s.key.Store(k)
	s.sc.Store((w+2*seqOne)&^(1<<32-1) | uint64(v))
}

// len counts the numbers held (for tests).
func (sh *codeShard) len() int {
	t := sh.t.Load()
	if t == nil {
		return 0
	}
	n := 0
	for i := range t.slots {
		if t.slots[i].key.Load() != 0 {
			n++
		}
	}
	return n
}
