package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/msgfilter/msgfilter/filter"
)

// Mix names.
const (
	mixTemplated = "templated" // OTPs and notifications only: what a hit-heavy A2P stream looks like
	mixRealistic = "realistic" // templated traffic, marketing, and spam/phishing from the corpora
)

// mixConfig says how to build a mix. Equal configs build equal mixes.
type mixConfig struct {
	kind    string
	n       int
	seed    uint64
	dataDir string // ../shared/data; the built-in spam set is used when its corpora are absent
	// minutes is how many distinct minutes of the day message times fall in.
	// Facts carry the local time to the minute, so this sets how dense the
	// traffic is per minute: n/minutes messages share each one, as a
	// gateway's stream does within a minute.
	minutes int
	// recipients is how many recipients each country has; 0 gives every
	// message a new one, as a gateway's traffic mostly does.
	recipients int
}

// mixStats describes a built mix.
type mixStats struct {
	Messages  int            `json:"messages"`
	BodyBytes int64          `json:"body_bytes"`
	ByClass   map[string]int `json:"by_class"`  // templated, marketing, spam
	Corpora   []string       `json:"corpora"`   // the corpus files read; empty: built-in spam set
	Countries int            `json:"countries"` // distinct destinations
	Minutes   int            `json:"minutes"`   // distinct minutes of the day
	Distinct  int            `json:"distinct"`  // distinct bodies
}

// country is one destination of the mix with its local traffic.
type country struct {
	code    string
	mobile  func(r *rand.Rand) string // a valid mobile number
	names   []string
	brands  []brand
	otp     []string // templates: {code} {brand} {name} {amount} {ref} {date} {time} {last4}
	notify  []string
	promo   []string
	promoTx string // sender of promotions
	zoneOff int    // hours from UTC, to spread promotions around local business hours
}

type brand struct{ name, sender string }

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

func number(prefix string, n int) func(r *rand.Rand) string {
	return func(r *rand.Rand) string { return prefix + digits(r, n) }
}

