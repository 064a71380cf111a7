package filter

import (
	"context"
	"testing"

	"github.com/msgfilter/msgfilter/policies"
)

// BenchmarkReload measures a whole reload of the shipped packs: compile,
// matchers, Rego tests, swap.
func BenchmarkReload(b *testing.B) {
	e := newEngine(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Reload(context.Background(), policies.FS); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckDuringReload measures uncached checks while the shipped
// packs reload back to back.
func BenchmarkCheckDuringReload(b *testing.B) {
	e := newEngine(b, WithCacheSizes(-1, -1))
	m := Message{Channel: SMS, Kind: Promotional, Sender: "AD-Noon", Recipient: "+971501234567", Body: "White Friday: up to 70% off electronics, today only.", Time: tuesday}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			_ = e.Reload(ctx, policies.FS)
		}
	}()
	b.ReportAllocs()
	b.SetBytes(int64(len(m.Body)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			msg := m
			if _, err := e.Check(context.Background(), &msg); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	cancel()
	<-done
}
