package textnorm

import (
	"strings"
	"testing"
)

// The evasions of issue 12 and issue 17 item 7, each with a ham twin: the
// Joined form must read the hidden word, and ordinary text around the same
// characters must not turn into it.
func TestEvasions(t *testing.T) {
	tests := []struct {
		name, in string
		word     string // must appear in Joined as a whole word
		absent   string // must not appear in Joined (ham twins)
	}{
		{"bang between letters", "Play cas!no tonight", "casino", ""},
		{"bar between letters", "Play cas|no tonight", "casino", ""},
		{"leet with a number", "Bet on b3t365 now", "bet", ""},
		{"number before letters", "join 365bet today", "bet", ""},
		{"repeated letters", "Best caaasssino in town", "casino", ""},
		{"right-to-left override", "Play \u202eonisac\u202c tonight", "casino", ""},
		{"override to the end of the line", "Play \u202eonisac\nnow", "casino", ""},
		{"left-to-right override on arabic", "\u202dوبز\u202c", "زبو", ""},
		{"line break inside a word", "Play cas\nino tonight", "casino", ""},
		{"crlf inside a word", "Play cas\r\nino tonight", "casino", ""},
		{"decimal entity", "Play ca&#115;ino tonight", "casino", ""},
		{"hex entity", "Play ca&#x73;ino tonight", "casino", ""},
		{"entity for an accented letter", "Play cas&#237;no", "casino", ""},
		{"doubled rare letter", "Best caasino in town", "casino", ""},
		{"doubled k", "Join our pokker room", "poker", ""},
		{"bang at the start of a word", "Play !nvest now", "invest", ""},
		{"bar at the start of a word", "Win the |otto", "lotto", ""},
		{"bar at the end of a word", "Log in to paypa| now", "paypal", ""},
		{"tag inside a word", "Play ca<b>s</b>ino tonight", "casino", ""},
		{"font tag inside a word", "Play <font color=red>cas</font>ino now<br>", "casino", ""},
		{"override closed by its isolate", "Play \u2067\u202eonisac\u2069 tonight", "casino", ""},
		{"override closed by PDF past an embedding", "Play \u202b\u202eonisac\u202c\u202c tonight", "casino", ""},
		// A phone nests up to 125 levels (UBA max_depth): 16 embeddings
		// and an override still display reversed.
		{"override inside deep embeddings", "Play " + strings.Repeat("\u202a", 16) + "\u202eonisac" + strings.Repeat("\u202c", 17) + " tonight", "casino", ""},
		{"embedding inside a word", "Play ca\u202bsi\u202cno", "casino", ""},
		{"isolate inside a word", "Play ca\u2066s\u2069ino", "casino", ""},
		// No channel renders HTML: a tag's attributes are text the
		// recipient reads.
		{"words in an inline tag's attributes", "Hi</b> <a Play at our casino tonight>", "casino", ""},
		{"words in a block tag's attributes", "Hi<br><p casino tonight>", "casino", ""},
		{"a word after a tag's slash", "Hi<br><b/casino>", "casino", ""},

		// Ham twins.
		{"bang after a word", "Win! No way", "", "winno"},
		{"bar between words", "red | blue", "", "redibiue"},
		{"otp stays digits", "Your code is 365123", "365123", ""},
		{"year after a word", "Covid19 update", "", "covidi9"},
		{"double letters kept", "coffee and cookies", "coffee", ""},
		{"common doubles are not folded", "Das Bett ist frei", "bett", ""},
		{"bang ends a sentence", "Win! No way", "", "wini"},
		{"bangs between words", "Now!!!Win a prize", "", "iwin"},
		{"bar between spaced words", "Shop | Home", "shop", "ihome"},
		{"angle brackets in text", "Use a<b and c>d to compare", "", "abandcd"},
		{"block tag separates words", "Hello<br>World and </b> bold", "", "helloworld"},
		{"isolate does not reverse", "Call \u2067onisac\u2069 now", "onisac", ""},
		{"override ends at its PDF", "Play \u202eonisac\u202c tonight", "tonight", ""},
		{"xxx alone is left alone", "call xxx now", "xxx", ""},
		{"line break between sentences", "Thanks.\nSee you", "", "thankssee"},
		{"line break after a space", "Play \ncasual games", "", "piaycasuai"},
		{"entity-like text", "Tom & Jerry; R&D", "jerry", ""},
		{"ampersand entity", "Tom &amp; Jerry", "tom", ""},
		{"broken references", "one &; two &#; three &#x; four &#99999999; five &#0; six", "six", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := Normalize(tt.in)
			joined := " " + string(n.Bytes(Joined)) + " "
			want := strings.Map(func(r rune) rune {
				if r == 'l' {
					return 'i'
				}
				return r
			}, tt.word)
			if tt.word != "" && !strings.Contains(joined, " "+want+" ") {
				t.Errorf("Normalize(%q).Bytes(Joined) = %q, want the word %q", tt.in, joined, want)
			}
			if tt.word != "" && !n.Deobfuscated() && !strings.Contains(" "+n.String()+" ", " "+tt.word+" ") {
				t.Errorf("Normalize(%q).Deobfuscated() = false, want true", tt.in)
			}
			if tt.absent != "" && strings.Contains(joined, tt.absent) {
				t.Errorf("Normalize(%q).Bytes(Joined) = %q, must not hold %q", tt.in, joined, tt.absent)
			}
		})
	}
}

