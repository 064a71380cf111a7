package model_test

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

var benchBodies = []struct{ name, body string }{
	// 160 bytes of ASCII: an A2P notification of full SMS length.
	{"ascii160", "Your Acme order #48213 has shipped and will arrive on Tuesday. Track it at https://acme.example/t/48213 or call 0800 123 4567. Reply STOP to opt out of updates."},
	{"thai", "รหัส OTP ของคุณคือ 482913 (Ref: KXQP) ห้ามบอกรหัสนี้กับผู้อื่น ยอดเงิน 5,000 บาท"},
}

// BenchmarkScore measures what the model adds to a check: feature
// extraction and scoring, on a Text the pipeline has already normalized.
func BenchmarkScore(b *testing.B) {
	m, err := model.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, bb := range benchBodies {
		b.Run(bb.name, func(b *testing.B) {
			t := textnorm.Normalize(bb.body) // the pipeline's normalize stage
			var f model.Features
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				f.Extract(t)
				_ = m.Score(&f)
			}
		})
	}
}

// BenchmarkNormalizeAndScore includes textnorm, for comparison.
func BenchmarkNormalizeAndScore(b *testing.B) {
	m, err := model.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, bb := range benchBodies {
		b.Run(bb.name, func(b *testing.B) {
			var (
				t textnorm.Text
				f model.Features
			)
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				t.Reset(bb.body)
				f.Extract(&t)
				_ = m.Score(&f)
			}
		})
	}
}

// BenchmarkLoadDefault measures loading the shipped model (target: 200 ms)
// and reports the heap a loaded model keeps (target: 8 MB): B/op counts
// the read buffer too, which is garbage once Load returns.
func BenchmarkLoadDefault(b *testing.B) {
	m, err := model.Default()
	if err != nil {
		b.Fatal(err)
	}
	file, _ := m.MarshalBinary()
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := model.Load(bytes.NewReader(file)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	kept, err := model.Load(bytes.NewReader(file))
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(kept)
	runtime.KeepAlive(file) // not freed between the two readings
	b.ReportMetric(float64(after.HeapAlloc)-float64(before.HeapAlloc), "heap-B/model")
}

func TestBenchBodyIs160Bytes(t *testing.T) {
	if n := len(benchBodies[0].body); n != 160 || strings.ContainsFunc(benchBodies[0].body, func(r rune) bool { return r > 127 }) {
		t.Fatalf("ascii160 body has %d bytes, want 160 ASCII", n)
	}
}
