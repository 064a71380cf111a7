package geo

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// TestRecipientZoneEvictedSlots: with one cache slot per shard, numbers
// that evict each other's slot, and numbers whose keys differ only in a
// leading zero or a digit's place, each get their own recipient and zone
// from RecipientZone, from concurrent callers, whether their slot was
// filled by RecipientZone, Recipient or Sender (senders have their own
// slots, without a zone), or another number.
func TestRecipientZoneEvictedSlots(t *testing.T) {
	numbers := []string{
		"+12025550123", "+14155550100", "+13055550100", "+14055550100", "+18002752273", "+19075550100",
		"+18085550100", "+447400123456", "+447911123456", "+33612345678", "+330612345678", "+3361234567",
		"+61412345678", "+61812345678", "+79123456789", "+74951234567", "+5511912345678", "+5592912345678",
		"+971501234567", "+919812345678", "+66812345678", "+628123456789", "+10000000000", "+1202555012",
	}
	type want struct {
		r    Recipient
		z    Zone
		zerr error
		err  error
	}
	wants := make([]want, len(numbers))
	for i, s := range numbers {
		r, err := ParseRecipient(s)
		z, zerr := ZoneOf(s)
		if err != nil || zerr != nil {
			z = Zone{}
		}
		wants[i] = want{r, z, zerr, err}
	}
	n := NewNumbers(1) // one slot per shard: neighbours evict each other
	rounds := 40
	if raceEnabled {
		rounds = 8
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range rounds {
				for j := range numbers {
					i := (j*7 + round + g*5) % len(numbers)
					s := numbers[i]
					switch (i + round + g) % 3 {
					case 1:
						n.Recipient(s)
					case 2:
						n.Sender(s)
					}
					r, z, err := n.RecipientZone(s)
					w := wants[i]
					if r != w.r || fmt.Sprint(err) != fmt.Sprint(w.err) || !reflect.DeepEqual(z, w.z) {
						select {
						case errs <- fmt.Sprintf("RecipientZone(%s) = %+v %v %v; want %+v %v %v", s, r, z.Names(), err, w.r, w.z.Names(), w.err):
						default:
						}
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