// countries are the mix's destinations: the twelve.
var countries = []country{
	{code: "AE", mobile: number("+97150", 7), zoneOff: 4,
		names:  []string{"Ahmed", "Fatima", "Omar", "Aisha", "Rajesh", "Maria"},
		brands: []brand{{"ADCB", "ADCB"}, {"Emirates NBD", "EmiratesNBD"}, {"Careem", "Careem"}},
		otp: []string{"Your {brand} verification code is {code}. Do not share it with anyone.",
			"رمز التحقق الخاص بك من {brand} هو {code}. لا تشاركه مع أي شخص."},
		notify: []string{"Dear {name}, AED {amount} was debited from your {brand} card ending {last4} on {date}.",
			"{name}, your {brand} ride is arriving in {n} minutes."},
		promo: []string{"White Friday at Noon: up to {pct}% off electronics, today only.",
			"عروض نون: خصم حتى {pct}% على الإلكترونيات اليوم فقط"},
		promoTx: "AD-Noon"},
	{code: "IN", mobile: number("+9198", 8), zoneOff: 5,
		names:  []string{"Priya", "Rahul", "Ananya", "Vikram", "Sneha", "Arjun"},
		brands: []brand{{"HDFC Bank", "VM-HDFCBK"}, {"Paytm", "AD-PAYTMB"}, {"Swiggy", "BZ-SWIGGY"}},
		otp: []string{"{code} is your OTP for login to {brand}. Valid for 10 mins. Do not share it with anyone.",
			"Dear {name}, {code} is the OTP for your transaction of Rs {amount}. Never share your OTP."},
		notify: []string{"Rs {amount} debited from A/c XX{last4} on {date}. Not you? Call 18002586161.",
			"Hi {name}, your {brand} order #{ref} is out for delivery."},
		promo: []string{"Flat {pct}% off on winter wear at Max Fashion. T&C apply.",
			"Big Billion Days: extra {pct}% off with HDFC cards. Shop now!"},
		promoTx: "VM-512345"},
	{code: "FR", mobile: number("+3361", 7), zoneOff: 1,
		names:  []string{"Camille", "Lucas", "Chloé", "Hugo", "Léa", "Nathan"},
		brands: []brand{{"Fnac", "Fnac"}, {"La Poste", "LaPoste"}, {"Doctolib", "Doctolib"}},
		otp:    []string{"Votre code de vérification {brand} est {code}. Il expire dans 10 minutes."},
		notify: []string{"Bonjour {name}, votre colis {ref} sera livré le {date}.",
			"{name}, rappel : rendez-vous le {date} à {time} avec votre médecin. {brand}"},
		promo: []string{"Black Friday chez Fnac : -{pct}% sur les casques audio. STOP au 36111",
			"Soldes Fnac : jusqu'à -{pct}% sur les ordinateurs portables."},
		promoTx: "Fnac"},
	{code: "TR", mobile: number("+90532", 7), zoneOff: 3,
		names:  []string{"Emre", "Elif", "Mehmet", "Zeynep", "Can", "Ayşe"},
		brands: []brand{{"Trendyol", "Trendyol"}, {"Garanti BBVA", "GarantiBBVA"}},
		otp:    []string{"{brand} doğrulama kodunuz: {code}. Bu kodu kimseyle paylaşmayın."},
		notify: []string{"Sayın {name}, {ref} numaralı siparişiniz kargoya verildi.",
			"{brand} kartınızdan {amount} TL harcama yapıldı."},
		promo:   []string{"Trendyol'da Efsane Kasım indirimleri başladı! %{pct} indirim"},
		promoTx: "Trendyol"},
	{code: "TH", mobile: number("+6681", 7), zoneOff: 7,
		names:  []string{"Somchai", "Malee", "Niran", "Ploy", "Anan", "Kanya"},
		brands: []brand{{"KBank", "KBank"}, {"Lazada", "Lazada"}, {"Grab", "Grab"}},
		otp: []string{"รหัส OTP ของคุณคือ {code} (Ref: {ref}) ห้ามบอกรหัสนี้กับผู้อื่น",
			"Your {brand} OTP is {code}. Ref {ref}. Valid 5 minutes."},
		notify: []string{"คุณ {name} คำสั่งซื้อ {ref} ของคุณจัดส่งแล้ว",
			"{brand}: โอนเงิน {amount} บาท สำเร็จ {date} {time}"},
		promo:   []string{"Lazada 11.11 ลดสูงสุด {pct}% วันนี้เท่านั้น"},
		promoTx: "Lazada"},
	{code: "TW", mobile: number("+88691", 7), zoneOff: 8,
		names:  []string{"陳先生", "林小姐", "Wang", "Chen"},
		brands: []brand{{"PChome", "PChome"}, {"中華郵政", "Chunghwa"}},
		otp: []string{"您的{brand}驗證碼為 {code}，請於10分鐘內輸入，切勿提供給他人。",
			"{brand} verification code: {code}"},
		notify:  []string{"{name}您好，您的訂單 {ref} 已出貨，預計 {date} 送達。"},
		promo:   []string{"PChome 雙11 限時優惠，全館{pct}折起，全館免運！"},
		promoTx: "PChome"},
	{code: "HK", mobile: number("+852512", 5), zoneOff: 8,
		names:  []string{"Mr Chan", "Ms Wong", "Kelvin", "Winnie"},
		brands: []brand{{"HSBC", "#HSBC"}, {"HKTVmall", "#HKTVmall"}},
		otp:    []string{"{brand}: Your one-time password is {code}. Do not disclose it to anyone."},
		notify: []string{"Your {brand} card ending {last4} was used for HKD {amount} at PARKNSHOP.",
			"{name}, your {brand} order {ref} will arrive on {date}."},
		promo:   []string{"HKTVmall: {pct}% off household goods this weekend only."},
		promoTx: "#HKTVmall"},
	{code: "IR", mobile: number("+98912", 7), zoneOff: 3,
		names:   []string{"Mehdi", "Zahra", "Reza", "Maryam"},
		brands:  []brand{{"دیجی‌کالا", "Digikala"}, {"اسنپ", "Snapp"}},
		otp:     []string{"کد تایید {brand}: {code}\nاین کد را در اختیار دیگران قرار ندهید."},
		notify:  []string{"{name} عزیز، سفارش {ref} شما ارسال شد."},
		promo:   []string{"تخفیف {pct} درصدی دیجی‌کالا فقط امروز"},
		promoTx: "Digikala"},
	{code: "US", mobile: func(r *rand.Rand) string { return "+1415" + strconv.Itoa(2+r.IntN(8)) + digits(r, 6) }, zoneOff: -5,
		names:  []string{"Emily", "Michael", "Jessica", "David", "Ashley", "Chris"},
		brands: []brand{{"Chase", "24273"}, {"Uber", "827222"}, {"CVS", "28732"}},
		otp: []string{"{brand}: Your verification code is {code}. Reply STOP to opt out.",
			"Your {brand} code is {code}. Don't share it. Msg&data rates may apply."},
		notify: []string{"Hi {name}, your prescription is ready for pickup at {brand}. Reply STOP to opt out.",
			"{brand}: a charge of ${amount} was made on your card ending {last4}."},
		promo: []string{"{brand}: {pct}% off everything this weekend! Reply STOP to opt out.",
			"Flash sale: buy one get one {pct}% off at {brand}. Reply STOP to end."},
		promoTx: "28732"},
	{code: "DE", mobile: number("+49151", 8), zoneOff: 1,
		names:  []string{"Lukas", "Anna", "Jonas", "Lea", "Felix", "Mia"},
		brands: []brand{{"DHL", "DHL"}, {"Sparkasse", "Sparkasse"}},
		otp:    []string{"Ihr {brand} Bestätigungscode lautet {code}. Geben Sie ihn nicht weiter."},
		notify: []string{"Ihr Paket {ref} wird heute zugestellt.",
			"Hallo {name}, Ihr Termin am {date} um {time} Uhr ist bestätigt."},
		promo:   []string{"Neue Winterkollektion: {pct}% Rabatt nur heute. Abmelden: STOP an 12345"},
		promoTx: "Zalando"},
	{code: "CN", mobile: number("+86138", 8), zoneOff: 8,
		names:  []string{"王先生", "李女士", "张伟", "刘洋"},
		brands: []brand{{"京东", "JD"}, {"支付宝", "Alipay"}},
		otp: []string{"【{brand}】您的验证码是{code}，5分钟内有效，请勿泄露。",
			"【{brand}】验证码{code}，用于登录，请勿告诉他人。"},
		notify:  []string{"【{brand}】{name}您好，您的订单{ref}已发货。"},
		promo:   []string{"【京东】双11狂欢，全场{pct}折起，退订回T"},
		promoTx: "JD"},
	{code: "AM", mobile: number("+37477", 6), zoneOff: 4,
		names:   []string{"Anahit", "Armen", "Narek", "Lilit"},
		brands:  []brand{{"Ucom", "Ucom"}, {"Ameriabank", "Ameriabank"}},
		otp:     []string{"Ձեր {brand} հաստատման կոդն է {code}։ Մի փոխանցեք այն որևէ մեկին։", "Your {brand} code: {code}"},
		notify:  []string{"Հարգելի {name}, Ձեր հաշվից գանձվել է {amount} AMD։"},
		promo:   []string{"Ucom: {pct}% զեղչ բոլոր սակագնային փաթեթների համար"},
		promoTx: "Ucom"},
}

