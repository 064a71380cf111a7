package model_test

import (
	"slices"
	"testing"

	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// TestLureKinds: lure words are found as whole words in Latin scripts and
// inside the text in scripts without spaces, in obfuscated forms too;
// their ham twins, which share letters but not the words, find none.
func TestLureKinds(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       []string
	}{
		{"english prize", "Congratulations! You WON a prize", []string{"prize words"}},
		{"english prize twin", "The winter window is wonderful", nil},
		{"indonesian prize and action", "Selamat, anda menang hadiah! Klik sekarang", []string{"prize words", "click or download words"}},
		{"spanish credential", "Verifique su cuenta y contraseña", []string{"credential words"}},
		{"french prize without accents", "Felicitations, cadeau gratuit", []string{"prize words"}},
		{"turkish prize", "Tebrikler, ödül kazandınız", []string{"prize words"}},
		{"leetspeak urgency", "Your acc0unt is susp3nded, v3rify your passw0rd", []string{"urgency words", "credential words"}},
		{"l as i", "Ciick to c1aim", []string{"prize words", "click or download words"}},
		{"thai gambling", "สล็อตเว็บตรง ฝากถอนไม่มีขั้นต่ำ", []string{"betting words"}},
		{"thai twin", "ขอบคุณที่ใช้บริการ พบกันใหม่", nil},
		{"chinese loan", "快速贷款，当天到账", []string{"loan words"}},
		{"chinese twin", "您的包裹已送达", nil},
		{"russian urgency", "Срочно: карта заблокирована", []string{"urgency words"}},
		{"plain otp", "Your verification code is 482913. It expires in 10 minutes", nil},
		{"opt-out line", "Your order has shipped. Reply STOP to opt out", nil},
		{"reminder", "Your appointment is tomorrow at 10:00. Reply C to confirm or call 0800 123 456", nil},
		{"bank alert", "Your account XX1234 was debited Rs 500 by card. Call 1800 123 4567 if not you", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var f model.Features
			f.Extract(textnorm.Normalize(c.body))
			if got := f.LureKinds(); !slices.Equal(got, c.want) {
				t.Errorf("%q: lure kinds %q, want %q", c.body, got, c.want)
			}
		})
	}
}
