package model_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// fixture is a tiny hand-written training set: every spam and fraud line
// has a ham twin on the same topic.
var fixture = []model.Example{
	{Text: "Your parcel is held. Pay the fee now at http://parcel-fee.top/x7 to release it", Class: model.Fraud},
	{Text: "Your parcel 7H23 will be delivered tomorrow between 9 and 13", Class: model.Ham},
	{Text: "URGENT your bank account is suspended, verify at bit.ly/3xYz now", Class: model.Fraud},
	{Text: "Your bank statement for March is ready in the app", Class: model.Ham},
	{Text: "WIN a FREE iPhone! Text WIN to 80082 now, £1.50/msg", Class: model.Spam},
	{Text: "Your phone bill of £21.50 is due on 3 May", Class: model.Ham},
	{Text: "Huge SALE 70% off everything this weekend only, reply STOP to opt out", Class: model.Spam},
	{Text: "Your order is confirmed, we will text you when it ships", Class: model.Ham},
}

func train(t testing.TB) *model.Model {
	t.Helper()
	m, err := model.Train(context.Background(), fixture, model.WithBits(12), model.WithEpochs(30))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func score(m *model.Model, s string) (model.Scores, *model.Features) {
	var f model.Features
	f.Extract(textnorm.Normalize(s))
	return m.Score(&f), &f
}

func TestTrainIsDeterministic(t *testing.T) {
	a, _ := train(t).MarshalBinary()
	rev := make([]model.Example, len(fixture))
	for i, e := range fixture {
		rev[len(fixture)-1-i] = e
	}
	m, err := model.Train(context.Background(), rev, model.WithBits(12), model.WithEpochs(30))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := m.MarshalBinary()
	if !bytes.Equal(a, b) {
		t.Fatal("same examples in another order gave a different model")
	}
}

func TestTrainNeedsBothSides(t *testing.T) {
	_, err := model.Train(context.Background(), fixture[1:2])
	if !errors.Is(err, model.ErrNoExamples) {
		t.Fatalf("Train(ham only) error = %v, want ErrNoExamples", err)
	}
}

func TestScoreSeparatesTwins(t *testing.T) {
	m := train(t)
	for _, tc := range []struct {
		name, body string
		fraud      bool
	}{
		{"fraud parcel fee", "Your parcel is on hold, pay the fee at http://parcel-fee.top/k2", true},
		{"ham parcel", "Your parcel will be delivered tomorrow", false},
		{"fraud obfuscated", "Your p@rcel is on h0ld, p a y the fee at http://parcel-fee.top/k2", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := score(m, tc.body)
			if got := s.Fraud > 0.5; got != tc.fraud {
				t.Errorf("Score(%q).Fraud = %.3f, want fraud=%v", tc.body, s.Fraud, tc.fraud)
			}
		})
	}
}

func TestTopNamesFeatures(t *testing.T) {
	m := train(t)
	_, f := score(m, "Your parcel is held, pay the fee at http://parcel-fee.top/k2")
	top := m.Top(model.Fraud, f)
	if len(top) == 0 {
		t.Fatal("Top(Fraud) is empty for a fraud body")
	}
	for i, e := range top {
		if e.Feature == "" || e.Feature == "unknown feature" || e.Weight <= 0 {
			t.Errorf("Top[%d] = %+v, want a named positive feature", i, e)
		}
		if i > 0 && e.Weight > top[i-1].Weight {
			t.Errorf("Top not sorted: %+v", top)
		}
	}
	if m.Top(model.Ham, f) != nil {
		t.Error("Top(Ham) should be nil")
	}
}

func TestParseRejects(t *testing.T) {
	good, _ := train(t).MarshalBinary()
	flip := bytes.Clone(good)
	flip[len(flip)/2] ^= 1
	version := bytes.Clone(good)
	version[8] = 9
	for _, tc := range []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, model.ErrCorrupt},
		{"not a model", []byte(strings.Repeat("x", 100)), model.ErrCorrupt},
		{"truncated", good[:len(good)-10], model.ErrCorrupt},
		{"bit flipped", flip, model.ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := model.Parse(tc.b); !errors.Is(err, tc.want) {
				t.Errorf("Parse = %v, want %v", err, tc.want)
			}
		})
	}
	var ve *model.VersionError
	if _, err := model.Parse(version); !errors.As(err, &ve) || ve.Format != 9 {
		t.Errorf("Parse(version 9) = %v, want *VersionError", err)
	}
	m, err := model.Load(bytes.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := m.MarshalBinary(); !bytes.Equal(again, good) {
		t.Error("Load then MarshalBinary changed the file")
	}
}

func TestDefaultLoads(t *testing.T) {
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Info(), "train split") {
		t.Errorf("Default().Info() = %q, want the training recipe", m.Info())
	}
}

func TestScoreDoesNotAllocate(t *testing.T) {
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{
		"Your Acme verification code is 482913. Do not share it with anyone. Call 0800 123 456 if this was not you, or visit https://acme.example/help",
		"รหัส OTP ของคุณคือ 482913 (Ref: KXQP) ห้ามบอกรหัสนี้กับผู้อื่น ยอดเงิน 5,000 บาท",
		"Cl\u200baim your pr\u200bize at bit\u200b.ly/x1 or call 0906\u200b1701461",
		"สล็อตเว็บตรง โบนัส 100% คลิก https://bit.ly/x 中奖 点击",
	} {
		var (
			tx textnorm.Text
			f  model.Features
		)
		tx.Reset(body)
		f.Extract(&tx)
		allocs := testing.AllocsPerRun(100, func() {
			tx.Reset(body)
			f.Extract(&tx)
			_ = m.Score(&f)
		})
		if allocs != 0 {
			t.Errorf("Extract+Score(%q) allocates %.1f times, want 0", body, allocs)
		}
	}
}