var cities = []string{"Dubai", "Mumbai", "Paris", "Istanbul", "Bangkok", "Taipei"}

// fill expands a template.
func fill(r *rand.Rand, tmpl string, c *country, b brand) string {
	var sb strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			sb.WriteString(tmpl)
			return sb.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			sb.WriteString(tmpl)
			return sb.String()
		}
		sb.WriteString(tmpl[:i])
		switch tmpl[i+1 : i+j] {
		case "code":
			sb.WriteString(digits(r, 6))
		case "brand":
			sb.WriteString(b.name)
		case "name":
			sb.WriteString(c.names[r.IntN(len(c.names))])
		case "amount":
			sb.WriteString(strconv.Itoa(1+r.IntN(5000)) + "." + digits(r, 2))
		case "ref":
			sb.WriteString(strings.ToUpper(strconv.FormatUint(r.Uint64()%(1<<40), 36)))
		case "date":
			sb.WriteString(fmt.Sprintf("%02d/%02d", 1+r.IntN(28), 1+r.IntN(12)))
		case "time":
			sb.WriteString(fmt.Sprintf("%02d:%02d", 8+r.IntN(10), 15*r.IntN(4)))
		case "last4":
			sb.WriteString(digits(r, 4))
		case "pct":
			sb.WriteString(strconv.Itoa(10 * (1 + r.IntN(7))))
		case "n":
			sb.WriteString(strconv.Itoa(2 + r.IntN(9)))
		case "city":
			sb.WriteString(cities[r.IntN(len(cities))])
		default:
			sb.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
}

// spamBody is a spam or phishing body with the country it suits ("" for any).
type spamBody struct {
	country string
	text    string
}

