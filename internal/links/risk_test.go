package links

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"
)

// linkRisk is the global pack's link_risk data (policies/global/data.json):
// the weights policies/global/linkrisk.rego adds up and its thresholds.
type linkRisk struct {
	Weights map[string]int `json:"weights"`
	Review  int            `json:"review"`
	Block   int            `json:"block"`
	// scripts is policies/global/expected_scripts.json and dest the
	// destination ("de" unless a test says): the two script signals are
	// derived in Rego from both.
	scripts map[string][]string
	dest    string
}

func loadLinkRisk(t testing.TB) linkRisk {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "policies", "global", "data.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		LinkRisk linkRisk `json:"link_risk"`
	}
	if err := json.Unmarshal(b, &d); err != nil || d.LinkRisk.Review == 0 {
		t.Fatalf("policies/global/data.json link_risk: %v %+v", err, d.LinkRisk)
	}
	b, err = os.ReadFile(filepath.Join("..", "..", "policies", "global", "expected_scripts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Scripts map[string][]string `json:"expected_scripts"`
	}
	if err := json.Unmarshal(b, &s); err != nil || len(s.Scripts) == 0 {
		t.Fatalf("policies/global/expected_scripts.json: %v", err)
	}
	d.LinkRisk.scripts, d.LinkRisk.dest = s.Scripts, "de"
	return d.LinkRisk
}

// fields returns the link's boolean facts by JSON name.
func (r linkRisk) fields(l Link) map[string]bool {
	b, _ := json.Marshal(struct {
		Link
		Risk
	}{l, l.Risk})
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	out := map[string]bool{}
	for k, v := range m {
		if v == true {
			out[k] = true
		}
	}
	r.scriptSignals(l, out)
	return out
}

// scriptSignals sets the signals linkrisk.rego derives from a link's
// scripts for a message to r.dest.
func (r linkRisk) scriptSignals(l Link, out map[string]bool) {
	tld, ok := r.scripts[l.Risk.TLDCountry]
	if !ok {
		tld = []string{"Latin"}
	}
	for _, s := range l.Risk.Scripts {
		if s != "Latin" && !slices.Contains(r.scripts[r.dest], s) {
			out["foreign_script"] = true
		}
		if l.Risk.TLDCountry != "" && !slices.Contains(tld, s) {
			out["tld_script_mismatch"] = true
		}
	}
}

// score adds the weights of the link's true fields, as the Rego rule does
// (without first_seen, which Analyze never sets).
func (r linkRisk) score(t testing.TB, l Link) int {
	t.Helper()
	b, _ := json.Marshal(struct {
		Link
		Risk
	}{l, l.Risk})
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	signals := map[string]bool{}
	r.scriptSignals(l, signals)
	s := 0
	for k, w := range r.Weights {
		if m[k] == true || signals[k] {
			s += w
		}
	}
	return s
}

// flagged reports whether a global rule fires on the link by link facts
// alone: IDN_HOMOGRAPH, IP_LITERAL_URL or SUSPICIOUS_LINK at review or above.
func (r linkRisk) flagged(t testing.TB, l Link) bool {
	return l.HomographOf != "" || l.IPLiteral || r.score(t, l) >= r.Review
}

