package textnorm

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestWords(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ascii case and punctuation", "Hello, WORLD!!", "hello world"},
		{"fullwidth latin", "ＶＯＴＥ ＮＯＷ", "vote now"},
		{"fullwidth digits", "ｃｏｄｅ １２３４", "code 1234"},
		{"latin diacritics", "Crème brûlée à São Paulo", "creme brulee a sao paulo"},
		{"turkish letters", "SEÇİM şığöü", "secim sigou"},
		{"turkish dotless i", "ıstanbul İSTANBUL", "istanbul istanbul"},
		{"vietnamese precomposed", "Bầu cử", "bau cu"},
		{"vietnamese combining marks", "Ba\u0300\u0302u cu\u031B\u0309", "bau cu"},
		{"vietnamese d with stroke", "Đảng", "dang"},
		{"greek accents and final sigma", "ΕΚΛΟΓΈΣ εκλογές", "ekλoyeo ekλoyeo"},
		{"cyrillic case", "ВЫБОРЫ выборы", "bblbopbl bblbopbl"},
		{"cyrillic homoglyphs in latin word", "саsіnо", "casino"},
		{"greek homoglyph", "vοte", "vote"},
		{"armenian homoglyph", "vօte", "vote"},
		{"zero width space", "vo\u200bte", "vote"},
		{"zwj zwnj soft hyphen word joiner", "v\u200do\u200ct\u00ade\u2060", "vote"},
		{"bidi controls and bom", "\ufeff\u202evote\u202c\u2066x\u2069", "votex"},
		{"variation selector", "vote\ufe0f", "vote"},
		{"arabic tatweel", "انتـــخابات", "انتخابات"},
		{"arabic harakat", "اَلْاِنْتِخَابَات", "الانتخابات"},
		{"arabic hamza forms", "أحمد إسلام آمن", "احمد اسلام امن"},
		{"persian yeh and keheh", "یک کتاب", "يك كتاب"},
		{"arabic alef maksura", "على", "علي"},
		{"teh marbuta", "مدرسة", "مدرسه"},
		{"arabic-indic digits", "٠١٢٣٤٥٦٧٨٩", "0123456789"},
		{"persian digits", "۱۲۳۴", "1234"},
		{"devanagari digits", "१२३४", "1234"},
		{"bengali digits", "১২৩৪", "1234"},
		{"kannada digits", "೧೨೩೪", "1234"},
		{"thai digits", "๑๒๓๔", "1234"},
		{"devanagari marks kept", "चुनाव", "चुनाव"},
		{"thai marks kept", "เลือกตั้ง", "เลือกตั้ง"},
		{"emoji are separators", "vote🔥now", "vote now"},
		{"invalid utf8 is a separator", "ab\xffcd", "ab cd"},
		{"leet kept in words", "c4sino $ex", "c4sino ex"},
		{"ligature", "ﬁnance", "finance"},
		{"circled letters", "ⓥⓞⓣⓔ", "vote"},
		{"mathematical bold", "𝐯𝐨𝐭𝐞 𝟏𝟐", "vote 12"},
		{"persian zwnj joins the word", "می‌خواهم", "ميخواهم"},
		{"sharp s folds to ss", "STRAẞE Straße", "strasse strasse"},
		{"katakana decomposed like its halfwidth form", "カジノ", "カシ\u3099ノ"},
		{"halfwidth katakana", "ｶｼﾞﾉ", "カシ\u3099ノ"},
		{"empty", "", ""},
		{"only separators", " .,;!? ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestJoined(t *testing.T) {
	tests := []struct {
		name, in, want string
		deobfuscated   bool
	}{
		{"dots between letters", "V.O.T.E today", "vote today", true},
		{"hyphens", "v-o-t-e", "vote", true},
		{"spaces", "v o t e", "vote", true},
		{"underscores", "v_o_t_e", "vote", true},
		{"two single letters stay apart", "a b testing", "a b testing", false},
		{"leet digits in a word", "c4sino b3t", "casino bet", true},
		{"leet symbols in a word", "$ex c@sino", "sex casino", true},
		{"one stands for l", "a1coho1", "aicohoi", true},
		{"otp digits untouched", "Your code is 1234", "your code is 1234", false},
		{"spaced otp stays digits", "code: 1 2 3 4", "code 1234", true},
		{"dollar amount untouched", "pay $50 now", "pay 50 now", false},
		{"chinese separated", "选.举 选 举", "选举选举", true},
		{"thai separated", "เลือก ตั้ง", "เลือกตั้ง", true},
		{"cyrillic letters spaced", "к а з и н о", "kaзиho", true},
		{"plain text", "hello there", "heiio there", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := Normalize(tt.in)
			if got := string(n.Bytes(Joined)); got != tt.want {
				t.Errorf("Normalize(%q).Bytes(Joined) = %q, want %q", tt.in, got, tt.want)
			}
			if got := n.Deobfuscated(); got != tt.deobfuscated {
				t.Errorf("Normalize(%q).Deobfuscated() = %v, want %v", tt.in, got, tt.deobfuscated)
			}
		})
	}
}

