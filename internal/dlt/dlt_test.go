package dlt

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

func registry(t testing.TB, ts ...Template) *Registry {
	t.Helper()
	r, err := Compile(ts)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return r
}

var bank = []Template{
	{Header: "HDFCBK", ID: "1107160000000000001", Category: CategoryTransactional,
		Text: "Rs {#var#} debited from a/c XX{#var#} on {#var#}. Not you? Call 18002586161 - HDFC Bank"},
	{Header: "HDFCBK", ID: "1107160000000000002", Category: CategoryServiceImplicit,
		Text: "{#var#} is your OTP for txn of Rs {#var#}. Valid for 5 mins. Do not share it with anyone - HDFC Bank"},
	{Header: "HDFCBK", ID: "1107160000000000003", Category: CategoryServiceExplicit,
		Text: "Dear {#var#}, your card ending {#var#} is ready. Track at {#var#}{#var#} - HDFC Bank"},
	{Header: "SHOPCO", ID: "1107160000000000004", Category: CategoryPromotional,
		Text: "Flat 20% off on {#var#}. Shop now at https://shop.co/s - ShopCo"},
}

func TestMatch(t *testing.T) {
	r := registry(t, bank...)
	tests := []struct {
		name, header, body, want string // want: template id, "" for no match
	}{
		{"debit alert filled in", "HDFCBK", "Rs 1,500.00 debited from a/c XX1234 on 12-03-26. Not you? Call 18002586161 - HDFC Bank", "1107160000000000001"},
		{"otp filled in", "HDFCBK", "482913 is your OTP for txn of Rs 2,000. Valid for 5 mins. Do not share it with anyone - HDFC Bank", "1107160000000000002"},
		{"white space differs", "HDFCBK", "  482913 is your OTP for txn of Rs 2,000.\nValid for 5 mins.  Do not share it with anyone - HDFC Bank ", "1107160000000000002"},
		{"empty variable", "HDFCBK", "Rs 5 debited from a/c XX on . Not you? Call 18002586161 - HDFC Bank", "1107160000000000001"},
		{"adjacent placeholders take 60", "HDFCBK", "Dear Asha, your card ending 4321 is ready. Track at https://hdfcbank.com/track/0123456789012345678901234567 - HDFC Bank", "1107160000000000003"},
		{"promotional filled in", "SHOPCO", "Flat 20% off on shoes and bags. Shop now at https://shop.co/s - ShopCo", "1107160000000000004"},
		{"unicode variable counted in characters", "SHOPCO", "Flat 20% off on " + strings.Repeat("जूते", 7) + ". Shop now at https://shop.co/s - ShopCo", "1107160000000000004"},

		{"extra link appended", "HDFCBK", "Rs 1,500.00 debited from a/c XX1234 on 12-03-26. Not you? Call 18002586161 - HDFC Bank http://bit.ly/x", ""},
		{"extra sentence appended", "SHOPCO", "Flat 20% off on shoes. Shop now at https://shop.co/s - ShopCo. Win a free iPhone today!", ""},
		{"fixed text changed", "HDFCBK", "Rs 1,500.00 debited from a/c XX1234 on 12-03-26. Not you? Call 18001234567 - HDFC Bank", ""},
		{"variable longer than 30", "SHOPCO", "Flat 20% off on " + strings.Repeat("x", 31) + ". Shop now at https://shop.co/s - ShopCo", ""},
		{"unicode variable of 31 characters", "SHOPCO", "Flat 20% off on " + strings.Repeat("ज", 31) + ". Shop now at https://shop.co/s - ShopCo", ""},
		{"case differs", "SHOPCO", "FLAT 20% OFF ON shoes. SHOP NOW AT https://shop.co/s - ShopCo", ""},
		{"another header's template", "SHOPCO", "482913 is your OTP for txn of Rs 2,000. Valid for 5 mins. Do not share it with anyone - HDFC Bank", ""},
		{"unknown header", "ABCDEF", "Flat 20% off on shoes. Shop now at https://shop.co/s - ShopCo", ""},
		{"empty body", "SHOPCO", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := r.Match(tt.header, tt.body)
			if !ok {
				got.ID = ""
			}
			if got.ID != tt.want {
				t.Errorf("Match(%q, %q) = %q, want %q", tt.header, tt.body, got.ID, tt.want)
			}
		})
	}
}

