package geo

import (
	"sync"
	"testing"
)

// TestCodeShardTornReads has writers rewrite two slots with keys that
// collide there while readers look them up: a reader must never get a
// code written with another key (each code here is its key's).
func TestCodeShardTornReads(t *testing.T) {
	var sh codeShard
	const limit = 2 // two slots: the 64 keys collide
	code := func(k uint64) uint32 { return uint32(k*2654435761) | 1 }
	key := func(i int) uint64 { return uint64(i+1)<<5 | 9 }
	var wg sync.WaitGroup
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
				k := key(i % 64)
				sh.put(k, code(k), limit)
			}
		}()
	}
	hits := 0
	for i := range 200_000 {
		k := key(i % 64)
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
	if n := sh.len(); n < 1 || n > limit {
		t.Errorf("len = %d, want 1 to %d", n, limit)
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
