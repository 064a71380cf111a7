package terms

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// want is "category:score" pairs separated by spaces, "" for no match.
func scores(r Result) string {
	var parts []string
	for c, v := range r.Categories {
		parts = append(parts, c+":"+itoa(v.Score))
	}
	sortStrings(parts)
	return strings.Join(parts, " ")
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// Every case that matches has a ham twin just below it that must not.
var matchTests = []struct {
	name, body, want string
}{
	// case
	{"latin upper case", "ELECTION day tomorrow", "political:2"},
	{"ham: election inside selection", "A new SELECTION of shoes", ""},
	{"cyrillic upper case", "ВЫБОРЫ в воскресенье", "political:2"},
	{"ham: cyrillic singular", "Ваш выбор подтвержден", ""},
	{"greek upper case", "ΕΚΛΟΓΕΣ την Κυριακή", "political:2"},
	{"ham: greek choice", "Η εκλογή σας", ""},
	{"armenian upper case", "ԸՆՏՐՈՒԹՅՈՒՆՆԵՐ կիրակի", "political:2"},
	{"ham: armenian unrelated", "Ձեր պատվերը պատրաստ է", ""},
	// width
	{"fullwidth latin", "ＣＡＳＩＮＯ tonight", "gambling:2"},
	{"ham: fullwidth cash", "ＣＡＳＨ back tonight", ""},
	{"halfwidth-free katakana untouched, fullwidth digits", "code １２３４", ""},
	// diacritics
	{"latin accents added", "cásíñó bonus", "gambling:2"},
	{"ham: casing", "phone casing bonus", ""},
	{"turkish typed without its letters", "SECIM yarin", "political:2"},
	{"turkish with its letters and a suffix", "seçimlerde oy kullanın", "political:2"},
	{"ham: turkish seçkin", "seçkin müşterimiz", ""},
	{"turkish dotless i", "bahıs oyna", "gambling:2"},
	{"ham: turkish bahçe", "bahçe indirimi", ""},
	{"vietnamese decomposed", "Ba\u0300\u0302u cu\u031b\u0309 sa\u0301ng mai", "political:2"},
	{"vietnamese precomposed", "bầu cử sáng mai", "political:2"},
	{"ham: vietnamese bau troi", "bầu trời xanh", ""},
	{"greek accents dropped", "εκλογες αυριο", "political:2"},
	// zero-width and format characters
	{"latin zero width", "ca\u200bsi\u200dno", "gambling:2"},
	{"ham: latin split word", "ca si no", ""},
	{"arabic zero width", "الانت\u200cخابات", "political:2"},
	{"thai zero width", "เลือก\u200bตั้ง", "political:2"},
	{"devanagari soft hyphen", "चु\u00adनाव", "political:2"},
	{"ham: devanagari chose", "उसने चुना", ""},
	// homoglyphs from other scripts
	{"cyrillic look-alikes", "саsinо online", "gambling:2"},
	{"ham: russian site", "сайт online", ""},
	{"greek look-alikes", "pοker night", "gambling:2"},
	{"ham: greek word", "πόκερ", ""},
	{"armenian look-alikes", "jackpօt", "gambling:2"},
	{"ham: jackal", "jackal spotted", ""},
	// leetspeak
	{"latin leet", "c4sino and b3t", "gambling:3"},
	{"ham: otp", "Your code is 4521", ""},
	{"cyrillic leet", "казин0 сегодня", "gambling:2"},
	{"turkish leet", "s3çim", "political:2"},
	{"leet with l", "a1coho1 delivery", "alcohol:2"},
	{"ham: digits only", "Call 0800 123 457", ""},
	{"term written with digits", "4D results today", "gambling:2"},
	{"ham: not leetspeak for that term", "HOPE U AD A NICE W3EKEND", ""},
	// separators between letters
	{"dots between letters", "v.o.t.e and join the party", "political:2"},
	{"ham: weak words only", "vote for your favourite flavour", "political:1"},
	{"spaces between letters", "p o r n", "adult:2"},
	{"ham: kisses", "love you x x x", "adult:1"},
	{"ham: initials", "J R R Tolkien", ""},
	{"chinese separators", "选.举 即将开始", "political:2"},
	{"ham: chinese choose", "请选择套餐", ""},
	{"thai separators", "เลือก ตั้ง", "political:2"},
	{"ham: thai choose to buy", "เลือกซื้อ สินค้า", ""},
	{"two-word term spelled out", "o.y v.e.r", "political:1"},
	// letters drawn with two, doubled letters, symbols at a word's edge,
	// markup and bidi controls
	{"rn for m", "Join the referendurn today", "political:2"},
	{"ham: rn stays rn", "Learn modern history in turn", ""},
	{"vv for w", "credit vvithout checks", "loan:2"},
	{"ham: vv in a word", "savvy credit with a check", ""},
	{"doubled rare letter", "caasino bonus", "gambling:2"},
	{"ham: doubled letters in a word", "bazaar and coffee bonus", ""},
	{"bar for l at a word's start", "win the |otto", "gambling:2"},
	{"ham: bar between words", "win | otto", ""},
	{"tags inside a word", "ca<b>s</b>ino <i>bonus</i>", "gambling:2"},
	{"ham: angle brackets in text", "if a<b and c>d, casing", ""},
	{"override inside an isolate", "play \u2067\u202eonisac\u2069 now", "gambling:2"},
	{"ham: isolate alone", "call \u2067onisac\u2069 now", ""},
	// word boundaries
	{"short word", "Bet now", "gambling:1"},
	{"ham: bet inside alphabet", "Learn the alphabet", ""},
	{"sex as a word", "sex chat tonight", "adult:3"},
	{"ham: Essex", "Visit Essex", ""},
	// Arabic script
	{"arabic tatweel", "الانتـــخابات غدا", "political:2"},
	{"arabic harakat", "اَلْاِنْتِخَابَات", "political:2"},
	{"ham: arabic transition", "الانتقال غدا", ""},
	{"persian term, arabic letters", "كانديدا", "political:2"},
	{"arabic term, persian letters", "کازینو", "gambling:2"},
	{"ham: persian book", "کتاب جدید", ""},
	// native digits
	{"ham: persian otp", "کد شما ۱۲۳۴ است", ""},
	{"ham: arabic otp", "رمزك ١٢٣٤", ""},
	{"ham: devanagari otp", "कोड १२३४", ""},
}

func TestMatch(t *testing.T) {
	m := loadLists(t, "testdata/en.jsonl", "testdata/mul.jsonl")
	for _, tt := range matchTests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Match(tt.body)
			if s := scores(got); s != tt.want {
				t.Errorf("Match(%q) = %q %+v, want %q", tt.body, s, got.Categories, tt.want)
			}
			for _, c := range got.Categories {
				if len(c.Terms) != len(c.Evidence) {
					t.Errorf("Match(%q): %d terms, %d evidence", tt.body, len(c.Terms), len(c.Evidence))
				}
				for _, e := range c.Evidence {
					if e == "" || !strings.Contains(tt.body, e) {
						t.Errorf("Match(%q): evidence %q is not part of the body", tt.body, e)
					}
				}
			}
		})
	}
}