func TestHeader(t *testing.T) {
	for in, want := range map[string]string{
		"HDFCBK": "HDFCBK", "vm-hdfcbk": "HDFCBK", "VM-HDFCBK-S": "HDFCBK", "HDFCBK-T": "HDFCBK",
		"AD-HDFCBK": "HDFCBK", "HDFCBK-X": "HDFCBK-X", "567890": "567890", "JD-567890-P": "567890",
	} {
		if got := Header(in); got != want {
			t.Errorf("Header(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	ok := Template{Header: "SHOPCO", ID: "1", Category: CategoryPromotional, Text: "Hello {#var#}"}
	tests := []struct {
		name string
		ts   []Template
		want error
	}{
		{"no header", []Template{{ID: "1", Category: CategoryPromotional, Text: "x"}}, ErrNoHeader},
		{"no id", []Template{{Header: "SHOPCO", Category: CategoryPromotional, Text: "x"}}, ErrNoID},
		{"duplicate id", []Template{ok, ok}, ErrDuplicateID},
		{"unknown category", []Template{{Header: "SHOPCO", ID: "1", Category: "marketing", Text: "x"}}, ErrCategory},
		{"only placeholders", []Template{{Header: "SHOPCO", ID: "1", Category: CategoryPromotional, Text: " {#var#} {#var#} "}}, ErrEmpty},
		{"unknown placeholder", []Template{{Header: "SHOPCO", ID: "1", Category: CategoryPromotional, Text: "Hi {#name#}"}}, ErrPlaceholder},
		{"unclosed placeholder", []Template{{Header: "SHOPCO", ID: "1", Category: CategoryPromotional, Text: "Hi {#var"}}, ErrPlaceholder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(tt.ts)
			var te *TemplateError
			if !errors.Is(err, tt.want) || !errors.As(err, &te) {
				t.Errorf("Compile = %v, want a *TemplateError wrapping %v", err, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	ts, err := Parse(strings.NewReader(`{"header": "VM-SHOPCO", "id": "11", "category": "promotional", "text": "Sale on {#var#}"}
{"header": "VM-SHOPCO", "id": "12", "category": "promotional", "text": "New in: {#var#}"}
`))
	if err != nil {
		t.Fatal(err)
	}
	r := registry(t, ts...)
	if !r.HasHeader("SHOPCO") || r.Len() != 2 {
		t.Fatalf("registry has SHOPCO %v, len %d", r.HasHeader("SHOPCO"), r.Len())
	}
	if _, ok := r.Match("SHOPCO", "Sale on shoes"); !ok {
		t.Error("Match(Sale on shoes) = false, want true")
	}
	for _, bad := range []string{
		`{"header": "X", "template": "y"}`,          // an unknown field
		`[{"header": "X", "id": "1", "text": "y"}]`, // an array (OPA would mount it as data)
		`{"header": "X", "id": "1", "text": "y"`,    // truncated
	} {
		if _, err := Parse(strings.NewReader(bad)); err == nil {
			t.Errorf("Parse(%s) accepted it", bad)
		}
	}
}

func TestZeroRegistryMatchesNothing(t *testing.T) {
	var r Registry
	if _, ok := r.Match("SHOPCO", "anything"); ok {
		t.Error("zero Registry matched")
	}
}

// Placeholders that could split a body in many ways must not take
// exponential time: the memo bounds the walk.
func TestMatchBacktrackingIsBounded(t *testing.T) {
	text := strings.Repeat("a{#var#}", 12) + "b"
	r := registry(t, Template{Header: "SHOPCO", ID: "1", Category: CategoryPromotional, Text: text})
	body := strings.Repeat("a", 200)
	if _, ok := r.Match("SHOPCO", body); ok {
		t.Error("matched a body without the final b")
	}
	if _, ok := r.Match("SHOPCO", strings.Repeat("a", 40)+"b"); !ok {
		t.Error("did not match a body that fits")
	}
}

// thousand builds one header's 1,000 templates in the shape banks and
// retailers register: shared openings, placeholders in the middle.
func thousand() []Template {
	ts := make([]Template, 0, 1000)
	for i := range 1000 {
		ts = append(ts, Template{Header: "HDFCBK", ID: fmt.Sprintf("11071600000%08d", i), Category: CategoryTransactional,
			Text: fmt.Sprintf("Dear Customer, Rs {#var#} has been debited from your account XX{#var#} towards %s ref %d on {#var#}. Not you? Call 1800-258-6161 - HDFC Bank",
				[]string{"UPI", "NEFT", "IMPS", "card", "EMI"}[i%5], i)})
	}
	return ts
}

func BenchmarkMatch(b *testing.B) {
	r := registry(b, thousand()...)
	cases := map[string]string{
		"fits":    "Dear Customer, Rs 1,500.00 has been debited from your account XX1234 towards IMPS ref 777 on 12-03-2026. Not you? Call 1800-258-6161 - HDFC Bank",
		"no_fit":  "Dear Customer, Rs 1,500.00 has been debited from your account XX1234 towards IMPS ref 777 on 12-03-2026. Not you? Call 1800-258-6161 - HDFC Bank http://bit.ly/x",
		"foreign": "Congratulations! You have won Rs 50,000 in the lucky draw. Claim now at http://bit.ly/x",
	}
	for name, body := range cases {
		b.Run("1000/"+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				r.Match("HDFCBK", body)
			}
		})
	}
}

func FuzzMatch(f *testing.F) {
	r := registry(f, bank...)
	f.Add("HDFCBK", "Rs 1 debited from a/c XX1 on 1. Not you? Call 18002586161 - HDFC Bank")
	f.Add("SHOPCO", "Flat 20% off on {#var#}. Shop now at https://shop.co/s - ShopCo")
	f.Fuzz(func(t *testing.T, header, body string) {
		tm, ok := r.Match(header, body)
		if ok && tm.Header != header {
			t.Errorf("Match(%q) returned header %q", header, tm.Header)
		}
	})
}

// TRAI's variable tagging (Airtel DLT, from 15 January 2026): a typed
// placeholder admits only its kind of value.
func TestMatchTypedPlaceholders(t *testing.T) {
	r := registry(t,
		Template{Header: "HDFCBK", ID: "otp", Category: CategoryServiceImplicit, Text: "{#numeric#} is your OTP for Rs {#numeric#} - HDFC Bank"},
		Template{Header: "HDFCBK", ID: "track", Category: CategoryServiceExplicit, Text: "Ticket {#alphanumeric#} updated. Track at {#url#} or call {#cbn#} - HDFC Bank"},
		Template{Header: "HDFCBK", ID: "mail", Category: CategoryTransactional, Text: "Statement sent to {#email#} - HDFC Bank"},
	)
	tests := []struct {
		name, body, want string
	}{
		{"numeric values", "482913 is your OTP for Rs 1,500.00 - HDFC Bank", "otp"},
		{"words in a numeric placeholder", "482913 is your OTP for Rs FREE GIFT - HDFC Bank", ""},
		{"empty numeric placeholder", " is your OTP for Rs 10 - HDFC Bank", ""},
		{"typed values", "Ticket CR-2026/0042 updated. Track at https://hdfc.bank.in/t/42 or call +91-22-61606161 - HDFC Bank", "track"},
		{"a sentence in an alphanumeric placeholder", "Ticket 42 click here updated. Track at https://hdfc.bank.in/t/42 or call 1800 - HDFC Bank", ""},
		{"a link placeholder without a link", "Ticket 42 updated. Track at nowhere or call 1800 - HDFC Bank", ""},
		{"a call-back number with letters", "Ticket 42 updated. Track at https://hdfc.bank.in/t/42 or call WINNER - HDFC Bank", ""},
		{"email", "Statement sent to a.sharma@example.in - HDFC Bank", "mail"},
		{"not an email", "Statement sent to a.sharma - HDFC Bank", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := r.Match("HDFCBK", tt.body)
			if !ok {
				got.ID = ""
			}
			if got.ID != tt.want {
				t.Errorf("Match(%q) = %q, want %q", tt.body, got.ID, tt.want)
			}
		})
	}
}

// The DLT portals write placeholders in lower case: {#VAR#} is not one.
func TestCompileUpperCasePlaceholder(t *testing.T) {
	_, err := Compile([]Template{{Header: "SHOPCO", ID: "1", Category: CategoryPromotional, Text: "Hi {#VAR#}"}})
	if !errors.Is(err, ErrPlaceholder) {
		t.Errorf("Compile({#VAR#}) = %v, want ErrPlaceholder", err)
	}
}

// The example registry shipped with the India pack compiles and decides the
// pending golden cases as they expect.
func TestShippedExampleRegistry(t *testing.T) {
	f, err := os.Open("../../policies/countries/in/dlt_templates.jsonl.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ts, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	r := registry(t, ts...)
	for body, want := range map[string]bool{
		"Rs 1,500.00 debited from a/c XX1234 on 10-03-26. Not you? Call 18002586161 - HDFC Bank":                 true,
		"Rs 1,500.00 debited from a/c XX1234 on 10-03-26. Not you? Call 18002586161 - HDFC Bank http://bit.ly/x": false,
		"482913 is your OTP for txn of Rs FREE GIFT. Valid for 5 mins. Do not share it with anyone - HDFC Bank":  false,
		"482913 is your OTP for txn of Rs 2,000. Valid for 5 mins. Do not share it with anyone - HDFC Bank":      true,
	} {
		if _, ok := r.Match(Header("VM-HDFCBK-T"), body); ok != want {
			t.Errorf("Match(HDFCBK, %q) = %v, want %v", body, ok, want)
		}
	}
}