// Evidence from a reversed run must be the text as written.
func TestOverrideEvidence(t *testing.T) {
	in := "Play \u202eonisac\u202c now"
	n := Normalize(in)
	j := string(n.Bytes(Joined))
	i := strings.Index(j, "casino")
	if i < 0 {
		t.Fatalf("Joined = %q, want casino", j)
	}
	if got := n.Original(Joined, i, i+len("casino")); got != "onisac" {
		t.Errorf("Original(Joined, casino) = %q, want %q", got, "onisac")
	}
	// Words keeps the logical order.
	if got := n.String(); got != "play onisac now" {
		t.Errorf("String() = %q, want %q", got, "play onisac now")
	}
}

func TestEntityEvidence(t *testing.T) {
	in := "Play ca&#115;ino now"
	n := Normalize(in)
	w := n.String()
	i := strings.Index(w, "casino")
	if i < 0 {
		t.Fatalf("String() = %q, want casino", w)
	}
	if got := n.Original(Words, i, i+len("casino")); got != "ca&#115;ino" {
		t.Errorf("Original(Words, casino) = %q, want %q", got, "ca&#115;ino")
	}
}

func TestBidiDepth(t *testing.T) {
	rlo, lri, pdf, pdi := "\u202e", "\u2066", "\u202c", "\u2069"
	for _, tc := range []struct {
		name, in string
		want     int
	}{
		{"ascii", "Your code is 123456", 0},
		// The ham twin: right-to-left text with a couple of marks.
		{"arabic with marks", "مرحبا \u200fأحمد\u200f، رمزك " + lri + "AB-123" + pdi + " صالح", 1},
		{"isolate in an embedding", "\u202b" + "שלום " + lri + "ACME" + pdi + pdf + " תודה", 2},
		{"closed before the next", strings.Repeat(rlo+"x"+pdf, 40), 1},
		{"nested 17 deep", strings.Repeat(rlo, 17) + "onisac" + strings.Repeat(pdf, 17), 17},
		{"past the tracked depth", strings.Repeat(lri, 200) + "x", 200},
		{"stray terminators close nothing", strings.Repeat(pdf+pdi, 30) + rlo + "x", 1},
		{"a line ends them all", strings.Repeat(rlo, 10) + "a\n" + strings.Repeat(rlo, 10) + "b", 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in).BidiDepth(); got != tc.want {
				t.Errorf("BidiDepth(%q) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
	// Reset forgets the previous text's depth.
	n := Normalize(strings.Repeat(rlo, 20))
	if n.Reset("plain text"); n.BidiDepth() != 0 {
		t.Errorf("BidiDepth after Reset = %d, want 0", n.BidiDepth())
	}
}