func TestMatchEvidence(t *testing.T) {
	m := loadLists(t, "testdata/en.jsonl")
	got := m.Match("Big ELECTION news: v.o.t.e, VOTE again and again, election!")
	want := Category{Score: 3, Terms: []string{"election", "vote"}, Evidence: []string{"ELECTION", "v.o.t.e"}}
	if !reflect.DeepEqual(got.Categories["political"], want) {
		t.Errorf("Match political = %+v, want %+v (each term once, first evidence)", got.Categories["political"], want)
	}
}

func TestDuplicateTermsCountOnce(t *testing.T) {
	m, err := Compile([]Term{
		{Text: "seçim", Category: "political", Weight: 1},
		{Text: "SECIM", Category: "political", Weight: 2},
		{Text: "secim", Category: "fraud_lure", Weight: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Len(); got != 2 {
		t.Errorf("Len() = %d, want 2", got)
	}
	r := m.Match("secim secim")
	if got := r.Score("political"); got != 2 {
		t.Errorf("Score(political) = %d, want 2 (largest weight, counted once)", got)
	}
	if got := r.Categories["political"].Terms; !reflect.DeepEqual(got, []string{"seçim"}) {
		t.Errorf("Terms = %q, want the first spelling", got)
	}
	if got := r.Score("fraud_lure"); got != 1 {
		t.Errorf("Score(fraud_lure) = %d, want 1", got)
	}
}

func TestResultJSON(t *testing.T) {
	m := loadLists(t, "testdata/en.jsonl")
	r := m.Match("ELECTION: v.o.t.e")
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"political":{"score":3,"terms":["election","vote"],"evidence":["ELECTION","v.o.t.e"]}}`
	if string(b) != want {
		t.Errorf("json.Marshal = %s, want %s", b, want)
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, r) {
		t.Errorf("json round trip = %+v, %v, want %+v", back, err, r)
	}
	if b, _ := json.Marshal(Result{}); string(b) != "{}" {
		t.Errorf("json.Marshal(no match) = %s, want {}", b)
	}
}

func TestNoHitDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	m := loadLists(t, "testdata/en.jsonl", "testdata/mul.jsonl")
	for _, body := range []string{
		"Your code is 4521. Do not share it.",
		"Sayın müşterimiz, siparişiniz yola çıktı. Kod: ٣٤٥",
		"a b c d e f g", // joined, still nothing
	} {
		m.Match(body)
		if n := testing.AllocsPerRun(200, func() { m.Match(body) }); n != 0 {
			t.Errorf("Match(%q) allocated %v times, want 0", body, n)
		}
	}
}

func TestZeroMatcher(t *testing.T) {
	var m *Matcher
	if r := m.Match("casino"); r.Categories != nil {
		t.Errorf("nil Matcher Match = %+v, want nothing", r)
	}
	var z Matcher
	if r := z.Match("casino"); r.Categories != nil {
		t.Errorf("zero Matcher Match = %+v, want nothing", r)
	}
}

func TestConcurrentMatch(t *testing.T) {
	m := loadLists(t, "testdata/en.jsonl", "testdata/mul.jsonl")
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				tt := matchTests[(g+i)%len(matchTests)]
				if s := scores(m.Match(tt.body)); s != tt.want {
					t.Errorf("concurrent Match(%q) = %q, want %q", tt.body, s, tt.want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func FuzzMatch(f *testing.F) {
	for _, tt := range matchTests {
		f.Add(tt.body)
	}
	m := loadLists(f, "testdata/en.jsonl", "testdata/mul.jsonl")
	f.Fuzz(func(t *testing.T, body string) {
		a, b := m.Match(body), m.Match(body)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("Match(%q) not deterministic: %+v then %+v", body, a, b)
		}
		for cat, c := range a.Categories {
			if c.Score < 1 || len(c.Terms) == 0 || len(c.Terms) != len(c.Evidence) {
				t.Fatalf("Match(%q)[%s] = %+v, inconsistent", body, cat, c)
			}
			for i, e := range c.Evidence {
				if !strings.Contains(body, e) {
					t.Fatalf("Match(%q)[%s] evidence %q not in body", body, cat, e)
				}
				if i > 0 && c.Terms[i-1] > c.Terms[i] {
					t.Fatalf("Match(%q)[%s] terms not sorted: %q", body, cat, c.Terms)
				}
			}
		}
	})
}

func TestDigitTokens(t *testing.T) {
	cases := []struct {
		name    string
		terms   []Term
		tokens  []string
		anchors []string
	}{
		{"none", []Term{{Text: "casino"}, {Text: "bet365", Word: true}}, nil, nil},
		{"glued digits are no token", []Term{{Text: "mega888"}, {Text: "4D", Word: true}}, nil, nil},
		{"word terms", []Term{{Text: "ar-15", Word: true}, {Text: "420", Word: true}, {Text: "m-15", Word: true}}, []string{"15", "420"}, nil},
		{"inner token", []Term{{Text: "article 23 now"}}, []string{"23"}, nil},
		{"edge of a substring term", []Term{{Text: "Mega 888"}, {Text: "12 Kiss"}}, []string{"888", "12"}, []string{"mega", "kiss"}},
		{"only digits", []Term{{Text: "٤٢٠"}}, []string{"420"}, []string{""}}, // native digits are made ASCII
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tokens, anchors := DigitTokens(c.terms)
			if !reflect.DeepEqual(tokens, c.tokens) || !reflect.DeepEqual(anchors, c.anchors) {
				t.Errorf("DigitTokens(%v) = %q, %q, want %q, %q", c.terms, tokens, anchors, c.tokens, c.anchors)
			}
		})
	}
}
