package filter_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/msgfilter/msgfilter/filter"
)

// recipients are valid mobile numbers of the destinations the content tests
// send to.
var recipients = map[string]string{
	"AE": "+971501234567",
	"AM": "+37477123456",
	"CN": "+8613812345678",
	"HK": "+85291234567",
	"IR": "+989121234567",
	"MY": "+60123456789",
	"QA": "+97433123456",
	"TH": "+66812345678",
	"TR": "+905321234567",
	"TW": "+886912345678",
	"US": "+14155552671",
	"VN": "+84912345678",
	"GB": "+447400123456",
}

// contentCase is one message body sent to one destination, with the content
// codes (*_CONTENT and FRAUD_LURE) its decision must carry, space-separated
// and sorted; "" for a ham message. Other rules (sender, links, hours) may
// fire too: these tests are about what the body says.
type contentCase struct {
	name    string
	country string
	kind    filter.Kind // transactional when empty (Armenia's gambling cases are promotional: its rule spares transactional messages)
	body    string
	want    string
}

// contentCodes are the content codes of d, sorted and space-separated.
func contentCodes(d filter.Decision) string {
	var cs []string
	for _, r := range d.Reasons {
		if strings.HasSuffix(string(r.Code), "_CONTENT") || r.Code == "FRAUD_LURE" {
			cs = append(cs, string(r.Code))
		}
	}
	slices.Sort(cs)
	return strings.Join(slices.Compact(cs), " ")
}

func newContentEngine(t testing.TB) *filter.Engine {
	t.Helper()
	clock := time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC) // daytime from Istanbul to Taipei
	e, err := filter.New(filter.WithClock(func() time.Time { return clock }))
	if err != nil {
		t.Fatalf("filter.New: %v", err)
	}
	return e
}

func runContentCases(t *testing.T, cases []contentCase) {
	t.Helper()
	e := newContentEngine(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kind := c.kind
			if kind == "" {
				kind = filter.Transactional
			}
			m := &filter.Message{
				ID: c.name, Channel: filter.SMS, Kind: kind, Country: c.country,
				Sender: "ACME", Recipient: recipients[c.country], Body: c.body,
			}
			x, err := e.Explain(context.Background(), m)
			if err != nil {
				t.Fatalf("Check(%q to %s): %v", c.body, c.country, err)
			}
			if got := contentCodes(x.Decision); got != c.want {
				t.Errorf("Check(%q to %s) content codes = %q, want %q; categories %+v",
					c.body, c.country, got, c.want, x.Facts.Content.Categories)
			}
		})
	}
}

// nfd is s in Unicode canonical decomposition: how some keyboards and
// copy-paste from PDFs deliver Vietnamese (base letter + combining marks).
func nfd(s string) string { return norm.NFD.String(s) }

