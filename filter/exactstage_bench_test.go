package filter

import (
	"strconv"
	"testing"
	"time"
)

// BenchmarkExactStage times the exact cache's stage for a templated body
// never seen before (a fresh code in each): the key, the lookup and the
// offer to the cache after deciding.
func BenchmarkExactStage(b *testing.B) {
	x := newExactCache(16<<20, exactTTL, newCacheClock(time.Unix(1e9, 0)))
	p := &policy{generation: 1}
	now := time.Unix(1e9, 0)
	conv := &ConversationFacts{}
	d := Decision{Action: Allow, Reasons: []Reason{}}
	const tpl = "Your Careem verification code is XXXXXX. It expires in 10 minutes. Never share this code with anyone, not even Careem staff."
	bodies := make([]string, 4096)
	for i := range bodies {
		bodies[i] = tpl[:33] + strconv.Itoa(100000+i*7919%900000) + tpl[39:]
	}
	m := Message{Channel: SMS, Kind: OTP, Sender: "Careem", Recipient: "+971501234567", Tenant: "acme"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Body = bodies[i%len(bodies)]
		key, whole := exactKey(x, p, &m, "AE", now.Add(time.Duration(i)*time.Minute), conv, 0)
		if whole {
			x.get(p, key)
		} else {
			x.refused(key)
		}
		x.putExact(key, whole, &d)
	}
}
