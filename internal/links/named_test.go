package links

import (
	"strings"
	"testing"
)

// TestBrandInText checks the brand named in the text with the link
// elsewhere, and its ham twins: each spam case is followed by the same
// notice sent the way the brand (or the shop naming it) really sends it.
func TestBrandInText(t *testing.T) {
	a := newTestAnalyzer(t, "")
	cases := []struct {
		name, body string
		want       bool   // BrandInText of the first link
		brandOf    string // BrandOf of the first link when want
	}{
		{"bank named, link elsewhere", "U.S. Bank: a purchase of $412.00 was declined. Verify it at https://cardcheck-alerts.info/a", true, "usbank.com"},
		{"bank named, its own link", "U.S. Bank: a purchase of $412.00 was approved. Details at https://www.usbank.com/alerts", false, ""},
		{"name split in words", "Wells Fargo: your card is locked, unlock at http://unlockcard.top/x", true, "wellsfargo.com"},
		{"name split in words, own link", "Wells Fargo: your new card is on its way, see https://connect.secure.wellsfargo.com/x", false, ""},
		{"spaced letters", "A m a z o n: your order is on hold, pay the fee at https://orderhold.top/x", true, "amazon.com"},
		{"greek look-alike letter", "ΡayPal: your account is limited, restore it at https://restore-access.top/x", true, "paypal.com"},
		{"spaced letters of a long name", "C i t i b a n k: card blocked, call or visit https://cardhelp.top/x", true, "citibank.com"},
		{"three words joined", "Bank of America: a new payee was added, review it at https://payee-review.top/x", true, "bankofamerica.com"},
		{"leetspeak", "Amaz0n: your order is on hold, pay the fee at https://orderhold.top/x", true, "amazon.com"},
		{"brand's own shortener", "Amazon: your order has shipped, track it at https://amzn.to/3xYz", false, ""},
		{"generic shortener", "Netflix: your payment failed, update it at bit.ly/3xYz9Qa", true, "netflix.com"},
		{"shop named, carrier's link", "Your Lazada order ships with Kerry Express today: https://th.kerryexpress.com/track/?track=KEX123", false, ""},
		{"shop named, carrier named, carrier's link", "Your Amazon parcel is with UPS: https://www.ups.com/track?tracknum=1Z999", false, ""},
		{"shop named, tracking platform", "Your Walmart order is on its way: https://walmart.narvar.com/tracking/x", false, ""},
		{"shop named, random parcel host", "Walmart: your parcel is held at the depot, reschedule at https://parcel-reschedule.example/x", true, "walmart.com"},
		{"brand on a country domain it does not list", "Lazada: please confirm it is you at https://s.lazada.co.th/m.38DD", false, ""},
		{"brand's own TLD", "SCB Easy: rate our service at https://scbcx.scb/kVu1kGs", false, ""},
		{"brand's subsidiary", "Maybank: your points were redeemed, see www.maybank-ke.co.th", false, ""},
		{"brand only in the link", "See https://example.org/paypal/help", false, ""},
		{"ordinary-word brand", "Chase your dreams this summer at https://dreamtrips.example/x", false, ""},
		{"ordinary-word brand with a name", "CITI: unusual activity on your card, verify at http://cardsecure-check.com", true, "citi.com"},
		{"ordinary-word brand with a name, own link", "CITI: your statement is ready at https://online.citi.com/statements", false, ""},
		{"thai bank's own shortener", "เรียน ลูกค้าที่ใช้บริการ K PLUSบนระบบ iOS กรุณาอัปเดตแอปK PLUS ของท่านเป็นเวอร์ชันล่าสุด กดอัปเดตได้แล้ววันนี้ https://kbank.co/2Vgkw2a", false, ""},
		{"thai bank named in thai, generic shortener", "คุณได้รับสิทธิ์กู้เงิน กสิกรไทย 400,000 บาท bit.ly/3eLRJAi", true, "kasikornbank.com"},
		{"thai bank named in latin, generic shortener", "K PLUS สินเชื่ออนุมัติภายใน 1 วัน ติดต่อ bit.ly/3eLRJAi", true, "kasikornbank.com"},
		{"thai savings bank named in thai, public shortener", "ธ.ออมสิน ท่านได้รับสิทธิ์ยื่นกู้ 30,000 บาท :cutt.ly/rMjzMqz", true, "gsb.or.th"},
		{"thai savings bank named in thai, its own site", "ธนาคารออมสิน ขอแจ้งเปลี่ยนแปลงอัตราดอกเบี้ยเงินฝาก ดูรายละเอียดที่ https://www.gsb.or.th/news", false, ""},
		{"no brand named", "Your order 1234 has shipped: https://shop.example/t/1234", false, ""},
		{"brand inside a longer word", "Batch of upsides: https://news.example/a", false, ""},
		{"ip literal", "PayPal: verify at http://192.0.2.1/login", false, ""},
		// A short acronym read out of a pair of codes is no brand mention:
		// an airport route (BDO is Bandung's IATA code), a country pair, a
		// reference's parts. Twins: the same acronym standing as a word,
		// joined to a word, heading a tag or a reference of its own, with
		// the same foreign link.
		{"acronym in an airport route", "Your e-ticket CGK-BDO 12 Dec 07:40 is issued. Manage booking: https://trip-deals.example/b/88", false, ""},
		{"acronym in a route, other side", "Flight BDO-SIN departs 09:15, gate B4. Check in: https://fly-checkin.example/c/7", false, ""},
		{"acronym in a reference", "Payment ref TRX/UOB/2231 received, receipt: https://pay-receipt.example/r/2231", false, ""},
		{"acronym as a word", "BDO: your account is on hold, verify at https://acct-verify.example/x", true, "bdo.com.ph"},
		{"acronym as a word in a sentence", "Dear client, UOB has locked your card. Unlock: https://card-unlock.example/u", true, "uob.com.sg"},
		{"acronym joined to a word", "DHL-Express: your parcel is held, pay the fee at https://parcel-fee.example/p", true, "dhl.com"},
		{"acronym heading a tag", "UOB-ALERT: your card is locked, unlock at https://card-unlock.example/u", true, "uob.com.sg"},
		{"acronym heading a reference", "Card UOB-2231 is locked, unlock at https://card-unlock.example/u", true, "uob.com.sg"},
		{"acronym in lower case beside a code", "bdo-SIN: your account is on hold, verify at https://acct-verify.example/x", true, "bdo.com.ph"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ls := a.Analyze(c.body)
			if len(ls) == 0 {
				t.Fatalf("Analyze(%q): no link", c.body)
			}
			l := ls[0]
			if l.Risk.BrandInText != c.want {
				t.Errorf("Analyze(%q) BrandInText = %v, want %v (link %s, BrandOf %q)", c.body, l.Risk.BrandInText, c.want, l.Domain, l.Risk.BrandOf)
			}
			if c.want && l.Risk.BrandOf != c.brandOf {
				t.Errorf("Analyze(%q) BrandOf = %q, want %q", c.body, l.Risk.BrandOf, c.brandOf)
			}
		})
	}
}

