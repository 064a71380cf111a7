package bodyphones

import "testing"

func BenchmarkParse(b *testing.B) {
	for _, c := range []struct{ name, text, region string }{
		{"ae-national", "050 123 4567", "AE"},
		{"gb-international", "+44 20 7946 0958", "AE"},
		{"ae-international", "+971 50 123 4567", "AE"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				parse(c.text, c.region)
			}
		})
	}
}