func TestSquats(t *testing.T) {
	a := newTestAnalyzer(t, "")
	r := loadLinkRisk(t)
	tests := []struct {
		name, body string
		flagged    bool
		check      func(Link) bool
		dest       string // "de" when empty
	}{
		{"typo doubled letter", "https://paypall.com/", true, func(l Link) bool { return l.Risk.Typosquat && l.Risk.BrandOf == "paypal.com" }, ""},
		{"combo brand lure lure", "https://paypal-secure-login.com", true, func(l Link) bool { return l.Risk.Combosquat && l.Risk.BrandOf == "paypal.com" }, ""},
		{"brand in subdomain", "http://login.paypal.com.secure-verify.co.uk/x", true, func(l Link) bool { return l.Risk.BrandInSubdomain && l.Domain == "secure-verify.co.uk" }, ""},
		{"dotless i", "https://appıe.com/", true, func(l Link) bool { return l.HomographOf == "apple.com" }, ""},
		{"capital I for l", "https://paypaI.com/signin", true, func(l Link) bool { return l.HomographOf == "paypal.com" }, ""},
		{"vv for w", "vvhatsapp.com/join", true, func(l Link) bool { return l.Risk.Typosquat && l.Risk.BrandOf == "whatsapp.com" }, ""},
		{"hyphenated brand", "https://emirates-nbd.com/", true, func(l Link) bool { return l.Risk.Combosquat && l.Risk.BrandOf == "emiratesnbd.com" }, ""},
		{"glued lure", "https://appleid-verify.top/", true, func(l Link) bool { return l.Risk.Combosquat && l.Risk.BrandOf == "apple.com" }, ""},
		{"transposition", "https://paypla.com/", true, func(l Link) bool { return l.Risk.Typosquat }, ""},
		{"brand in path on free hosting", "https://x8k2.weebly.com/paypal/login", true, func(l Link) bool { return l.Risk.BrandInPath && l.Risk.FreeHosting && l.Risk.CredentialPath }, ""},
		{"dynamic dns", "http://usps-track.duckdns.org/pay", true, func(l Link) bool { return l.Risk.DynamicDNS && l.Risk.Combosquat }, ""},

		{"brand glued to two lure words", "https://uspsdeliverycare.com/", true, func(l Link) bool { return l.Risk.Combosquat && l.Risk.BrandOf == "usps.com" }, ""},
		{"lure words only", "https://secure-account-verify.top/", true, func(l Link) bool { return l.Risk.LureWords && l.Risk.AbusedTLD }, ""},
		{"cyrillic look-alike of no brand", "https://арр.space/x", true, func(l Link) bool { return l.Risk.ASCIILookalike }, ""},
		{"latin diacritics under a gTLD", "https://ṁyetherwallet.com/", true, func(l Link) bool { return l.Risk.ASCIILookalike }, ""},
		{"letters with no ASCII prototype", "https://aməzon.com/", true, func(l Link) bool { return l.HomographOf == "amazon.com" }, ""},
		{"letters with no ASCII prototype 2", "https://faceƅooƙ.com/", true, func(l Link) bool { return l.HomographOf == "facebook.com" }, ""},
		{"small capital", "https://ɢmail.com/", true, func(l Link) bool { return l.HomographOf == "gmail.com" }, ""},
		{"diacritics under a ccTLD on a brand", "https://trezōr.eu/", true, func(l Link) bool { return l.HomographOf == "trezor.io" }, ""},
		{"hyphenated long brand misspelt", "https://american-expres.com/", true, func(l Link) bool { return l.Risk.Typosquat && l.Risk.BrandOf != "" }, ""},
		{"cyrillic name sent to germany", "https://пример.рф/", true, func(l Link) bool { return !l.Risk.ASCIILookalike }, "de"},
		{"cyrillic name under .de", "https://пример.de/", true, func(l Link) bool {
			return slices.Equal(l.Risk.Scripts, []string{"Cyrillic"}) && l.Risk.TLDCountry == "de"
		}, "ru"},

		{"domain spelled in the host, kit path, login", "http://shop.com.secure.example-host.com/wp-content/x/login.php", true, func(l Link) bool { return l.Risk.DeceptiveHost && l.Risk.KitPath && l.Risk.CredentialPath }, ""},
		{"tld glued to the registrable label", "http://ezdrive.com-bejh.xin/us", false, func(l Link) bool { return l.Risk.DeceptiveHost }, ""},
		{"kit token, odd port, redirect", "http://198-51-100-7.example.net:8081/0ebb145bdffd37c6947bd60c251df1ba/?next=http%3A%2F%2Fx.example", true, func(l Link) bool {
			return l.Risk.KitPath && l.Risk.NonStandardPort && l.Risk.RedirectPath
		}, ""},

		{"brand with digits beside a glued lure part", "https://www.2netflix-mybilling.com", true, func(l Link) bool { return l.Risk.Combosquat && l.Risk.BrandOf == "netflix.com" }, ""},
		{"brand beside a part with digits", "https://jf245-fedex.me/y", true, func(l Link) bool { return l.Risk.Combosquat && l.Risk.BrandOf == "fedex.com" }, ""},
		{"brand glued to card words", "http://nfcucardservices.org", true, func(l Link) bool { return l.Risk.Combosquat && l.Risk.BrandOf == "navyfederal.org" }, ""},
		{"random name under an abused legacy tld", "http://tmgcrg.info/x", true, func(l Link) bool { return l.Risk.RandomLabel && l.Risk.AbusedTLD }, ""},
		{"a brand of the data pass, combo-squatted", "https://costco-rewards.com/", true, func(l Link) bool { return l.Risk.Combosquat && l.Risk.BrandOf == "costco.com" }, ""},
		{"a brand in a subdomain of a deep-link look-alike", "https://paypal.onelink-me.top/p/vax", true, func(l Link) bool { return l.Risk.BrandInSubdomain }, ""},
		{"a brand of the data pass, in a subdomain", "https://navyfederal.secure-card.top/", true, func(l Link) bool { return l.Risk.BrandInSubdomain && l.Risk.BrandOf == "navyfederal.org" }, ""},

		// Ham twins.
		{"a brand family's domain", "https://www.krungthai-axa.co.th/th", false, func(l Link) bool { return !l.Risk.Combosquat }, ""},
		{"a gift card shop", "https://www.giftcards.com/", false, func(l Link) bool { return !l.Risk.LureWords && l.Risk.BrandOf == "" }, ""},
		{"a word part that is no lure", "https://www.netflix-tudum.com/", false, func(l Link) bool { return !l.Risk.Combosquat }, ""},
		{"acronym under an abused legacy tld", "http://kkpfg.info/x", false, func(l Link) bool { return !l.Risk.RandomLabel && l.Risk.AbusedTLD }, ""},
		{"a shortener's short name", "https://bit.ly/3xYz", false, func(l Link) bool { return !l.Risk.RandomLabel }, ""},
		{"real costco", "https://www.costco.com/rewards", false, func(l Link) bool { return l.Risk.BrandOf == "" }, ""},
		{"real navy federal", "https://www.navyfederal.org/card", false, func(l Link) bool { return l.Risk.BrandOf == "" }, ""},
		{"a brand's own deep-link subdomain", "https://paypal.onelink.me/p/vax", false, func(l Link) bool { return !l.Risk.BrandInSubdomain }, ""},
		{"nypost is no nz post", "https://nypost.com/", false, func(l Link) bool { return l.Risk.BrandOf == "" }, ""},
		{"linktree is no linkt", "https://linktr.ee/x", false, func(l Link) bool { return l.Risk.BrandOf == "" }, ""},
		{"second-level suffix is no deceptive host", "https://www.amazon.com.au/deals", false, func(l Link) bool { return !l.Risk.DeceptiveHost }, ""},
		{"mobile wikipedia", "https://en.m.wikipedia.org/wiki/Munich", false, func(l Link) bool { return !l.Risk.DeceptiveHost && !l.Risk.KitPath }, ""},
		{"a registrable name that starts with a tld word", "https://www.net-a-porter.com/en-de/", false, func(l Link) bool { return !l.Risk.DeceptiveHost }, ""},
		{"a first subdomain that starts with a tld word", "https://net-banking.examplebank.in/login", false, func(l Link) bool { return !l.Risk.DeceptiveHost }, ""},
		{"default port", "https://shop.example.com:443/cart", false, func(l Link) bool { return !l.Risk.NonStandardPort }, ""},
		{"a menu on a wordpress site", "https://www.corner-bakery.com/wp-content/uploads/menu.pdf", false, func(l Link) bool { return l.Risk.KitPath }, ""},
		{"a tracking redirect", "https://click.example.com/r?u=https%3A%2F%2Fshop.example.com", false, func(l Link) bool { return l.Risk.RedirectPath }, ""},
		{"a short order token", "https://shop.example.com/o/5f3a9c2e", false, func(l Link) bool { return !l.Risk.KitPath }, ""},
		{"cyrillic name sent to russia", "https://пример.рф/", false, func(l Link) bool { return !l.Risk.ASCIILookalike }, "ru"},
		{"thai name sent to thailand", "https://ตัวอย่าง.com/", false, func(l Link) bool { return slices.Equal(l.Risk.Scripts, []string{"Thai"}) }, "th"},
		{"native letter that is no brand's", "https://təzə.az/", false, func(l Link) bool { return l.HomographOf == "" && l.Risk.BrandOf == "" }, ""},
		{"german umlaut under .de", "https://bücher.de/", false, func(l Link) bool { return !l.Risk.ASCIILookalike }, ""},
		{"real paypal", "https://www.paypal.com/signin", false, func(l Link) bool { return l.Risk.BrandOf == "" }, ""},
		{"real paypal.me", "https://paypal.me/alice", false, func(l Link) bool { return l.Risk.BrandOf == "" }, ""},
		{"real apple", "https://apple.com/", false, func(l Link) bool { return l.HomographOf == "" }, ""},
		{"applebees", "https://applebees.com/", false, func(l Link) bool { return l.Risk.BrandOf == "" && l.HomographOf == "" }, ""},
		{"munich idn", "https://münchen.de/rathaus", false, func(l Link) bool { return l.HomographOf == "" && l.Risk.BrandOf == "" }, ""},
		{"real whatsapp", "https://whatsapp.com/", false, func(l Link) bool { return l.Risk.BrandOf == "" }, ""},
		{"real wa.me", "https://wa.me/971501234567", false, func(l Link) bool { return l.Risk.BrandOf == "" }, ""},
		{"real emirates nbd", "https://www.emiratesnbd.com/en", false, func(l Link) bool { return l.Risk.BrandOf == "" }, ""},
		{"capitals on the real brand", "https://PayPal.com/", false, func(l Link) bool { return l.HomographOf == "" }, ""},
		{"capital I in capitals is no look-alike", "https://PAYPAI.com/", true, func(l Link) bool { return l.HomographOf == "" && l.Risk.Typosquat }, ""},
		{"brand's other domain", "https://apple-dns.net/", false, func(l Link) bool { return l.Risk.BrandOf == "" }, ""},
		{"brand word in a news path", "https://www.bbc.co.uk/news/paypal-results", false, func(l Link) bool { return l.Risk.BrandInPath }, ""},
		{"ordinary shop", "https://corner-bakery.com/menu", false, func(l Link) bool { return l.Risk.BrandOf == "" }, ""},
		{"weak lure words", "https://my-online-help.com/", false, func(l Link) bool { return !l.Risk.LureWords }, ""},
		{"one lure word", "https://parcelshop.com/", false, func(l Link) bool { return !l.Risk.LureWords }, ""},
		{"brand word with a name", "https://uspstamps-collectors.org/", false, func(l Link) bool { return !l.Risk.Combosquat }, ""},
		{"word brand in subdomain", "https://live.bbc.co.uk/", false, func(l Link) bool { return !l.Risk.BrandInSubdomain }, ""},
		{"platform home page", "https://www.weebly.com/", false, func(l Link) bool { return !l.Risk.FreeHosting }, ""},
		{"brand's own service", "https://mail.google.com/", false, func(l Link) bool { return !l.Risk.FreeHosting }, ""},
		// A cloud platform serves businesses' applications under names it
		// assigns (data/app_hosting.txt): neither hosting nor the name's
		// shape is a signal there (a bank's or a carrier's notice link).
		// Twins: the same machine-made name registered or on a site
		// builder, a combo-squat on the platform; a lure label needs the
		// text's corroboration (global/suspicious-link-content).
		{"CDN customer ID", "https://d2x7kq9vb1c4mz.cloudfront.net/t/4471", false, func(l Link) bool {
			return !l.Risk.FreeHosting && !l.Risk.RandomLabel && !l.Risk.DigitHeavy
		}, ""},
		{"app hosting project ID", "https://clinic-booking-7f3a2.web.app/a/88213", false, func(l Link) bool {
			return !l.Risk.FreeHosting && !l.Risk.RandomLabel && !l.Risk.HyphenHeavy
		}, ""},
		{"app service host", "https://greenleaf-portal.azurewebsites.net/bill/88120", false, func(l Link) bool { return !l.Risk.FreeHosting }, ""},
		{"the CDN ID registered", "https://d2x7kq9vb1c4mz.com/t/4471", true, func(l Link) bool { return l.Risk.RandomLabel && l.Risk.DigitHeavy }, ""},
		{"the CDN ID on a site builder", "https://d2x7kq9vb1c4mz.pages.dev/t/4471", true, func(l Link) bool {
			return l.Risk.FreeHosting && !l.Risk.RandomLabel
		}, ""},
		{"combo-squat on app hosting", "https://paypal-login.web.app/", true, func(l Link) bool { return l.Risk.Combosquat }, ""},
		{"lure label on app hosting", "https://parcel-redelivery.web.app/u", false, func(l Link) bool { return l.Risk.LureWords }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls := a.Analyze(tt.body)
			if len(ls) != 1 {
				t.Fatalf("Analyze(%q) = %+v, want one link", tt.body, ls)
			}
			l, r := ls[0], r
			if tt.dest != "" {
				r.dest = tt.dest
			}
			if got := r.flagged(t, l); got != tt.flagged || !tt.check(l) {
				t.Errorf("Analyze(%q) = %+v (score %d), flagged %v, want flagged %v and the case's fields", tt.body, l, r.score(t, l), got, tt.flagged)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"paypal", "paypal", 0}, {"paypall", "paypal", 1}, {"paypla", "paypal", 1}, {"pypal", "paypal", 1},
		{"paypa", "paypal", 1}, {"applebees", "apple", 2}, {"microsfot", "microsoft", 1}, {"abc", "xyz", 2},
	} {
		if got := editDistance(tt.a, tt.b, 1); min(got, 2) != min(tt.want, 2) {
			t.Errorf("editDistance(%q, %q, 1) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestRandomLabel(t *testing.T) {
	for _, tt := range []struct {
		label string
		want  bool
	}{
		{"xkqzrtwp", true}, {"a8x3k9q2", true}, {"bcdfghjkl", true},
		{"wikipedia", false}, {"microsoft", false}, {"stackoverflow", false}, {"ups", false},
		{"schwarzkopf", false}, {"emiratesnbd", false},
		// Six letters or more with no a, e, i, o or u; twins: acronyms of
		// five letters, and six with a vowel or a digit.
		{"psjzzw", true}, {"tmgcrg", true}, {"brdcry", true},
		{"kkpfg", false}, {"fwdth", false}, {"tmgcra", false}, {"way2sms", false}, {"scbcx", false},
		// Five characters or more of consonants and digits, a digit between
		// letters; twins: four, a vowel, digits alone, a series number.
		{"c1t8s", true}, {"r7j2j", true}, {"gm55z", true}, {"m9s1", false}, {"fun5baht", false}, {"3bb", false}, {"12345", false},
		{"cdn90", false}, {"ttdns2", false},
		// A run of five consonants or more: where two words meet (a coda
		// and an onset, or an acronym and an onset at the start) it is a
		// compound name; twins: keyboard mashes and generated names (the
		// Thai train split's scam domains and Phishing.Database's).
		{"appsflyer", false}, {"northgrid", false}, {"sbcglobal", false}, {"mtgglobals", false},
		{"nflxvideo", false}, {"birthplace", false}, {"nightstand", false},
		{"thaidwxxqdonly", true}, {"rakutensdfmwklemf", true}, {"steamcommnmmunity", true},
		{"dskfjgfh8594", true}, {"iodoeamnnsc", true}, {"bbldcsupport", true},
		// Infrastructure abbreviations read as one syllable; twins: the same
		// abbreviation inside a mash, and a vowelless name without one.
		{"aliyuncsslbintl", false}, {"namebrightdns", false}, {"edgecastdns", false}, {"vecdnlb", false},
		{"trbcdn", false}, {"acdnkffjfk657", true}, {"jnrhsk", true},
	} {
		if got := randomLabel(tt.label); got != tt.want {
			t.Errorf("randomLabel(%q) = %v, want %v", tt.label, got, tt.want)
		}
	}
}

func TestParseBrands(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "policies", "global", "brands.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{Brands: mustBrands(t, b)}); err != nil {
		t.Errorf("New with policies/global/brands.json: %v", err)
	}
	if len(BuiltinBrands()) < 100 {
		t.Errorf("BuiltinBrands() has %d brands, want the embedded list", len(BuiltinBrands()))
	}
}

func mustBrands(t testing.TB, b []byte) []Brand {
	t.Helper()
	l, err := ParseBrands(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestVisualFold: what reads as another letter is replaced, and a label
// with nothing to replace comes back as it is (without the replacer).
func TestVisualFold(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"rn", "rnicrosoft", "microsoft"},
		{"vv", "vvhatsapp", "whatsapp"},
		{"cl", "clhl", "dhl"},
		{"digits", "paypa1-0n3-5", "paypal-one-s"},
		{"nothing", "example-shop", "example-shop"},
		{"letters of the pairs apart", "reverse-cloud", "reverse-doud"},
		{"r and v alone", "river", "river"},
		{"two is no letter", "web2", "web2"},
		{"empty", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := visualFold(c.in); got != c.want {
				t.Errorf("visualFold(%q) = %q, want %q", c.in, got, c.want)
			}
			if got, ref := visualFold(c.in), visualReplacer.Replace(c.in); got != ref {
				t.Errorf("visualFold(%q) = %q, the replacer gives %q", c.in, got, ref)
			}
		})
	}
}

// TestASCIISkeleton: the table path for ASCII gives what the general path
// gives, for named cases and for every string of one or two ASCII bytes.
func TestASCIISkeleton(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"unchanged", "secure-shop", "secure-shop"},
		{"m reads rn", "amazon.com", "arnazon.corn"},
		{"digits", "paypa1-0", "paypal-o"},
		{"capitals", "PayPal", "paypal"},
		{"capital I is lower-cased first", "PAYPAI", "paypai"},
		{"bar", "paypa|", "paypal"},
		{"empty", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := skeleton(c.in); got != c.want {
				t.Errorf("skeleton(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
	for a := range utf8.RuneSelf {
		for b := -1; b < utf8.RuneSelf; b++ {
			s := string(rune(a))
			if b >= 0 {
				s += string(rune(b))
			}
			if got, want := skeleton(s), generalSkeleton(s); got != want {
				t.Fatalf("skeleton(%q) = %q, the general path gives %q", s, got, want)
			}
		}
	}
}