// TestBrandInTextKeepsLinkBrand: a link that names a brand itself keeps
// that brand in BrandOf when the text names another.
func TestBrandInTextKeepsLinkBrand(t *testing.T) {
	a := newTestAnalyzer(t, "")
	ls := a.Analyze("Amazon: your refund is ready at https://refunds.example/paypal/claim")
	if len(ls) != 1 || !ls[0].Risk.BrandInText || !ls[0].Risk.BrandInPath || ls[0].Risk.BrandOf != "paypal.com" {
		t.Fatalf("got %+v, want BrandInText and BrandInPath with BrandOf paypal.com", ls)
	}
}

// TestBrandInTextPackBrands: a pack's brands and their names count, and a
// text name must hold a letter.
func TestBrandInTextPackBrands(t *testing.T) {
	bs, err := ParseBrands(strings.NewReader(`{"brands": [{"name": "Acme Bank", "domains": ["acmebank.example"], "names": ["Banco Acme"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{Brands: bs})
	if err != nil {
		t.Fatal(err)
	}
	for body, want := range map[string]bool{
		"Banco Acme: tu cuenta fue bloqueada, entra a https://desbloqueo.example/x": true,
		"Acme Bank: your card is locked, see https://unlock.example/x":              true,
		"Banco Acme: tu estado de cuenta en https://www.acmebank.example/e":         false,
	} {
		if ls := a.Analyze(body); len(ls) != 1 || ls[0].Risk.BrandInText != want {
			t.Errorf("Analyze(%q) = %+v, want BrandInText %v", body, ls, want)
		}
	}
	if _, err := ParseBrands(strings.NewReader(`{"brands": [{"name": "X", "domains": ["x.example"], "names": ["12 34"]}]}`)); err == nil {
		t.Error("ParseBrands accepted a name without a letter")
	}
}
