package mask

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"phone E.164", "+971501234567", "+97********67"},
		{"otp ascii", "Your code is 482913", "Your code is ******"},
		{"pin before a dot", "PIN 1234.", "PIN ****."},
		{"phone with separators", "call 050-123 4567 now", "call 05*-*** **67 now"},
		{"phone in parentheses", "(050) 123.4567", "(05*) ***.**67"},
		{"otp arabic-indic", "رمز التحقق ٤٨٢٩١٣", "رمز التحقق ******"},
		{"otp persian", "کد شما ۴۸۲۹۱۳ است", "کد شما ****** است"},
		{"otp fullwidth", "コード：４８２９１３", "コード：******"},
		{"otp devanagari", "आपका ओटीपी ४८२९ है", "आपका ओटीपी **** है"},
		{"otp bengali", "কোড ৪৮২৯১৩", "কোড ******"},
		{"otp thai", "รหัส ๔๘๒๙๑๓", "รหัส ******"},
		{"phone mixed scripts", "+٩٧١501234567", "+٩٧********67"},
		{"otp hidden by zero-width spaces", "4\u200b8\u200b2\u200b9", "*\u200b*\u200b*\u200b*"},
		{"email", "write to john.doe@example.com today", "write to j*******@example.com today"},
		{"email at sentence end", "mail a.b@bank.co.uk.", "mail a**@bank.co.uk."},
		{"email non-latin local part", "пишите иван@почта.рф", "пишите и***@почта.рф"},
		{"email with digits", "id 12345678@mail.com", "id 1*******@mail.com"},
		{"two emails", "a1@x.io, bob@y.io", "a*@x.io, b**@y.io"},
		// Ham twins: what is not a secret stays.
		{"short numbers", "3 items for 25 AED", "3 items for 25 AED"},
		{"short arabic-indic number", "٣ قطع", "٣ قطع"},
		{"sender id", "HDFCBK", "HDFCBK"},
		{"version", "v1.2.3", "v1.2.3"},
		{"empty", "", ""},
		{"handle, not an email", "follow @acme now", "follow @acme now"},
		{"no dot in domain", "user@localhost", "user@localhost"},
		{"one-character local part", "a@b.co", "a@b.co"},
		{"invalid utf-8 kept", "\xff1234\xfe", "\xff****\xfe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{
		"+971501234567", "code 482913", "3 items", "1 2 3 4 5 6 7 8 9", "(050) 123-4567",
		"٤٨٢٩١٣", "۴۸۲۹", "４８２９", "४८२९", "4\u200b8\u200b2\u200b9", "john.doe@example.com", "a@b@c.d", "\xff12345678",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		if Text(got) != got {
			t.Fatalf("Text not idempotent: Text(%q) = %q, Text of that = %q", s, got, Text(got))
		}
		if utf8.ValidString(s) && utf8.RuneCountInString(got) != utf8.RuneCountInString(s) {
			t.Fatalf("Text(%q) = %q changes the length in characters", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Text(%q) = %q is not valid UTF-8", s, got)
		}
		// No run of minRun digits survives.
		n := 0
		for _, r := range got {
			switch {
			case unicode.IsDigit(r):
				n++
				if n >= minRun {
					t.Fatalf("Text(%q) = %q keeps a run of %d digits", s, got, n)
				}
			case !isSeparator(r):
				n = 0
			}
		}
		// Text without digits or '@' is returned as it is.
		if !strings.ContainsFunc(s, unicode.IsDigit) && !strings.Contains(s, "@") && got != s {
			t.Fatalf("Text(%q) = %q changed text with nothing to mask", s, got)
		}
	})
}

func BenchmarkText(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"ascii-plain", "Noon White Friday: up to 70% off electronics, today only. Reply STOP to opt out."},
		{"ascii-otp", "Your ADCB verification code is 482913. Do not share it with anyone."},
		{"arabic-otp", "رمز التحقق الخاص بك هو ٤٨٢٩١٣. لا تشاركه مع أي شخص."},
		{"email", "Contact john.doe@example.com or +971501234567 for details."},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.in)))
			for b.Loop() {
				Text(bc.in)
			}
		})
	}
}
