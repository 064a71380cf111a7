package corpus

import (
	"errors"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// The fixtures below are written for these tests, in each corpus's format;
// no corpus text is copied into the repository.

func TestReaders(t *testing.T) {
	tests := []struct {
		name string
		read func(string) ([]Message, error)
		in   string
		want []Message
	}{
		{
			"uci repeats kept once, CRLF and tabs in text",
			func(s string) ([]Message, error) { return ReadUCI(strings.NewReader(s)) },
			"ham\tSee you at 5\r\nspam\tYou won a prize\tcall now\nham\tSee you at 5\n\n",
			[]Message{{"ham", "See you at 5"}, {"spam", "You won a prize\tcall now"}},
		},
		{
			"thai file",
			func(s string) ([]Message, error) { return ReadThaiLines(strings.NewReader(s)) },
			"OTP|รหัส 123456 | ref AB\nOK|ส่งของแล้ว\nscam|คลิก bit.ly/x\nOTP|รหัส 123456 | ref AB\n",
			[]Message{{"OTP", "รหัส 123456 | ref AB"}, {"OK", "ส่งของแล้ว"}, {"scam", "คลิก bit.ly/x"}},
		},
		{
			"persian quoted multi-line records (CRLF read as LF) and trailing columns",
			func(s string) ([]Message, error) { return ReadPersian(strings.NewReader(s)) },
			"\"واریز ۱۰۰\r\nمانده ۲۰۰\"\t\t\t\r\nکد تایید: ۱۲۳۴\t\t\t\r\n",
			[]Message{{Unlabelled, "واریز ۱۰۰\nمانده ۲۰۰"}, {Unlabelled, "کد تایید: ۱۲۳۴"}},
		},
		{
			"indonesian labels named",
			func(s string) ([]Message, error) { return ReadIndonesian(strings.NewReader(s)) },
			"Teks,label\n\"Halo, apa kabar\",0\nSelamat anda menang,1\nPromo kuota 2GB,2\n",
			[]Message{{"normal", "Halo, apa kabar"}, {"fraud", "Selamat anda menang"}, {"promo", "Promo kuota 2GB"}},
		},
		{
			"mendeley labels lower-cased, quoted newlines",
			func(s string) ([]Message, error) { return ReadMendeley(strings.NewReader(s)) },
			"LABEL,TEXT,URL,EMAIL,PHONE\nham,Lunch?,No,No,No\nSmishing,\"Your KYC\nexpired\",yes,No,No\nSpam,Free ringtone,No,No,yes\n",
			[]Message{{"ham", "Lunch?"}, {"smishing", "Your KYC\nexpired"}, {"spam", "Free ringtone"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.read(tc.in)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("read(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestReadersRejectMalformed(t *testing.T) {
	tests := []struct {
		name string
		read func(string) ([]Message, error)
		in   string
	}{
		{"uci unknown label", func(s string) ([]Message, error) { return ReadUCI(strings.NewReader(s)) }, "eggs\tnot a label\n"},
		{"uci no tab", func(s string) ([]Message, error) { return ReadUCI(strings.NewReader(s)) }, "ham no tab\n"},
		{"thai unknown label", func(s string) ([]Message, error) { return ReadThaiLines(strings.NewReader(s)) }, "PROMO|x\n"},
		{"indonesian label 3", func(s string) ([]Message, error) { return ReadIndonesian(strings.NewReader(s)) }, "Teks,label\nx,3\n"},
		{"indonesian wrong header", func(s string) ([]Message, error) { return ReadIndonesian(strings.NewReader(s)) }, "text,label\nx,0\n"},
		{"mendeley unknown label", func(s string) ([]Message, error) { return ReadMendeley(strings.NewReader(s)) }, "LABEL,TEXT\nphish,x\n"},
		{"mendeley short record", func(s string) ([]Message, error) { return ReadMendeley(strings.NewReader(s)) }, "LABEL,TEXT\nham\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.read(tc.in)
			if !errors.Is(err, ErrFormat) {
				t.Errorf("read(%q) = %q, %v; want an error wrapping ErrFormat", tc.in, got, err)
			}
		})
	}
}

func TestReadThaiDirectory(t *testing.T) {
	fsys := fstest.MapFS{
		"otp.txt":      {Data: []byte("OTP|code 1\nOTP|code 2\n")},
		"20220301.txt": {Data: []byte("OTP|code 1\nscam|win\n")},
		"SOURCE.md":    {Data: []byte("# not a corpus file\n")},
	}
	got, err := ReadThai(fsys)
	if err != nil {
		t.Fatal(err)
	}
	// fs.Glob sorts: 20220301.txt comes first.
	want := []Message{{"OTP", "code 1"}, {"scam", "win"}, {"OTP", "code 2"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadThai = %q, want %q", got, want)
	}
	if _, err := ReadThai(fstest.MapFS{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadThai(empty) error = %v, want fs.ErrNotExist", err)
	}
}

func TestSplit(t *testing.T) {
	// FNV-1a 32 of "" is 2166136261 (offset basis), 2166136261 % 5 = 1;
	// of "a" it is 0xe40c292c = 3826002220, divisible by 5.
	tests := []struct {
		text  string
		eval  bool
		split Split
		want  bool
	}{
		{"", false, Eval, false},
		{"", false, Train, true},
		{"a", true, Eval, true},
		{"a", true, Train, false},
		{"a", true, All, true},
		{"", false, All, true},
	}
	for _, tc := range tests {
		if got := InEval(tc.text); got != tc.eval {
			t.Errorf("InEval(%q) = %v, want %v", tc.text, got, tc.eval)
		}
		if got := tc.split.Contains(tc.text); got != tc.want {
			t.Errorf("%v.Contains(%q) = %v, want %v", tc.split, tc.text, got, tc.want)
		}
	}
	for _, name := range []string{"eval", "train", "all"} {
		s, err := ParseSplit(name)
		if err != nil || s.String() != name {
			t.Errorf("ParseSplit(%q) = %v, %v; want %s", name, s, err, name)
		}
	}
	if _, err := ParseSplit("test"); !errors.Is(err, ErrSplit) {
		t.Errorf("ParseSplit(test) error = %v, want ErrSplit", err)
	}
}

func TestHoldOut(t *testing.T) {
	ls := []Labelled{
		{Corpus: "uci", Label: "spam", Text: "WIN cash http://x.example"},
		{Corpus: "thai", Label: "scam", Text: "กดลิงก์ https://x.example"},
		{Corpus: "thai", Label: "OK", Text: "รหัส OTP 1234"},
		{Corpus: "thai", Label: "spam", Text: "ดู www.example.com"},
	}
	train, held := HoldOut(ls, "thai")
	if len(train) != 1 || train[0] != ls[0] {
		t.Errorf("train = %v, want the uci message alone, label unchanged", train)
	}
	var labels []string
	for _, l := range held {
		labels = append(labels, l.Label)
	}
	if want := []string{"scam with a link", "OK", "spam with a link"}; !slices.Equal(labels, want) {
		t.Errorf("held labels = %q, want %q", labels, want)
	}
	if ls[1].Label != "scam" {
		t.Error("HoldOut changed its input")
	}
}
