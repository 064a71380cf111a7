package bodyphones

import "testing"

func BenchmarkFind(b *testing.B) {
	cases := []struct{ name, body, region string }{
		{"otp-under-7-digits", "Your OTP is 482913. Do not share it with anyone, including bank staff. It is valid for five minutes. Thank you for banking with us.", "AE"},
		{"amount-and-date", "Dear customer, AED 1,250.00 was debited from your account on 2026-11-22 at 10:30. Available balance AED 12,345.67. Ref 88231.", "AE"},
		{"one-number", "Dear customer, our new branch is open! Call us on 050 123 4567 or visit us in Dubai Mall, level 2, from 10am to 10pm daily.", "AE"},
		{"parcel-reference", "Bonjour Marie, votre colis 00340434123456 sera livré le 12/12. Suivi sur laposte.fr.", "FR"},
		{"international", "Win a prize! Call +44 20 7946 0958 now or WhatsApp +971 50 123 4567 before midnight to claim your reward.", "AE"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				Find(c.body, c.region)
			}
		})
	}
}

func BenchmarkFinderFind(b *testing.B) {
	f := NewFinder(1024)
	body := "Win a prize! Call +44 20 7946 0958 now or WhatsApp +971 50 123 4567 before midnight to claim your reward."
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			f.Find(body, "AE")
		}
	})
}
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

// BenchmarkFinderHit is the cache's hit path alone, from every core at
// once: what a gateway pays per recurring number.
func BenchmarkFinderHit(b *testing.B) {
	f := NewFinder(1024)
	texts := []string{"+44 20 7946 0958", "+971 50 123 4567", "050 123 4567", "0501234567"}
	for _, s := range texts {
		f.parse(s, "AE")
	}
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			f.parse(texts[i&3], "AE")
		}
	})
}