// TestContentObfuscation sends real message bodies through the engine with
// the embedded policies: every obfuscation class of DESIGN.md, in several
// scripts, each positive followed by its ham twin, the closest legitimate
// message, which must pass.
func TestContentObfuscation(t *testing.T) {
	runContentCases(t, []contentCase{
		// Case.
		{"case/latin/spam", "AE", "", "ELECTION DAY: go to the polls for our list", "POLITICAL_CONTENT"},
		{"case/latin/ham", "AE", "", "BIG SELECTION DAY: new phones in store", ""},
		{"case/cyrillic/spam", "AM", "", "ВЫБОРЫ В ПАРЛАМЕНТ: ГОЛОСУЙТЕ ЗА НАС", "POLITICAL_CONTENT"},
		{"case/cyrillic/ham", "AM", "", "БОЛЬШОЙ ВЫБОР ТОВАРОВ В НАШЕМ МАГАЗИНЕ", ""},
		{"case/armenian/spam", "AM", "", "ԸՆՏՐՈՒԹՅՈՒՆՆԵՐԸ կիրակի են", "POLITICAL_CONTENT"},
		{"case/armenian/ham", "AM", "", "ՁԵՐ ԸՆՏՐՈՒԹՅՈՒՆԸ պահպանված է", ""},
		{"case/turkish-dotted-capital/spam", "TR", "", "İDDAA KUPONUNU HEMEN YATIR", "GAMBLING_CONTENT"},
		{"case/turkish-dotted-capital/ham", "TR", "", "İADE KUPONUNUZ HESABINIZA YATIRILDI", ""},

		// Width: fullwidth Latin letters and digits, whatever the language.
		{"width/english/spam", "AE", "", "Ｏｎｌｉｎｅ ＣＡＳＩＮＯ bonus", "GAMBLING_CONTENT"},
		{"width/english/ham", "AE", "", "Ｏｎｌｉｎｅ ＣＡＳＨＢＡＣＫ bonus", ""},
		{"width/malay/spam", "MY", "", "Main ｍｅｇａ８８８ sekarang", "GAMBLING_CONTENT"},
		{"width/malay/ham", "MY", "", "Jualan ＭＥＧＡ hujung minggu ini", ""},
		{"width/chinese-with-fullwidth-latin/spam", "CN", "", "买ＢＩＴＣＯＩＮ，比特币稳赚", "CRYPTO_CONTENT"},
		{"width/chinese-with-fullwidth-latin/ham", "CN", "", "您的ＢＩＴ订单已发货", ""},

		// Diacritics added to letters that have none.
		{"diacritics/latin/spam", "AE", "", "Plày pókér at our cásìnó tonight", "GAMBLING_CONTENT"},
		{"diacritics/latin/ham", "AE", "", "Plày the pìàno at our café tonight", ""},
		{"diacritics/cyrillic-stress/spam", "AM", filter.Promotional, "Сде́лай ста́вку в казино́", "GAMBLING_CONTENT"},
		{"diacritics/cyrillic-stress/ham", "AM", filter.Promotional, "Сде́лай зака́з в магази́не", ""},
		{"diacritics/arabic-harakat/spam", "AE", "", "اِنْتِخَابَاتُ البَرْلَمَانِ غَدًا", "POLITICAL_CONTENT"},
		{"diacritics/arabic-harakat/ham", "AE", "", "تَخْفِيضَاتُ المَوْسِمِ غَدًا", ""},

		// Zero-width and other format characters inside words.
		{"zero-width/latin/spam", "AE", "", "ca\u200bsi\u200cno ro\u2060ulette", "GAMBLING_CONTENT"},
		{"zero-width/latin/ham", "AE", "", "ca\u200bsh\u200cback ro\u2060ute", ""},
		{"zero-width/thai/spam", "TH", "", "ไปเลือก\u200bตั้งวันอาทิตย์", "POLITICAL_CONTENT"},
		{"zero-width/thai/ham", "TH", "", "ไปเลือก\u200bซื้อวันอาทิตย์", ""},
		{"zero-width/chinese/spam", "CN", "", "网上赌\u200d场开业", "GAMBLING_CONTENT"},
		{"zero-width/chinese/ham", "CN", "", "网上商\u200d场开业", ""},
		{"zero-width/arabic/spam", "AE", "", "كازي\u200cنو اون\u200fلاين", "GAMBLING_CONTENT"},
		{"zero-width/arabic/ham", "AE", "", "كاش\u200cباك اون\u200fلاين", ""},

		// Homoglyphs from other scripts.
		{"homoglyph/cyrillic-in-latin/spam", "AE", "", "Online \u0441\u0430sin\u043e", "GAMBLING_CONTENT"},
		{"homoglyph/cyrillic-in-latin/ham", "AE", "", "Online \u0441\u0430sh\u043eut", ""},
		{"homoglyph/latin-in-cyrillic/spam", "AM", filter.Promotional, "Онлайн к" + "a" + "зин" + "o", "GAMBLING_CONTENT"},
		{"homoglyph/latin-in-cyrillic/ham", "AM", filter.Promotional, "Онлайн м" + "a" + "г" + "a" + "зин", ""},
		{"homoglyph/greek-in-latin/spam", "TR", "", "Online p\u03bfker turnuvas\u0131", "GAMBLING_CONTENT"},
		{"homoglyph/greek-in-latin/ham", "TR", "", "Online p\u03bfket harç\u0131 iade", ""},

		// Leetspeak digits.
		{"leet/english/spam", "AE", "", "Win at c4s1n0 tonight", "GAMBLING_CONTENT"},
		{"leet/english/ham", "AE", "", "Win 2 tickets at 4pm tonight", ""},
		{"leet/us-adult/spam", "US", "", "Free p0rn videos", "ADULT_CONTENT"},
		{"leet/us-adult/ham", "US", "", "Free p0p videos", ""},
		{"leet/turkish/spam", "TR", "", "b4h1s sitesine uye ol", "GAMBLING_CONTENT"},
		{"leet/turkish/ham", "TR", "", "b4 saat 14te teslim", ""},
		{"leet/cyrillic/spam", "AM", filter.Promotional, "Играй в к4зин0 онлайн", "GAMBLING_CONTENT"},
		{"leet/cyrillic/ham", "AM", filter.Promotional, "Играй в м4г4зин онлайн", ""},

		// Separators between letters, and between CJK characters and Thai syllables.
		{"separators/latin-dots/spam", "AE", "", "e.l.e.c.t.i.o.n day tomorrow", "POLITICAL_CONTENT"},
		{"separators/latin-dots/ham", "AE", "", "s.a.l.e day tomorrow", ""},
		{"separators/latin-hyphens/spam", "AE", "", "c-a-s-i-n-o night", "GAMBLING_CONTENT"},
		{"separators/latin-hyphens/ham", "AE", "", "c-a-s-h night", ""},
		{"separators/chinese/spam", "CN", "", "选.举即将开始", "POLITICAL_CONTENT"},
		{"separators/chinese/ham", "CN", "", "选.购即将开始", ""},
		{"separators/chinese-spaces/spam", "HK", "", "賭 場 優 惠", "GAMBLING_CONTENT"},
		{"separators/chinese-spaces/ham", "HK", "", "商 場 優 惠", ""},
		{"separators/thai-syllables/spam", "TH", "", "เลือก ตั้ง ครั้ง นี้", "POLITICAL_CONTENT"},
		{"separators/thai-syllables/ham", "TH", "", "เลือก ซื้อ ครั้ง นี้", ""},
		{"separators/armenian-hyphens/spam", "AM", filter.Promotional, "կ-ա-զ-ի-ն-ո խաղեր", "GAMBLING_CONTENT"},
		{"separators/armenian-hyphens/ham", "AM", filter.Promotional, "կ-ա-զ-մ-ա-կ-ե-ր-պ խաղեր", ""},

		// Arabic tatweel (kashida) and harakat.
		{"tatweel/arabic/spam", "AE", "", "انـــتـــخـــابـــات المجلس", "POLITICAL_CONTENT"},
		{"tatweel/arabic/ham", "AE", "", "تـــخـــفـــيـــضـــات المجلس", ""},
		{"tatweel/persian/spam", "IR", "", "سایت شرط‌بـــنـــدی", "GAMBLING_CONTENT"},
		{"tatweel/persian/ham", "IR", "", "سایت فـــروشـــگاه", ""},
		{"tatweel-harakat/qatar/spam", "QA", "", "اِسْتِفْتَـــاء شعبي", "POLITICAL_CONTENT"},
		{"tatweel-harakat/qatar/ham", "QA", "", "اِسْتِقْبَـــال شعبي", ""},

		// Arabic and Persian letter forms (ي/ی, ك/ک, ة/ه).
		{"letter-forms/persian-in-arabic/spam", "AE", "", "کازینو اونلاین", "GAMBLING_CONTENT"},
		{"letter-forms/persian-in-arabic/ham", "AE", "", "کاشباک اونلاین", ""},
		{"letter-forms/arabic-in-persian/spam", "IR", "", "بازي پوكر آنلاين", "GAMBLING_CONTENT"},
		{"letter-forms/arabic-in-persian/ham", "IR", "", "بازي فوتبال آنلاين", ""},
		{"letter-forms/arabic-yeh-kaf-persian/spam", "IR", "", "شرط بندي فوتبال", "GAMBLING_CONTENT"},
		{"letter-forms/arabic-yeh-kaf-persian/ham", "IR", "", "بسته بندي فوتبال", ""},

		// Native digits.
		{"native-digits/arabic-indic/spam", "AE", "", "العب على bet٣٦٥ الآن", "GAMBLING_CONTENT"},
		{"native-digits/arabic-indic/ham", "AE", "", "فاتورتك ٣٦٥ درهم مدفوعة", ""},
		{"native-digits/persian/spam", "IR", "", "ثبت نام در bet۳۶۵", "GAMBLING_CONTENT"},
		{"native-digits/persian/ham", "IR", "", "کد تایید شما ۳۶۵۱۲ است", ""},
		{"native-digits/thai/spam", "TH", "", "สมัคร bet๓๖๕ วันนี้", "GAMBLING_CONTENT"},
		{"native-digits/thai/ham", "TH", "", "รหัส OTP ของคุณคือ ๓๖๕๑๒", ""},

		// Text typed without the language's own letters.
		{"typed-without/turkish-cedilla-breve/spam", "TR", "", "Secim sandigi pazar gunu", "POLITICAL_CONTENT"},
		{"typed-without/turkish-cedilla-breve/ham", "TR", "", "Ozel secim urunlerde indirim", ""},
		{"typed-without/turkish-dotless-i/spam", "TR", "", "Hiristiyan olun, kurtulun", "RELIGIOUS_CONTENT"},
		{"typed-without/turkish-dotless-i/ham", "TR", "", "Hiristiyan bayraminiz kutlu olsun", ""},
		{"typed-without/turkish-dotless-as-i/spam", "TR", "", "ıddaa kuponu", "GAMBLING_CONTENT"},
		{"typed-without/turkish-dotless-as-i/ham", "TR", "", "ıade kuponu", ""},
		{"typed-without/vietnamese/spam", "VN", "", "Di bau cu ngay mai", "POLITICAL_CONTENT"},
		{"typed-without/vietnamese/ham", "VN", "", "Di bau troi ngay mai", ""},

		// Decomposed Vietnamese (combining marks).
		{"decomposed/vietnamese-political/spam", "VN", "", nfd("Hãy đi bầu cử Quốc hội"), "POLITICAL_CONTENT"},
		{"decomposed/vietnamese-political/ham", "VN", "", nfd("Hãy đi ngắm bầu trời"), ""},
		{"decomposed/vietnamese-gambling/spam", "VN", "", nfd("Sòng bạc trực tuyến uy tín"), "GAMBLING_CONTENT"},
		{"decomposed/vietnamese-gambling/ham", "VN", "", nfd("Sóng biển trực tuyến uy tín"), ""},
		{"decomposed/vietnamese-crypto/spam", "VN", "", nfd("Đầu tư tiền ảo lãi cao"), "CRYPTO_CONTENT"},
		{"decomposed/vietnamese-crypto/ham", "VN", "", nfd("Đầu tư tiết kiệm lãi cao"), ""},
	})
}

