package smsenc

import (
	"strings"
	"testing"
)

func TestMeasure(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Size
	}{
		{"empty", "", Size{GSM7, 0, 1}},
		{"160 ascii is one segment", strings.Repeat("a", 160), Size{GSM7, 160, 1}},
		{"161 ascii is two segments", strings.Repeat("a", 161), Size{GSM7, 161, 2}},
		{"306 ascii is two segments", strings.Repeat("a", 306), Size{GSM7, 306, 2}},
		{"307 ascii is three segments", strings.Repeat("a", 307), Size{GSM7, 307, 3}},
		{"gsm accents stay gsm", "Café à Zürich: 5€ ¿qué?", Size{GSM7, 24, 1}},
		{"í is not in gsm (only ì is)", "sí", Size{UCS2, 2, 1}},
		{"euro takes two septets", strings.Repeat("€", 80), Size{GSM7, 160, 1}},
		{"euro pushes to two segments", strings.Repeat("€", 80) + "a", Size{GSM7, 161, 2}},
		{"one cyrillic letter makes ucs2", "Hello Ж", Size{UCS2, 7, 1}},
		{"70 ucs2 is one segment", strings.Repeat("ж", 70), Size{UCS2, 70, 1}},
		{"71 ucs2 is two segments", strings.Repeat("ж", 71), Size{UCS2, 71, 2}},
		{"emoji takes two units", "Sale 😀", Size{UCS2, 7, 1}},
		{"ç is not in gsm (only Ç is)", "garçon", Size{UCS2, 6, 1}},
		{"hindi", "नमस्ते", Size{UCS2, 6, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Measure(tt.body); got != tt.want {
				t.Errorf("Measure(%q) = %+v, want %+v", tt.body, got, tt.want)
			}
		})
	}
}

func BenchmarkMeasure(b *testing.B) {
	body := "Your order 1234 has shipped and will arrive on Tuesday. Track it at https://shop.example/t/1234"
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Measure(body)
	}
}

func FuzzMeasure(f *testing.F) {
	f.Add("Hello €")
	f.Add("😀 ж")
	f.Fuzz(func(t *testing.T, s string) {
		z := Measure(s)
		if z.Segments < 1 || z.Units < 0 {
			t.Errorf("Measure(%q) = %+v", s, z)
		}
	})
}