// TestWordsAsJoined checks what Extract relies on to avoid building the
// Joined form of clean ASCII text: with nothing deobfuscated, Joined is
// Words with every l written i. If textnorm changes that, the features of
// a clean and of an obfuscated body part ways, and this fails.
func TestWordsAsJoined(t *testing.T) {
	bodies := []string{
		"Your parcel will be delivered tomorrow, call 0800 123 4567",
		"Hello! Click http://bit.ly/x to claim your £1000 prize.",
		"Meeting at 10:30, bring the slides; all the best",
		"OK lol, see you at 7 then",
	}
	for _, e := range fixture {
		bodies = append(bodies, e.Text)
	}
	for _, b := range bodies {
		tx := textnorm.Normalize(b)
		if tx.Deobfuscated() {
			continue
		}
		want := strings.ReplaceAll(string(tx.Bytes(textnorm.Words)), "l", "i")
		if got := string(tx.Bytes(textnorm.Joined)); got != want {
			t.Errorf("Joined(%q) = %q, want Words with l as i %q", b, got, want)
		}
	}
}

// TestObfuscatedKeepsWords: a leetspeak or spaced-out body yields the words
// of its clean twin.
func TestObfuscatedKeepsWords(t *testing.T) {
	m := train(t)
	clean, _ := score(m, "Your parcel is on hold, pay the fee now")
	for _, body := range []string{
		"Y0ur p@rce1 is 0n h0ld, p4y the fee n0w",
		"Your p a r c e l is on hold, p.a.y the fee now",
	} {
		got, _ := score(m, body)
		if math.Abs(got.Fraud-clean.Fraud) > 0.2 {
			t.Errorf("Score(%q).Fraud = %.3f, clean twin %.3f", body, got.Fraud, clean.Fraud)
		}
	}
}

func TestBusinessHamParses(t *testing.T) {
	ex := model.BusinessHam()
	if len(ex) < 100 {
		t.Fatalf("BusinessHam() has %d examples, want the embedded set", len(ex))
	}
	for _, e := range ex {
		if e.Class != model.Ham || e.Text == "" {
			t.Errorf("BusinessHam() holds %+v, want non-empty ham", e)
		}
	}
}

func TestTopShowsMaskedDigits(t *testing.T) {
	// A short code in every spam line and in no ham line: its masked word is
	// the strongest spam feature.
	ex := []model.Example{
		{Text: "text 80082", Class: model.Spam}, {Text: "send 69911", Class: model.Spam},
		{Text: "reply 87121", Class: model.Spam}, {Text: "text me later", Class: model.Ham},
		{Text: "send the file", Class: model.Ham}, {Text: "reply when free", Class: model.Ham},
	}
	m, err := model.Train(context.Background(), ex, model.WithBits(12), model.WithEpochs(30))
	if err != nil {
		t.Fatal(err)
	}
	_, f := score(m, "call 55123")
	top := m.Top(model.Spam, f)
	found := false
	for _, e := range top {
		found = found || e.Feature == `word "<4-6 digits>"`
		if strings.Contains(e.Feature, "55123") {
			t.Errorf("Top(Spam) shows the digits themselves: %q", e.Feature)
		}
	}
	if !found {
		t.Errorf("Top(Spam) of a short code = %+v, want word \"<4-6 digits>\" among them", top)
	}
}

// TestTopMasksDigitsOfCharacters: a character n-gram is named with the
// original text it came from, digits masked as in the n-gram, so that two
// bodies differing in digits get the same evidence (filter's template
// cache relies on it).
func TestTopMasksDigitsOfCharacters(t *testing.T) {
	ex := []model.Example{
		// One token each (no spaces): only the characters around the
		// amount are shared. Digits that leetspeak does not read as
		// letters (7 is t, 5 is s).
		{Text: "โอนเงิน262บาท", Class: model.Spam}, {Text: "ได้รับ626บาทฟรี", Class: model.Spam},
		{Text: "แจก226บาทเลย", Class: model.Spam}, {Text: "สวัสดีครับ", Class: model.Ham},
		{Text: "ขอบคุณครับ", Class: model.Ham}, {Text: "ไปไหนมา", Class: model.Ham},
	}
	m, err := model.Train(context.Background(), ex, model.WithBits(12), model.WithEpochs(30))
	if err != nil {
		t.Fatal(err)
	}
	_, f := score(m, "รับโบนัส662บาทวันนี้")
	top := m.Top(model.Spam, f)
	chars := false
	for _, e := range top {
		chars = chars || strings.HasPrefix(e.Feature, "characters")
		if strings.Contains(e.Feature, "662") {
			t.Errorf("Top(Spam) shows the digits themselves: %q", e.Feature)
		}
	}
	if !chars {
		t.Errorf("Top(Spam) = %+v, want a character n-gram among them", top)
	}
}
