package filter

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkCheckState measures what conversation state adds to a check:
// the same Viber messages (1024 recipients with open sessions, session,
// rate and flood limits all counting) without a store, with the default
// memory store and with Redis on loopback, with the caches on (the common
// path, where the store's share is largest) and off.
func BenchmarkCheckState(b *testing.B) {
	limits := WithTenant("acme", Tenant{RateLimit: 1 << 30, RateWindow: time.Hour, FloodRecipients: 1 << 30, FloodWindow: time.Hour})
	stores := []struct {
		name string
		new  func(b *testing.B, opts ...Option) *Engine
	}{
		{"none", func(b *testing.B, opts ...Option) *Engine { return newEngine(b, append(opts, WithStore(nil))...) }},
		{"memory", func(b *testing.B, opts ...Option) *Engine { return newEngine(b, opts...) }},
		{"redis", func(b *testing.B, opts ...Option) *Engine { return redisEngines(b, 1, opts...)[0] }},
	}
	msgs := make([]Message, 1024)
	for i := range msgs {
		msgs[i] = Message{
			Channel: Viber, Kind: Transactional, Sender: "ACMESHOP", Tenant: "acme",
			Recipient: fmt.Sprintf("+49151234%05d", i), Body: "Your order 1234 has shipped and arrives tomorrow.",
			Time: tuesday.Add(time.Minute),
		}
	}
	for _, cache := range []struct {
		name string
		opt  Option
	}{{"cached", WithCacheSizes(0, 0)}, {"uncached", WithCacheSizes(-1, -1)}} {
		for _, s := range stores {
			b.Run(cache.name+"/"+s.name, func(b *testing.B) {
				e := s.new(b, cache.opt, limits, WithCheckBudget(-1))
				for i := range msgs {
					if s.name != "none" {
						in := &InboundMessage{Channel: Viber, Tenant: "acme", Sender: "ACMESHOP", Recipient: msgs[i].Recipient, Body: "hi", Time: tuesday}
						if _, err := e.Inbound(context.Background(), in); err != nil {
							b.Fatal(err)
						}
					}
					if d, err := e.Check(context.Background(), &msgs[i]); err != nil || d.Action != Allow {
						b.Fatalf("Check = %s %v, %v; want allow", d.Action, codes(d), err)
					}
				}
				var next atomic.Uint64
				b.ReportAllocs()
				b.SetBytes(int64(len(msgs[0].Body)))
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					ctx := context.Background()
					for pb.Next() {
						m := msgs[next.Add(1)%uint64(len(msgs))]
						if _, err := e.Check(ctx, &m); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
}

// BenchmarkInbound measures recording a reply with keyword detection.
func BenchmarkInbound(b *testing.B) {
	e := newEngine(b)
	bodies := []string{"STOP", "Thanks, see you tomorrow at the shop", "退订", "please unsubscribe me"}
	b.ReportAllocs()
	b.ResetTimer()
	var n atomic.Uint64
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			i := n.Add(1)
			in := &InboundMessage{Channel: SMS, Tenant: "acme", Sender: "ACMESHOP", Recipient: fmt.Sprintf("+49151234%05d", i%1024), Body: bodies[i%4], Time: tuesday}
			if _, err := e.Inbound(ctx, in); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkFingerprint measures the template hash DUPLICATE_FLOOD uses.
func BenchmarkFingerprint(b *testing.B) {
	body := "Hi Anna, your order 55-12 of 1,299.00 AED ships today: https://track.example/p?id=8812"
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		fingerprint(body)
	}
}

// BenchmarkSenderStateID is the canonical sender of every state key, for
// the spellings the templated row sends with.
func BenchmarkSenderStateID(b *testing.B) {
	senders := []string{"HDFCBK", "AMAZON", "+15550100000", "24273", "VM-HDFCBK-S", "DHL Express"}
	for b.Loop() {
		for _, s := range senders {
			senderStateID(s)
		}
	}
}

// BenchmarkSenderStateIDRow is senderStateID for the senders of the bench
// templated row (bench/mix.go), mostly brand names in mixed case.
func BenchmarkSenderStateIDRow(b *testing.B) {
	senders := []string{"ADCB", "EmiratesNBD", "Careem", "VM-HDFCBK", "AD-PAYTMB", "BZ-SWIGGY", "Fnac", "LaPoste",
		"Doctolib", "Trendyol", "GarantiBBVA", "KBank", "Lazada", "Grab", "PChome", "Chunghwa", "#HSBC", "#HKTVmall",
		"Digikala", "Snapp", "24273", "827222", "28732", "DHL", "Sparkasse", "JD", "Alipay", "Ucom", "Ameriabank"}
	for b.Loop() {
		for _, s := range senders {
			senderStateID(s)
		}
	}
}
