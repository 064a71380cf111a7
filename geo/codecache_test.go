package geo

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCodeShardTornReads has writers rewrite one slot with two keys in
// turn while a reader looks them up: it must never get a code written
// with the other key (each code here is its key's). Without the second
// read of the sequence it does, within a few runs.
func TestCodeShardTornReads(t *testing.T) {
	var sh codeShard
	const limit = 1 // one slot: the keys collide
	code := func(k uint64) uint32 { return uint32(k*2654435761) | 1 }
	key := func(i int) uint64 { return uint64(i+1)<<5 | 9 }
	var wg sync.WaitGroup
	var puts atomic.Int64
	stop := make(chan struct{})
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				k := key(i % 2)
				sh.put(k, code(k), limit)
				puts.Add(1)
			}
		}()
	}
	hits := 0
	// Reads go on until the writers have written plenty and the reads have
	// hit often: on a loaded machine the writers may start late, and the
	// reader may meet the slot mid-write for long stretches (once, none of
	// a million reads hit). A minute bounds a machine that never lets them.
	deadline := time.Now().Add(time.Minute)
	for i := 0; i < 1_000_000 || puts.Load() < 1_000_000 || hits < 1000; i++ {
		if i%65536 == 0 && time.Now().After(deadline) {
			break
		}
		k := key(i % 2)
		if c, ok := sh.get(k); ok {
			hits++
			if c != code(k) {
				t.Fatalf("get(%d) = %d, want %d (a torn read)", k, c, code(k))
			}
		}
	}
	close(stop)
	wg.Wait()
	if hits == 0 {
		t.Error("no lookup hit: the test checked nothing")
	}
	if n := sh.len(); n != limit {
		t.Errorf("len = %d, want %d", n, limit)
	}
}

func TestCodeShardReplaces(t *testing.T) {
	var sh codeShard
	if _, ok := sh.get(1<<5 | 1); ok {
		t.Fatal("an empty shard found a key")
	}
	sh.put(1<<5|1, 7, 1)
	if c, ok := sh.get(1<<5 | 1); !ok || c != 7 {
		t.Fatalf("get = %d, %v, want 7, true", c, ok)
	}
	sh.put(2<<5|1, 8, 1) // one slot: replaces the first
	if _, ok := sh.get(1<<5 | 1); ok {
		t.Error("a replaced key is still found")
	}
	if c, ok := sh.get(2<<5 | 1); !ok || c != 8 {
		t.Errorf("get = %d, %v, want 8, true", c, ok)
	}
	if n := sh.len(); n != 1 {
		t.Errorf("len = %d, want 1", n)
	}
}

// TestRecipientKeyMatchesShape holds recipientKey's one pass to the two it
// replaces: for every byte value at every position of strings of 0 to 17
// bytes, with and without the "+", it accepts exactly what recipientShape
// accepts and gives numberKey's key.
func TestRecipientKeyMatchesShape(t *testing.T) {
	for n := 0; n <= 17; n++ {
		for _, lead := range []byte{'+', '0', ' '} {
			for pos := 0; pos < max(n, 1); pos++ {
				for b := 0; b < 256; b++ {
					s := make([]byte, n)
					for i := range s {
						s[i] = byte('0' + (i*7+n)%10)
					}
					if n > 0 {
						s[0] = lead
						s[pos] = byte(b)
					}
					in := string(s)
					k, ok := recipientKey(in)
					want := recipientShape(in) == ""
					if ok != want {
						t.Fatalf("recipientKey(%q) ok = %v, recipientShape says %v", in, ok, want)
					}
					if ok && k != numberKey(in[1:]) {
						t.Fatalf("recipientKey(%q) = %#x, numberKey = %#x", in, k, numberKey(in[1:]))
					}
				}
			}
		}
	}
}

// TestCodeShardKeepsTwoOfOneHome: numbers whose hash picks the same slot
// are both kept, one in the slot beside it, where a one-way cache evicted
// one with the other on every sighting; a third of the same home replaces
// the home slot's number and leaves the neighbour's.
func TestCodeShardKeepsTwoOfOneHome(t *testing.T) {
	const limit = 8
	var sh codeShard
	sh.put(1<<5|1, 1, limit) // allocates the table
	tb := sh.t.Load()
	home := tb.home(1<<5 | 1)
	var same []uint64
	for v := uint64(2); len(same) < 2; v++ {
		if k := v<<5 | 1; tb.home(k) == home {
			same = append(same, k)
		}
	}
	sh.put(same[0], 2, limit)
	for _, kc := range []struct {
		k    uint64
		code uint32
	}{{1<<5 | 1, 1}, {same[0], 2}} {
		if c, ok := sh.get(kc.k); !ok || c != kc.code {
			t.Fatalf("get(%#x) = %d, %v, want %d, true: two numbers of one home are not both kept", kc.k, c, ok, kc.code)
		}
	}
	sh.put(same[1], 3, limit)
	if c, ok := sh.get(same[1]); !ok || c != 3 {
		t.Fatalf("get(%#x) = %d, %v, want 3, true", same[1], c, ok)
	}
	if _, ok := sh.get(1<<5 | 1); ok {
		t.Error("the home slot's number is still found after a third of its home")
	}
	if c, ok := sh.get(same[0]); !ok || c != 2 {
		t.Errorf("the neighbour's number: get = %d, %v, want 2, true", c, ok)
	}
	if n := sh.len(); n != 2 {
		t.Errorf("len = %d, want 2", n)
	}
}

// TestNumbersKeepsCollidingRecipients: two recipients of the bench's
// templated row share a home slot at the default capacity; looked up in
// turn, each is parsed once, not on every lookup.
func TestNumbersKeepsCollidingRecipients(t *testing.T) {
	a, b := "+919819433343", "+919856344652"
	ka, _ := recipientKey(a)
	kb, _ := recipientKey(b)
	if keyShard(ka) != keyShard(kb) {
		t.Fatalf("%s and %s are no longer in one shard: pick two that share a home slot", a, b)
	}
	n := NewNumbers(0)
	for range 3 {
		for _, s := range []string{a, b} {
			if _, _, err := n.RecipientZone(s); err != nil {
				t.Fatalf("RecipientZone(%s): %v", s, err)
			}
		}
	}
	tb := n.recips[keyShard(ka)].t.Load()
	if tb.home(ka) != tb.home(kb) {
		t.Fatalf("%s and %s no longer share a home slot: pick two that do", a, b)
	}
	for _, k := range []uint64{ka, kb} {
		if _, ok := n.recips[keyShard(k)].get(k); !ok {
			t.Errorf("key %#x is not found in the cache", k)
		}
	}
	if _, recipients := n.len(); recipients != 2 {
		t.Errorf("%d recipients cached, want 2", recipients)
	}
}
