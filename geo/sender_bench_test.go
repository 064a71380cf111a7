package geo

import (
	"fmt"
	"testing"
)

func BenchmarkSender(b *testing.B) {
	cases := []string{"+37477123456", "37477123456", "72345", "VM-HDFCBK"}
	for _, in := range cases {
		b.Run("uncached/"+in, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				ClassifySender(in)
			}
		})
		b.Run("cached/"+in, func(b *testing.B) {
			var n Numbers
			n.Sender(in)
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					n.Sender(in)
				}
			})
		})
	}
	b.Run("cached/many", func(b *testing.B) {
		n := NewNumbers(1 << 14)
		ins := make([]string, 1<<12)
		for i := range ins {
			ins[i] = fmt.Sprintf("+3747712%04d", i)
			n.Sender(ins[i])
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			n.Sender(ins[i&(len(ins)-1)])
			i++
		}
	})
}

func BenchmarkRecipient(b *testing.B) {
	const in = "+971501234567"
	b.Run("uncached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ParseRecipient(in)
		}
	})
	b.Run("cached", func(b *testing.B) {
		var n Numbers
		b.ReportAllocs()
		for b.Loop() {
			n.Recipient(in)
		}
	})
	// One number looked up on every core, as a gateway's checks of one
	// busy recipient do: a lookup must not write what the other reads.
	b.Run("cached/parallel", func(b *testing.B) {
		var n Numbers
		n.Recipient(in)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				n.Recipient(in)
			}
		})
	})
}
