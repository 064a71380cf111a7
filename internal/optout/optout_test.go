package optout

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgfilter/msgfilter/internal/terms"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// shipped compiles the global packs' real term lists: the tests check the
// data as much as the scoring.
func shipped(t testing.TB) *Detector {
	t.Helper()
	d, err := New(shippedTerms(t))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// shippedTerms reads the global packs' term lists.
func shippedTerms(t testing.TB) []terms.Term {
	t.Helper()
	files, err := filepath.Glob("../../policies/global/terms/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("global term lists: %v (%d files)", err, len(files))
	}
	var all []terms.Term
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := terms.ParseList(r, strings.TrimSuffix(filepath.Base(f), ".jsonl"))
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		all = append(all, ts...)
	}
	return all
}

func TestDetect(t *testing.T) {
	d := shipped(t)
	tests := []struct {
		name, body string
		want       Intent
	}{
		// Revocations in plain words, with an ordinary reply as the twin.
		{"bare stop", "STOP", OptOut},
		{"bus stop", "See you at the bus stop", None},
		{"please stop texting me", "Please stop texting me", OptOut},
		{"don't stop the deals", "Don't stop the deals, I love them!", None},
		{"unsubscribe me", "unsubscribe me", OptOut},
		{"subscribe me", "subscribe me please", OptIn},
		{"don't text me anymore", "don't text me anymore", OptOut},
		{"don't text me the code", "Can you text me the code again?", None},
		{"remove me from your list", "Remove me from your list", OptOut},
		{"remove the item", "Please remove the blue shirt from my order", None},
		{"no more texts", "No more texts, thanks", OptOut},
		{"more texts please", "More texts like this please", None},
		{"keep sending", "Please keep sending me the deals, don't stop", None},
		{"stop sending after negation", "Stop sending me these. Do not contact me again", OptOut},
		{"not interested alone", "Not interested", None},
		{"not interested and stop", "Not interested, stop", OptOut},
		{"obfuscated", "S.T.O.P t3xting me", OptOut},

		// Other languages, each with a twin.
		{"armenian stop", "ՍՏՈՊ", OptOut},
		{"armenian stop in a sentence", "Կանգառում կսպասեմ, ստոպ-կադր", None},
		{"armenian do not write", "Այլևս մի գրեք ինձ", OptOut},
		{"german abmelden", "ABMELDEN", OptOut},
		{"german plain word", "Wann öffnet der Laden morgen?", None},
		{"german no more sms", "Bitte keine SMS mehr", OptOut},
		{"german anmelden again", "Wieder anmelden", OptIn},
		{"russian do not write", "Больше не пишите мне", OptOut},
		{"russian ordinary", "Пишите мне в любое время про доставку", None},
		{"spanish", "No me envíen más mensajes", OptOut},
		{"spanish ordinary", "Envíen más ofertas de zapatos", None},
		{"portuguese", "Pare de enviar mensagens", OptOut},
		{"portuguese ordinary", "Pode enviar o boleto de novo?", None},
		{"portuguese bare sair", "SAIR", OptOut},
		{"indonesian unreg", "UNREG", OptOut},
		{"indonesian ordinary", "Terima kasih, pesanan sudah sampai", None},
		{"hindi", "कृपया मैसेज मत भेजो", OptOut},
		{"hinglish", "bhai msg mat bhejo", OptOut},
		{"hinglish ordinary", "bhai msg bhejo jaldi", None},
		{"turkish", "Lütfen mesaj atmayın", OptOut},
		{"arabic", "لا ترسلوا لي رسائل", OptOut},
		{"french", "Ne m'envoyez plus de SMS", OptOut},
		{"thai", "ไม่ต้องส่งมาอีกนะคะ", OptOut},
		{"thai ordinary", "ส่งของมาอีกชิ้นได้ไหมคะ", None},
		{"vietnamese", "Đừng nhắn tin nữa", OptOut},
		{"vietnamese ordinary", "Nhắn tin cho tôi khi hàng tới nhé", None},
		{"chinese", "别再发了", OptOut},
		{"chinese ordinary", "再发一次验证码", None},
		{"swahili", "Acha kunitumia ujumbe", OptOut},
		{"swahili ordinary", "Nitumie ujumbe bei ikishuka", None},
		{"bengali", "আর মেসেজ পাঠাবেন না", OptOut},
		{"bengali ordinary", "মেসেজ পাঠিয়ে জানাবেন", None},
		{"malay", "Jangan hantar lagi", OptOut},
		{"tagalog", "Tigilan na ninyo ako", OptOut},

		// Opt-in gives consent back.
		{"start", "START", OptIn},
		{"unstop", "unstop", OptIn},
		{"start in a sentence", "When does the sale start?", None},
		{"opt-out wins over opt-in", "unsubscribe me, do not subscribe me again", OptOut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.Detect(tt.body); got.Intent != tt.want {
				t.Errorf("Detect(%q) = %v (%q), want %v", tt.body, got.Intent, got.Evidence, tt.want)
			}
		})
	}
}