// TestContentAmbiguousWords checks the weighing of ambiguous words: alone
// they pass, with a second signal of their category they flag.
func TestContentAmbiguousWords(t *testing.T) {
	runContentCases(t, []contentCase{
		{"vote/with-candidate/spam", "AE", "", "Vote for our candidate on Sunday", "POLITICAL_CONTENT"},
		{"vote/flavour/ham", "AE", "", "Vote for your favourite flavour and win a free cone", ""},
		{"party/political/spam", "MY", "", "Sertai parti politik kami", "POLITICAL_CONTENT"},
		{"party/birthday/ham", "MY", "", "Your birthday party booking is confirmed", ""},
		{"parliament/election/spam", "AE", "", "Vote in the parliament election tomorrow", "POLITICAL_CONTENT"},
		{"parliament/landmark/ham", "AE", "", "Your Parliament Hill tour booking is confirmed", ""},
		{"bet/casino/spam", "AE", "", "Place your bet at the casino", "GAMBLING_CONTENT"},
		{"bet/i-bet/ham", "AE", "", "I bet you will love our new menu", ""},
		{"jackpot/slots/spam", "AE", "", "Hit the jackpot on our slots", "GAMBLING_CONTENT"},
		{"slots/delivery/ham", "AE", "", "Delivery slots for tomorrow are open", ""},
		{"loan/instant/spam", "AE", "", "Instant loan approved, no credit check", "LOAN_CONTENT"},
		{"loan/statement/ham", "AE", "", "Your loan statement for November is ready", ""},
		{"xxx/porn/spam", "US", "", "xxx porn videos", "ADULT_CONTENT"},
		{"xxx/masked-account/ham", "US", "", "Card XXX-X-XX029-9 was charged $12.50. xxx Mom", ""},
		{"beer/whisky/review", "US", "", "Whisky and beer tasting this Friday", "ALCOHOL_CONTENT"},
		{"beer/root-beer/ham", "US", "", "Your root beer float coupon", ""},
		{"gun/rifle/review", "US", "", "Assault rifle and ammo sale", "FIREARMS_CONTENT"},
		{"gun/glue-gun/ham", "US", "", "Your glue gun has shipped", ""},
		{"thai-yaba/drugs/spam", "TH", "", "ขายยาบ้าราคาถูก", "DRUGS_CONTENT"},
		{"thai-yaba/some-medicine/ham", "TH", "", "กินยาบ้างหรือยัง", ""},
		{"turkish-aday/candidate/spam", "TR", "", "Cumhurbaşkanı adayı mitingi", "POLITICAL_CONTENT"},
		{"turkish-aday/kadayif/ham", "TR", "", "Kadayıf siparişiniz yolda", ""},
		{"arabic-sex/word/spam", "QA", "", "أفلام سكس مجانية", "ADULT_CONTENT"},
		{"arabic-sex/nationality/ham", "QA", "", "يرجى تحديث الجنسية في حسابك", ""},
		{"chinese-meeting/parliament/spam", "CN", "", "选举投票开始", "POLITICAL_CONTENT"},
		{"chinese-meeting/choice/ham", "CN", "", "大选择，小价格", ""},
		{"fraud/parcel-fee/review", "GB", "", "Your parcel is on hold. Pay the redelivery fee at royal-mail-help.com", "FRAUD_LURE"},
		{"fraud/parcel-delivered/ham", "GB", "", "Your parcel was delivered to your safe place", ""},
		{"fraud/account-suspended/review", "GB", "", "Your account will be suspended. Verify your account now", "FRAUD_LURE"},
		{"fraud/security-alert-bank/ham", "GB", "", "Security alert: a new device signed in. If this was you, ignore this message", ""},
		{"fraud/prize/review", "TH", "", "Congratulations, you have won a prize! claim your prize", "FRAUD_LURE"},
		{"fraud/congratulations/ham", "TH", "", "Congratulations on your new home", ""},
		{"fraud/awarded-prize/review", "GB", "", "URGENT! You are awarded a guaranteed cash prize. Call now", "FRAUD_LURE"},
		{"fraud/awarded-points/ham", "GB", "", "You have been awarded 500 loyalty points for your last order", ""},
		{"fraud/delivery-guaranteed/ham", "GB", "", "Next-day delivery guaranteed. Your parcel is awaiting collection at the counter", ""},
	})
}

