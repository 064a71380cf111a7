package model_test

import (
	"math"
	"testing"

	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// FuzzScore: any body scores without panicking, to probabilities in [0, 1]
// that sum to at most 1, the same twice, and its top features have names.
func FuzzScore(f *testing.F) {
	for _, s := range []string{
		"", "a", "0", "http://", ".com", "*123#", "£", "₹5", "a.b.c.d", "1.2.3.4/x",
		"Your code is 1234", "ค่าสมัคร 642.00 บาท http://pay.example.co.th/p/1",
		"WIN £1000 CALL 09061701461", "\xff\xfe\x00", "v.o.t.e n.o.w", "a@b.c",
		"สล็อต คลิก bit.ly/x", "中奖点击", "\xe0\xb8", "Срочно заблокирована",
	} {
		f.Add(s)
	}
	m, err := model.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var ft model.Features
		ft.Extract(textnorm.Normalize(body))
		s := m.Score(&ft)
		if math.IsNaN(s.Spam) || math.IsNaN(s.Fraud) || s.Spam < 0 || s.Fraud < 0 || s.Spam+s.Fraud > 1+1e-9 {
			t.Fatalf("Score(%q) = %+v", body, s)
		}
		if again := m.Score(&ft); again != s {
			t.Fatalf("Score(%q) twice: %+v then %+v", body, s, again)
		}
		for _, c := range []model.Class{model.Spam, model.Fraud} {
			for _, e := range m.Top(c, &ft) {
				if e.Feature == "" || e.Feature == "unknown feature" {
					t.Fatalf("Top(%v) of %q has an unnamed feature %+v", c, body, e)
				}
			}
		}
	})
}

// FuzzParse: no byte string makes Parse panic, and what it accepts it
// writes back unchanged.
func FuzzParse(f *testing.F) {
	m, err := model.Train(f.Context(), fixture, model.WithBits(4), model.WithEpochs(1))
	if err != nil {
		f.Fatal(err)
	}
	good, _ := m.MarshalBinary()
	f.Add(good)
	f.Add([]byte("msgfmodl"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := model.Parse(b)
		if err != nil {
			return
		}
		out, _ := m.MarshalBinary()
		if string(out) != string(b) {
			t.Fatal("Parse then MarshalBinary changed an accepted file")
		}
	})
}