// builtinSpam stands in for the corpora when ../shared/data is absent.
// Written for this project; each is a lure of a kind the corpora hold.
var builtinSpam = []spamBody{
	{"", "URGENT! You have won a 1 week FREE membership in our £100,000 Prize Jackpot! Txt CLAIM to 81010"},
	{"", "Your account will be suspended. Verify your account now at http://secure-login-verify.com/acc"},
	{"", "Congratulations! You have been selected as a winner. Claim your prize: bit.ly/3xPrize"},
	{"", "USPS: your parcel is on hold, pay the redelivery fee at https://usps-track-redelivery.info"},
	{"", "Hot singles near you, sex chat free tonight: www.xxx-chat.example.net"},
	{"", "Instant loan approved! Credit without checks, payday cash in 10 minutes. Call 09061743810"},
	{"", "Bitcoin doubling: send 0.1 BTC, get 0.2 back. Token sale ends today http://crypto-x2.io"},
	{"", "Best online casino bonus 200%, roulette, poker and slots, bet now at https://win-casino.bet"},
	{"IN", "Dear customer your Paytm KYC is pending, account will be blocked today. Update at http://paytm-kyc-update.in"},
	{"IN", "Your SBI YONO account is suspended. Update PAN now: http://sbi-yono-pan.xyz"},
	{"TH", "ยินดีด้วย คุณได้รับเครดิตฟรี 500 บาท คลิก https://bit.ly/3abcXYZ สมัครเลย"},
	{"TH", "บาคาร่าออนไลน์ สล็อต แทงบอล ฝากถอนไม่มีขั้นต่ำ lin.ee/abc123"},
	{"AE", "Vote for the new parliament candidate in the elections: register to vote today"},
	{"TR", "Seçim sandığına gidin, oy verin! Kampanya mitingi yarın"},
	{"US", "Buy vape and cigarettes online, no ID check. Text BUY to 55555"},
}

// loadSpam reads spam and phishing bodies from the corpora in dir. It
// returns the files it read; none when dir holds none of them.
func loadSpam(dir string) ([]spamBody, []string, error) {
	var out []spamBody
	var files []string
	if dir == "" {
		return nil, nil, nil
	}
	// UCI SMS Spam Collection: label<TAB>text.
	if p := filepath.Join(dir, "uci-sms-spam-collection", "SMSSpamCollection"); exists(p) {
		err := eachLine(p, func(line string) {
			if label, text, ok := strings.Cut(line, "\t"); ok && label == "spam" {
				out = append(out, spamBody{"", text})
			}
		})
		if err != nil {
			return nil, nil, err
		}
		files = append(files, p)
	}
	// Mendeley smishing: CSV with LABEL,TEXT,...; Indian lures dominate.
	if p := filepath.Join(dir, "mendeley-smishing-5971", "Dataset_5971.csv"); exists(p) {
		f, err := os.Open(p)
		if err != nil {
			return nil, nil, err
		}
		cr := csv.NewReader(f)
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		for first := true; ; first = false {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil || first || len(rec) < 2 {
				continue
			}
			if l := strings.ToLower(rec[0]); l == "smishing" || l == "spam" {
				out = append(out, spamBody{"", rec[1]})
			}
		}
		f.Close()
		files = append(files, p)
	}
	// Thai corpus: label<TAB>text<TAB>first_file; scam and spam go to TH.
	if p := filepath.Join(dir, "thai-sms-spam", "thai_sms_dedup.tsv"); exists(p) {
		err := eachLine(p, func(line string) {
			f := strings.Split(line, "\t")
			if len(f) >= 2 && (f[0] == "scam" || f[0] == "spam") {
				out = append(out, spamBody{"TH", f[1]})
			}
		})
		if err != nil {
			return nil, nil, err
		}
		files = append(files, p)
	}
	return out, files, nil
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func eachLine(path string, fn func(string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 64<<10), 1<<20)
	for s.Scan() {
		fn(s.Text())
	}
	return s.Err()
}

// day is the mix's base date: a Tuesday, no holiday in any pack. It is a
// year before the bench was written because the engine refuses a message
// time more than filter.MaxClockSkew after its clock, and a nextday replay
// moves each pass of the pool a day later: with a base date five days back
// (as it once was), a second's run of the test's 2,000-message pool made
// replays dated later today and every check of them failed. A year of
// passes fits now.
var day = time.Date(2025, 11, 25, 0, 0, 0, 0, time.UTC)