// TestContentKindsAndActions checks the rules that depend on the kind of
// message (Armenia's gambling rule spares transactional messages) and on
// actions (US alcohol and firearms are reviewed, not blocked).
func TestContentKindsAndActions(t *testing.T) {
	e := newContentEngine(t)
	tests := []struct {
		name    string
		country string
		kind    filter.Kind
		body    string
		code    filter.Code
		action  filter.Action // of the content reason's code (the decision's may be stronger)
		present bool
	}{
		{"am gambling promotional blocked", "AM", filter.Promotional, "Խաղադրույք կազինոյում", "GAMBLING_CONTENT", filter.Block, true},
		{"am gambling otp blocked", "AM", filter.OTP, "Ձեր կազինո կոդը 1234", "GAMBLING_CONTENT", filter.Block, true},
		{"am gambling transactional allowed", "AM", filter.Transactional, "Ձեր խաղադրույքը ընդունված է, կազինո", "GAMBLING_CONTENT", "", false},
		{"us alcohol review", "US", filter.Transactional, "Whisky and vodka delivered", "ALCOHOL_CONTENT", filter.Review, true},
		{"us firearms review", "US", filter.Transactional, "Handgun and ammunition in stock", "FIREARMS_CONTENT", filter.Review, true},
		{"us adult block", "US", filter.Transactional, "Hot sex chat tonight", "ADULT_CONTENT", filter.Block, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &filter.Message{ID: tc.name, Channel: filter.SMS, Kind: tc.kind, Country: tc.country,
				Sender: "ACME", Recipient: recipients[tc.country], Body: tc.body}
			d, err := e.Check(context.Background(), m)
			if err != nil {
				t.Fatalf("Check(%q): %v", tc.body, err)
			}
			found := false
			for _, r := range d.Reasons {
				if r.Code == tc.code {
					found = true
				}
			}
			if found != tc.present {
				t.Fatalf("Check(%q to %s, %s) reasons %+v: has %s = %v, want %v", tc.body, tc.country, tc.kind, d.Reasons, tc.code, found, tc.present)
			}
			if tc.present && d.Action != tc.action {
				t.Errorf("Check(%q to %s) action = %s, want %s", tc.body, tc.country, d.Action, tc.action)
			}
		})
	}
}
