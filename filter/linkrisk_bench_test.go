package filter

import (
	"context"
	"testing"
)

var linkBenchBodies = []struct{ name, body string }{
	{"no-link", "Ihr Paket 00340434161234567890 wird heute zugestellt."},
	{"one-link", "Your parcel is on its way: https://www.dhl.de/track?id=00340434161234567890"},
}

// extractedDHL returns a check of body from DHL to a German mobile, past
// stages validate, normalize and extract; the caller releases it.
func extractedDHL(tb testing.TB, e *Engine, body string) *check {
	tb.Helper()
	m := Message{Channel: SMS, Kind: Transactional, Sender: "DHL", Recipient: "+4915123456789", Body: body, Time: tuesday}
	ch := e.newCheck(context.Background(), &m, false)
	if err := ch.validate(); err != nil {
		tb.Fatal(err)
	}
	ch.normalize()
	ch.extract()
	ch.links()
	return &ch
}

// BenchmarkExtract measures stages validate, normalize and extract of one
// check (terms, phone numbers, links and their facts): the difference
// between no-link and one-link is what one link costs.
func BenchmarkExtract(b *testing.B) {
	e := newEngine(b, WithCacheSizes(-1, -1), WithStore(nil))
	for _, c := range linkBenchBodies {
		b.Run(c.name, func(b *testing.B) {
			m := Message{Channel: SMS, Kind: Transactional, Sender: "DHL", Recipient: "+4915123456789", Body: c.body, Time: tuesday}
			b.ReportAllocs()
			for b.Loop() {
				// Not extractedDHL: its check escapes, an allocation per
				// check that Check does not make.
				ch := e.newCheck(context.Background(), &m, false)
				if err := ch.validate(); err != nil {
					b.Fatal(err)
				}
				ch.normalize()
				ch.extract()
				ch.links()
				ch.release()
			}
		})
	}
}

// BenchmarkClassifyCampaign measures stage classify's campaign part with the
// in-memory store: the fingerprint and the one store call that reads the
// links' first sightings and the campaign's reported mark.
func BenchmarkClassifyCampaign(b *testing.B) {
	e := newEngine(b, WithCacheSizes(-1, -1))
	for _, c := range linkBenchBodies {
		b.Run(c.name, func(b *testing.B) {
			ch := extractedDHL(b, e, c.body)
			defer ch.release()
			b.ReportAllocs()
			for b.Loop() {
				if err := ch.campaign(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCampaignBands measures the campaign fingerprint of a check past
// stage extract (a first sighting): the difference between no-link and
// one-link is what masking the link costs.
func BenchmarkCampaignBands(b *testing.B) {
	e := newEngine(b, WithCacheSizes(-1, -1))
	bodies := append(linkBenchBodies[:len(linkBenchBodies):len(linkBenchBodies)],
		struct{ name, body string }{"one-link-cyrillic", "Ваша посылка в пути, отследить: https://www.dhl.de/track?id=00340434161234567890 Спасибо!"})
	for _, c := range bodies {
		b.Run(c.name, func(b *testing.B) {
			ch := extractedDHL(b, e, c.body)
			defer ch.release()
			b.ReportAllocs()
			for b.Loop() {
				if ch.campaignBands() == nil {
					b.Fatal("no fingerprint")
				}
			}
		})
	}
}