func TestOriginal(t *testing.T) {
	tests := []struct {
		name, in string
		form     Form
		find     string // in the normalized form
		want     string // original text
	}{
		{"ascii", "Vote NOW", Words, "now", "NOW"},
		{"fullwidth", "go ＶＯＴＥ!", Words, "vote", "ＶＯＴＥ"},
		{"decomposed", "Ba\u0300\u0302u cử", Words, "bau", "Ba\u0300\u0302u"},
		{"zero width inside", "vo\u200bte", Words, "vote", "vo\u200bte"},
		{"joined dots", "please v.o.t.e now", Joined, "vote", "v.o.t.e"},
		{"leet", "try c4sino", Joined, "casino", "c4sino"},
		{"arabic tatweel", "انتـــخابات", Words, "انتخابات", "انتـــخابات"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := Normalize(tt.in)
			b := string(n.Bytes(tt.form))
			i := strings.Index(b, tt.find)
			if i < 0 {
				t.Fatalf("form %d of %q = %q, does not contain %q", tt.form, tt.in, b, tt.find)
			}
			if got := n.Original(tt.form, i, i+len(tt.find)); got != tt.want {
				t.Errorf("Original(%q in %q) = %q, want %q", tt.find, tt.in, got, tt.want)
			}
		})
	}
}

func TestSpanClamps(t *testing.T) {
	n := Normalize("abc")
	for _, c := range [][2]int{{-5, 2}, {1, 99}, {2, 1}, {3, 3}} {
		s, e := n.Span(Words, c[0], c[1])
		if s < 0 || e < s || e > 3 {
			t.Errorf("Span(Words, %d, %d) = %d, %d, want a span within [0, 3]", c[0], c[1], s, e)
		}
	}
}

func TestResetReuses(t *testing.T) {
	var n Text
	n.Reset("a much longer first message to grow the buffers")
	allocs := testing.AllocsPerRun(100, func() { n.Reset("Vote for ME at c4sino, code 1234") })
	if allocs != 0 {
		t.Errorf("Reset allocated %v times, want 0", allocs)
	}
}

// checkProperties asserts what must hold for any input.
func checkProperties(t *testing.T, s string) {
	t.Helper()
	n := Normalize(s)
	for _, f := range []Form{Words, Joined} {
		b := n.Bytes(f)
		if !utf8.Valid(b) {
			t.Fatalf("form %d of %q is invalid UTF-8: %q", f, s, b)
		}
		if strings.HasPrefix(string(b), " ") || strings.HasSuffix(string(b), " ") || strings.Contains(string(b), "  ") {
			t.Fatalf("form %d of %q has stray spaces: %q", f, s, b)
		}
		for i := range b {
			o0, o1 := n.Span(f, i, i+1)
			if o0 < 0 || o1 < o0 || o1 > len(s) {
				t.Fatalf("form %d of %q: Span(%d) = %d, %d, outside the original", f, s, i, o0, o1)
			}
		}
		_ = n.Original(f, 0, len(b))
	}
	if isASCII(s) && !strings.Contains(s, "&") && !n.html {
		// The ASCII fast path (taken without a possible character
		// reference or HTML tags) must agree with the general path.
		var slow Text
		slow.src = s
		slow.unitsASCII(s)
		slow.buildWords()
		slow.buildJoined()
		if string(slow.form[Words]) != n.String() || slow.deobfuscated != n.Deobfuscated() {
			t.Fatalf("ASCII fast path of %q = %q, %v; general path = %q, %v",
				s, n.String(), n.Deobfuscated(), slow.form[Words], slow.deobfuscated)
		}
	}
	if !strings.ContainsAny(s, "&<") {
		// simpleRun (taken where no reference or tag can start) must
		// agree with reading every segment from the NFKD iterator.
		var slow Text
		slow.src = s
		slow.unitsFromIterator(s)
		slow.buildWords()
		slow.buildJoined()
		for _, f := range []Form{Words, Joined} {
			if got, want := n.Bytes(f), slow.form[f]; string(got) != string(want) {
				t.Fatalf("form %d of %q = %q; segment by segment = %q", f, s, got, want)
			}
		}
		if !slices.Equal(n.units, slow.units) || n.deepest != slow.deepest {
			t.Fatalf("units of %q differ from those read segment by segment", s)
		}
	}
	w := n.String()
	if again := String(w); again != w {
		t.Fatalf("not idempotent: String(%q) = %q, String of that = %q", s, w, again)
	}
}

// unitsFromIterator is unitsUnicode without references, tags and
// simpleRun: every segment read from the NFKD iterator.
func (t *Text) unitsFromIterator(s string) {
	var it norm.Iter
	it.InitString(norm.NFKD, s)
	ctx, ov := ctxNone, int32(-1)
	for !it.Done() {
		o0 := int32(it.Pos())
		seg := it.Next()
		o1 := int32(it.Pos())
		for len(seg) > 0 {
			r, size := utf8.DecodeRune(seg)
			seg = seg[size:]
			if r == utf8.RuneError && size <= 1 {
				t.units = append(t.units, unit{kind: kindSep, o0: o0, o1: o1})
				ctx = ctxNone
				continue
			}
			t.addRune(s, r, o0, o1, &ctx, &ov)
		}
	}
	t.endOverride(&ov)
}