// buildMix builds cfg.n messages. It is deterministic: the same config
// gives the same messages.
func buildMix(cfg mixConfig) ([]filter.Message, mixStats, error) {
	if cfg.kind != mixTemplated && cfg.kind != mixRealistic {
		return nil, mixStats{}, fmt.Errorf("bench: unknown mix %q (want templated or realistic)", cfg.kind)
	}
	if cfg.n <= 0 {
		return nil, mixStats{}, errors.New("bench: a mix needs at least one message")
	}
	minutes := max(1, min(cfg.minutes, 1440))
	r := rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15))
	var spam []spamBody
	st := mixStats{ByClass: map[string]int{}, Minutes: minutes}
	if cfg.kind == mixRealistic {
		var err error
		spam, st.Corpora, err = loadSpam(cfg.dataDir)
		if err != nil {
			return nil, mixStats{}, err
		}
		if len(spam) == 0 {
			spam = builtinSpam
		}
	}
	// The minutes of the day the traffic falls in, spread evenly with a
	// seeded offset so that quiet hours are both on and off somewhere.
	slots := make([]int, minutes)
	off := r.IntN(1440 / minutes)
	for i := range slots {
		slots[i] = off + i*1440/minutes
	}
	ips := make([]string, 64)
	for i := range ips {
		ips[i] = fmt.Sprintf("%d.%d.%d.%d", 80+r.IntN(100), r.IntN(256), r.IntN(256), 1+r.IntN(254))
	}
	var pools map[string][]string
	if cfg.recipients > 0 {
		pools = map[string][]string{}
		for i := range countries {
			for range cfg.recipients {
				pools[countries[i].code] = append(pools[countries[i].code], countries[i].mobile(r))
			}
		}
	}
	recipient := func(c *country) string {
		if pools == nil {
			return c.mobile(r)
		}
		p := pools[c.code]
		return p[r.IntN(len(p))]
	}
	msgs := make([]filter.Message, cfg.n)
	bodies := map[string]struct{}{}
	seen := map[string]bool{}
	for i := range msgs {
		c := &countries[r.IntN(len(countries))]
		m := &msgs[i]
		m.ID = "m-" + strconv.Itoa(i)
		m.Channel = filter.SMS
		m.Recipient = recipient(c)
		m.Tenant = "acme"
		m.Time = day.Add(time.Duration(slots[r.IntN(len(slots))])*time.Minute + time.Duration(r.IntN(60))*time.Second)
		if r.IntN(4) == 0 {
			m.SourceIP = ips[r.IntN(len(ips))]
		}
		class := "templated"
		roll := r.IntN(100)
		switch {
		case cfg.kind == mixTemplated || roll < 70:
			b := c.brands[r.IntN(len(c.brands))]
			m.Sender = b.sender
			if r.IntN(3) > 0 {
				m.Kind = filter.OTP
				m.Body = fill(r, c.otp[r.IntN(len(c.otp))], c, b)
			} else {
				m.Kind = filter.Transactional
				m.Body = fill(r, c.notify[r.IntN(len(c.notify))], c, b)
			}
			// Some templated traffic goes over chat apps, answering the user.
			switch r.IntN(10) {
			case 0:
				m.Channel = filter.WhatsApp
				m.LastInboundAt = m.Time.Add(-time.Duration(1+r.IntN(60)) * time.Minute)
			case 1:
				m.Channel = filter.Viber
			}
		case roll < 85:
			class = "marketing"
			b := c.brands[r.IntN(len(c.brands))]
			m.Kind = filter.Promotional
			m.Sender = c.promoTx
			m.Body = fill(r, c.promo[r.IntN(len(c.promo))], c, b)
			switch r.IntN(10) {
			case 0:
				m.Channel = filter.Viber
			case 1:
				m.Channel = filter.RCS
			case 2:
				m.Channel = filter.Messenger
				m.LastInboundAt = m.Time.Add(-time.Duration(r.IntN(48)) * time.Hour)
			}
		default:
			class = "spam"
			s := spam[r.IntN(len(spam))]
			if s.country != "" {
				for j := range countries {
					if countries[j].code == s.country {
						c = &countries[j]
						m.Recipient = recipient(c)
						break
					}
				}
			}
			m.Body = s.text
			m.Kind = []filter.Kind{filter.Promotional, filter.Transactional, filter.Service}[r.IntN(3)]
			// Spammers rotate senders: foreign numbers and throwaway IDs.
			if r.IntN(2) == 0 {
				m.Sender = "+4474" + digits(r, 8)
			} else {
				m.Sender = "INFO" + digits(r, 2)
			}
		}
		st.ByClass[class]++
		st.BodyBytes += int64(len(m.Body))
		bodies[m.Body] = struct{}{}
		seen[c.code] = true
	}
	st.Messages = len(msgs)
	st.Distinct = len(bodies)
	st.Countries = len(seen)
	return msgs, st, nil
}