func TestZeroDetector(t *testing.T) {
	var d Detector
	if got := d.Detect("STOP"); got.Intent != None {
		t.Errorf("zero Detector: Detect(STOP) = %v, want none", got.Intent)
	}
	var nilD *Detector
	if got := nilD.Detect("STOP"); got.Intent != None {
		t.Errorf("nil Detector: Detect(STOP) = %v, want none", got.Intent)
	}
}

func TestNewKeepsOnlyItsCategories(t *testing.T) {
	d, err := New([]terms.Term{
		{Text: "casino", Category: "gambling", Weight: 2},
		{Text: "stop", Category: CategoryOut, Weight: 1, Word: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.m.Len() != 1 {
		t.Errorf("New kept %d terms, want 1", d.m.Len())
	}
}

func BenchmarkDetect(b *testing.B) {
	d := shipped(b)
	for name, body := range map[string]string{
		"lone":     "STOP",
		"sentence": "Hi, please stop texting me, I never signed up for this",
		"ordinary": "Thanks! Can I pick up my order at the store tomorrow at 5?",
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				d.Detect(body)
			}
		})
	}
}

func FuzzDetect(f *testing.F) {
	d := shipped(f)
	f.Add("Please stop texting me")
	f.Add("ՍՏՈՊ")
	f.Fuzz(func(t *testing.T, body string) {
		a, b := d.Detect(body), d.Detect(body)
		if a != b {
			t.Errorf("Detect(%q) not deterministic: %v then %v", body, a, b)
		}
	})
}

func TestInstructs(t *testing.T) {
	d := shipped(t)
	// The engine's way: the opt_out terms in a content matcher, with
	// content terms that share words with them.
	var mixed []terms.Term
	for _, tm := range shippedTerms(t) {
		if tm.Category == CategoryOut {
			mixed = append(mixed, tm)
		}
	}
	mixed = append(mixed, terms.Term{Text: "stop", Category: "promo", Weight: 2}, terms.Term{Text: "sale", Category: "promo", Weight: 1})
	m, err := terms.Compile(mixed)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		body string
		want bool
	}{
		{"Spring sale: 20% off everything. Reply STOP to opt out", true},
		{"Promo -20% ! STOP au 36111", true},
		{"Sommerschlussverkauf: 30% auf alles. Abmelden unter shop.de/ab", true},
		{"Summer sale today. To unsubscribe visit shop.co.uk/u", true},
		{"Summer sale today, 30% off everything!", false},
		{"Non-stop deals all weekend at our store", false},
		{"Sommerschlussverkauf: 30% auf alles!", false},
	}
	for _, tt := range tests {
		if got := d.Instructs(tt.body); got != tt.want {
			t.Errorf("Instructs(%q) = %v, want %v", tt.body, got, tt.want)
		}
		var text textnorm.Text
		text.Reset(tt.body)
		if got := Instructed(m.MatchText(&text)); got != tt.want {
			t.Errorf("Instructed(MatchText(%q)) with content terms = %v, want %v", tt.body, got, tt.want)
		}
	}
	var zero Detector
	if zero.Instructs("Reply STOP to opt out") {
		t.Error("zero Detector instructs")
	}
}
