package model_test

import (
	"slices"
	"testing"

	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// TestNumberShapes: references, masked accounts and amounts are told from
// phone numbers and e-mail addresses, and premium prices and codes from
// dates and fractions; every shape has a twin without it.
func TestNumberShapes(t *testing.T) {
	cases := []struct {
		name, body  string
		has, hasNot []string
	}{
		{"time after @ is no e-mail", "Balance 2,244.35 on 12/09/19@18:05", []string{"amount with decimals"}, []string{"e-mail address"}},
		{"e-mail address", "Write to help@northbank.com for a copy", []string{"e-mail address"}, nil},
		{"e-mail on a numeric host", "Mail a.b@163.com", []string{"e-mail address"}, nil},
		{"long reference is no phone", "Transaction 50009189009560 done", []string{"number of 14+ digits"}, []string{"phone number"}},
		{"phone number", "Call 09061701461 now", []string{"phone number"}, []string{"number of 14+ digits"}},
		{"international phone with +", "Call +441234567890123", []string{"phone number"}, []string{"number of 14+ digits"}},
		{"masked account", "Debit from A/c XX3784 today", []string{"masked account number"}, nil},
		{"masked card", "Card ****1234 was charged", []string{"masked account number"}, []string{"star code"}},
		{"one x and four digits", "account x9945.", []string{"masked account number"}, nil},
		{"kisses are no mask", "see you xxx 1234", nil, []string{"masked account number"}},
		{"date is no amount", "Due 12.09.19", nil, []string{"amount with decimals"}},
		{"pence per message", "18+ 150p/msg", []string{"price per unit"}, nil},
		{"pounds per week", "only £1.50/wk", []string{"price per unit", "amount with decimals"}, nil},
		{"baht per minute", "กด*12378 (5บ/น)", []string{"price per unit", "star code"}, nil},
		{"price per word", "08700621170150p per msg", []string{"price per unit"}, nil},
		{"fraction is no price", "RECPT 1/3. Your order", nil, []string{"price per unit"}},
		{"date is no price", "on 12/09/19 at noon", nil, []string{"price per unit"}},
		{"open all hours is no price", "open 24/7", nil, []string{"price per unit"}},
		{"USSD code", "balance: dial *121#", []string{"USSD code"}, []string{"star code"}},
		{"mistyped USSD code", "สมัครกด *788*5578% รับสิทธิ์", []string{"USSD code"}, []string{"star code"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var (
				tx textnorm.Text
				f  model.Features
			)
			tx.Reset(c.body)
			f.Extract(&tx)
			got := f.ShapeNames()
			for _, s := range c.has {
				if !slices.Contains(got, s) {
					t.Errorf("%q: no %q among %q", c.body, s, got)
				}
			}
			for _, s := range c.hasNot {
				if slices.Contains(got, s) {
					t.Errorf("%q: %q among %q", c.body, s, got)
				}
			}
		})
	}
}

// TestIsMoneyWord: the currency codes the feature counts, and every other
// token of up to three letters, digits or spaces (the old list's lengths and
// their neighbours) is not one.
func TestIsMoneyWord(t *testing.T) {
	codes := []string{"rs", "inr", "usd", "gbp", "eur", "rm", "php", "idr", "rp", "aed", "thb", "sgd", "myr"}
	alphabet := "abcdefghijklmnopqrstuvwxyz0 "
	var tokens []string
	for _, a := range alphabet {
		tokens = append(tokens, string(a))
		for _, b := range alphabet {
			tokens = append(tokens, string(a)+string(b))
			for _, c := range alphabet {
				tokens = append(tokens, string(a)+string(b)+string(c))
			}
		}
	}
	tokens = append(tokens, "", "usdt", "rupees", "RS", "Usd")
	found := 0
	for _, tok := range tokens {
		want := slices.Contains(codes, tok)
		if got := model.IsMoneyWord([]byte(tok)); got != want {
			t.Errorf("IsMoneyWord(%q) = %v, want %v", tok, got, want)
		}
		if want {
			found++
		}
	}
	if found != len(codes) {
		t.Errorf("%d of the %d codes were among the tokens", found, len(codes))
	}
}
