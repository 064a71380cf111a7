package campaign

import (
	"fmt"
	"strings"
	"testing"
)

func shareBand(a, b Fingerprint) bool {
	ka, kb := a.Bands(), b.Bands()
	for _, x := range ka {
		for _, y := range kb {
			if x == y {
				return true
			}
		}
	}
	return false
}

const lure = "Dear customer your parcel could not be delivered because the address was incomplete please confirm your details and pay the small redelivery fee today"

func TestSameCampaign(t *testing.T) {
	base := Of(lure)
	tests := []struct{ name, body string }{
		{"identical", lure},
		{"case", strings.ToUpper(lure)},
		{"spacing", strings.ReplaceAll(lure, " ", "   ")},
		{"one word changed", strings.Replace(lure, "parcel", "package", 1)},
		{"one word added", strings.Replace(lure, "small", "small one-time", 1)},
		{"one word removed", strings.Replace(lure, "small ", "", 1)},
		{"codes and amounts rotated", lure + " ref 88231 amount 1.99"},
		{"links rotated", "Visit https://a1.example/x " + lure},
	}
	twin := Of("Visit https://zz9.example/y " + lure)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Of(tt.body)
			if !shareBand(base, got) && !(tt.name == "links rotated" && shareBand(twin, got)) {
				t.Errorf("Of(%q) shares no band with the campaign (similarity %.2f)", tt.body, base.Similarity(got))
			}
		})
	}
	if Of("code 123456 at https://a.example/x").Bands() != Of("code 998877 at https://b.example/z").Bands() {
		t.Errorf("rotating the code and the link changed the fingerprint")
	}
}

// Ham twins: different messages, including ones that share phrases with the
// lure, must not fall into its campaign.
func TestDifferentMessages(t *testing.T) {
	base := Of(lure)
	for _, body := range []string{
		"Your parcel was delivered today at 10:32, thank you for shopping with us",
		"Hi mum, I lost my phone, this is my new number, can you send me money for the taxi",
		"Your OTP is 482913. Do not share it with anyone.",
		"Meeting moved to Thursday afternoon, see you at the office",
		"Dear customer your salary has been credited to your account",
	} {
		if got := Of(body); shareBand(base, got) {
			t.Errorf("Of(%q) shares a band with an unrelated campaign (similarity %.2f)", body, base.Similarity(got))
		}
	}
}

// A campaign of 50 messages, each with one word replaced (a different word
// each time), must stay matchable: every message shares a band with the
// first.
func TestCampaignOneWordPerMessage(t *testing.T) {
	words := strings.Fields(lure)
	first := Of(lure)
	missed := 0
	for i := range 50 {
		w := append([]string(nil), words...)
		w[i%len(w)] = fmt.Sprintf("variant%c", 'a'+rune(i%26))
		if !shareBand(first, Of(strings.Join(w, " "))) {
			missed++
		}
	}
	if missed > 0 {
		t.Errorf("%d of 50 one-word variants share no band with the first message", missed)
	}
}

func TestNoSpaceScripts(t *testing.T) {
	a := Of("คุณได้รับรางวัลเงินสดกรุณากดลิงก์เพื่อยืนยันตัวตนภายในวันนี้")
	b := Of("คุณได้รับรางวัลเงินสดกรุณากดลิงก์เพื่อยืนยันตัวตนภายในพรุ่งนี้")
	c := Of("ขอบคุณที่ใช้บริการธนาคารของเรา ยอดเงินคงเหลือของท่านคือ")
	if !shareBand(a, b) {
		t.Errorf("Thai near-duplicates share no band (similarity %.2f)", a.Similarity(b))
	}
	if shareBand(a, c) {
		t.Errorf("unrelated Thai messages share a band")
	}
}

func TestEmpty(t *testing.T) {
	for _, s := range []string{"", "   ", "!!! ..."} {
		if f := Of(s); !f.Empty() || f.Bands() != [Bands]uint64{} {
			t.Errorf("Of(%q) = %+v, want empty", s, f)
		}
	}
	if f := Of("hi"); f.Empty() || f.Bands()[0] == 0 {
		t.Errorf("Of(\"hi\") is empty, want one shingle")
	}
}

func BenchmarkOf(b *testing.B) {
	for _, c := range []struct{ name, body string }{
		{"160B", "Dear customer, your parcel is on hold. Pay the 1.99 fee at https://dhl-parcel-fee.example.com/track?id=88231 within 24 hours or it is returned."},
		{"thai", "คุณได้รับรางวัลเงินสดกรุณากดลิงก์เพื่อยืนยันตัวตนภายในวันนี้"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				Of(c.body).Bands()
			}
		})
	}
}

func FuzzOf(f *testing.F) {
	f.Add(lure)
	f.Add("คุณได้รับ https://x.y/z 123")
	f.Add("\xff\xfe a.b")
	f.Fuzz(func(t *testing.T, s string) {
		a, b := Of(s), Of(s)
		if a != b {
			t.Fatalf("Of(%q) is not deterministic", s)
		}
		if a.Empty() != (a.Bands() == [Bands]uint64{}) {
			t.Fatalf("Of(%q): Empty and Bands disagree", s)
		}
		if sim := a.Similarity(b); !a.Empty() && sim != 1 {
			t.Fatalf("Of(%q).Similarity(itself) = %v", s, sim)
		}
	})
}