func TestProperties(t *testing.T) {
	for _, s := range seeds {
		checkProperties(t, s)
	}
}

var seeds = []string{
	"a b c", "a $ b c", "x 1 y", "$$$ 5", "@ a b", "l1l", "v-0-t-3", "ab c d e fg",
	"", "Hello", "V.O.T.E", "c4sino $ex", "Your code is 1234", "İı", "ß ẞ ς",
	"Ba\u0300\u0302u cu\u031B\u0309", "اَلْاِنْتِخَابَات یک ك", "เลือก ตั้ง ำ", "चुनाव\u200d", "选.举",
	"\xff\xfe\x00", "a\u0301\u0301\u0301", "\u0301x", "ｖｏｔｅ", "ǅ ǈ ǋ", "ﷺ ﷻ", "㈱ ½ ℡",
	"\u200d\u0915\u094d", "ΑΒΓ", "Ꭰ ꭰ", "ǰ", "\u1e9e", "K Å",
	"ca<b>s</b>ino<br>x", "a<b and c>d </p>", "<font color=red>é</font></span", "<br/><BR >\u202eoni\u2067sac\u2069\u202c",
	"\u202a\u202b\u202d\u202e\u2066\u2067\u2068x\u2069\u202c\u2029y", "!nvest |otto paypa| cas!no Now!!!Win", "caasino pokker naar",
}

func FuzzNormalize(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkProperties(t, s)
	})
}

var (
	ascii160    = "Dear customer, your parcel 4821 is waiting at the depot. Confirm delivery time at the link below or reply STOP to opt out. Thank you for choosing us today!"
	mostlyASCII = "FREE entry in 2 a wkly comp to win FA Cup final tkts 21st May 2005. Text FA to 87121 to receive entry question(std txt rate)T&C's apply 08452810075over18's £1.50 per msg"
	nonASCII160 = "Sayın müşterimiz, seçim kampanyası için indirim! Ödeme: ٣٤٥ TL. Подробнее на сайте. ขอบคุณค่ะ"
	thai        = "สวัสดีค่ะ คุณได้รับสิทธิ์รับเงินคืน 5,000 บาท กรุณายืนยันตัวตนที่ลิงก์ด้านล่างภายในวันนี้ ขอบคุณค่ะ"
)

func BenchmarkNormalize(b *testing.B) {
	for _, bc := range []struct{ name, in string }{{"ascii160", ascii160}, {"mostlyascii", mostlyASCII}, {"nonascii160", nonASCII160}, {"thai", thai}} {
		b.Run(bc.name, func(b *testing.B) {
			var n Text
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.in)))
			for b.Loop() {
				n.Reset(bc.in)
			}
		})
	}
}

// TestHasBidiControl: the byte scan finds exactly the runes IsBidiControl
// names, alone and inside text, across the planes that share its lead bytes.
func TestHasBidiControl(t *testing.T) {
	for r := rune(0x2000); r <= 0x2FFF; r++ {
		for _, s := range []string{string(r), "ab " + string(r) + " cd"} {
			if got, want := HasBidiControl(s), IsBidiControl(r); got != want {
				t.Errorf("HasBidiControl(%q) = %v, want %v (U+%04X)", s, got, want, r)
			}
		}
	}
	if HasBidiControl("plain text, \u200f marks and \u061c too") {
		t.Error("marks are not controls that reorder text")
	}
}

// TestSimpleRunEqualsIterator: every character the table calls inert,
// between ASCII, inert characters, combining marks, characters NFKD
// decomposes (into one segment or several) and the ends of the text,
// gives the units the NFKD iterator gives segment by segment. simpleRun
// trusts pInert to skip the iterator.
func TestSimpleRunEqualsIterator(t *testing.T) {
	befores := []string{"", "a", "\u00e9", "\u3300", "\u0301"}
	afters := []string{"", "a", "\u0301", "\u0e38", "\u0e33", "\ufb01", "ก", "\xff"}
	inerts := 0
	for r := rune(utf8.RuneSelf); r < 0x3100; r++ {
		if !inert(r) {
			continue
		}
		inerts++
		c := string(r)
		for _, before := range befores {
			for _, after := range afters {
				s := before + c + after + c
				var fast, slow Text
				fast.src, slow.src = s, s
				fast.unitsUnicode(s)
				slow.unitsFromIterator(s)
				if !slices.Equal(fast.units, slow.units) || string(fast.scratch) != string(slow.scratch) {
					t.Fatalf("units of %+q (U+%04X inert) differ from those read segment by segment", s, r)
				}
			}
		}
	}
	if inerts < 5000 {
		t.Errorf("only %d inert characters below U+3100: the table lost its letters", inerts)
	}
}
