package filter

import (
	"context"
	"testing"
)

// BenchmarkMatch measures stage match of a first sighting: the content
// terms, the opt-out instruction and STOP, on a body normalized once.
func BenchmarkMatch(b *testing.B) {
	e := newEngine(b, WithCacheSizes(-1, -1), WithStore(nil))
	for _, c := range []struct{ name, body string }{
		{"ham", "Your parcel 00340434161234567890 arrives today between 10:00 and 12:00."},
		{"promo-stop", "Spring sale: 20% off everything this weekend only! Reply STOP to opt out"},
		{"cyrillic", "Ваша посылка прибудет сегодня. Скидка 20% на следующий заказ, отписаться: СТОП"},
	} {
		b.Run(c.name, func(b *testing.B) {
			m := Message{Channel: SMS, Kind: Promotional, Sender: "SHOP", Recipient: "+447400123456", Body: c.body, Time: tuesday}
			ch := e.newCheck(context.Background(), &m, false)
			if err := ch.validate(); err != nil {
				b.Fatal(err)
			}
			ch.normalize()
			defer ch.release()
			b.ReportAllocs()
			for b.Loop() {
				ch.match()
			}
		})
	}
}
