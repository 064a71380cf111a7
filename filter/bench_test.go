package filter

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkCheck measures a whole uncached check, per decision kind: the
// baseline the caches are measured against.
func BenchmarkCheck(b *testing.B) {
	e := newEngine(b, WithCacheSizes(-1, -1))
	night := time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)
	cases := []struct {
		name string
		msg  Message
		want Action
	}{
		{"ae/allow", Message{Channel: SMS, Kind: OTP, Sender: "ADCB", Recipient: "+971501234567", Body: "Your ADCB verification code is 482913. Do not share it with anyone.", Time: night}, Allow},
		{"ae/block", Message{Channel: SMS, Kind: Promotional, Sender: "Noon", Recipient: "+971501234567", Body: "White Friday: up to 70% off electronics, today only.", Time: tuesday}, Block},
		{"ae/defer", Message{Channel: SMS, Kind: Promotional, Sender: "AD-Noon", Recipient: "+971501234567", Body: "White Friday: up to 70% off electronics, today only.", Time: night}, Defer},
		{"fr/defer", Message{Channel: SMS, Kind: Promotional, Sender: "Fnac", Recipient: "+33612345678", Body: "Black Friday chez Fnac : -20% sur les casques. STOP au 36111", Time: night.Add(3 * time.Hour)}, Defer},
		// The recipient's clock: one zone, and a toll-free number's 43 (the
		// quiet-hours specs are computed in each).
		{"us/defer", Message{Channel: SMS, Kind: Promotional, Sender: "+14155550123", Recipient: "+14155550100", Body: "Spring sale: 20% off everything. Reply STOP to opt out", Time: time.Date(2026, 3, 11, 4, 10, 0, 0, time.UTC)}, Defer},
		{"us/defer-toll-free", Message{Channel: SMS, Kind: Promotional, Sender: "+14155550123", Recipient: "+18002752273", Body: "Spring sale: 20% off everything. Reply STOP to opt out", Time: time.Date(2026, 3, 11, 18, 0, 0, 0, time.UTC)}, Defer},
		{"none/allow", Message{Channel: SMS, Kind: Transactional, Sender: "DHL", Recipient: "+4915123456789", Body: "Ihr Paket 00340434161234567890 wird heute zugestellt.", Time: tuesday}, Allow},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			d, err := e.Check(context.Background(), &c.msg)
			if err != nil || d.Action != c.want {
				b.Fatalf("Check = %v, %v; want %v", d.Action, err, c.want)
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(c.msg.Body)))
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					m := c.msg
					if _, err := e.Check(ctx, &m); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkCheckCached measures the two cache levels: the same message again
// (exact) and a new message whose facts were seen (facts: a templated OTP
// with a fresh code).
func BenchmarkCheckCached(b *testing.B) {
	e := newEngine(b)
	ctx := context.Background()
	otp := Message{Channel: SMS, Kind: OTP, Sender: "ADCB", Recipient: "+971501234567",
		Body: "Your ADCB verification code is 482913. It expires in 10 minutes. Do not share it with anyone, ADCB never asks for it.", Time: tuesday}
	promo := Message{Channel: SMS, Kind: Promotional, Sender: "Noon", Recipient: "+971501234567",
		Body: "White Friday at Noon: up to 70% off electronics, fashion and home, today only. Shop in the app before midnight!", Time: tuesday}
	for _, c := range []struct {
		name string
		msg  Message
	}{{"allow", otp}, {"block", promo}} {
		b.Run("exact/"+c.name, func(b *testing.B) {
			for range 2 { // the second sighting admits it to the exact cache
				if _, err := e.Check(ctx, &c.msg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(c.msg.Body)))
			b.RunParallel(func(pb *testing.PB) {
				m := c.msg
				for pb.Next() {
					if d, err := e.Check(ctx, &m); err != nil || d.Cache != CacheExact {
						b.Errorf("Check = %v, %v; want an exact-cache hit", d.Cache, err)
						return
					}
				}
			})
		})
		var i atomic.Int64 // across the benchmark's rounds: every body is new
		b.Run("facts/"+c.name, func(b *testing.B) {
			prime := c.msg
			prime.Body += " ref 099999"
			if _, err := e.Check(ctx, &prime); err != nil {
				b.Fatal(err)
			}
			// A fresh reference number per check: the exact key misses, the
			// facts (same length, no new term or link) repeat.
			b.ReportAllocs()
			b.SetBytes(int64(len(c.msg.Body)))
			b.RunParallel(func(pb *testing.PB) {
				m := c.msg
				for pb.Next() {
					m.Body = c.msg.Body + " ref " + strconv.Itoa(int(100000+i.Add(1)%900000))
					if d, err := e.Check(ctx, &m); err != nil || d.Cache != CacheFacts {
						b.Errorf("Check = %q, %v; want a fact-cache hit", d.Cache, err)
						return
					}
				}
			})
		})
	}
}
