package corpus

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/msgfilter/msgfilter/filter"
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

func newEngine(t testing.TB) *filter.Engine {
	t.Helper()
	e, err := filter.New(filter.WithClock(func() time.Time { return At }))
	if err != nil {
		t.Fatalf("filter.New: %v", err)
	}
	return e
}

// TestEvaluateFixture runs the evaluation on a tiny data directory written
// here: one gambling scam and its ham twin in Thai, one fraud lure and its
// ham twin in the UCI format; the other corpora are reported missing.
func TestEvaluateFixture(t *testing.T) {
	data := fstest.MapFS{
		"thai-sms-spam/scam.txt": {Data: []byte("scam|สมัครเว็บบาคาร่า คาสิโนออนไลน์\nOK|พัสดุของคุณจัดส่งแล้ว\n")},
		"uci-sms-spam-collection/SMSSpamCollection": {Data: []byte(
			"spam\tYour account will be suspended. Verify your account now\nham\tYour parcel was delivered\n")},
	}
	rep, err := Evaluate(context.Background(), newEngine(t), data, All)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		corpus, country, label string
		code                   filter.Code
		want                   int
	}{
		{"thai", "TH", "scam", filter.GamblingContent, 1},
		{"thai", "TH", "OK", filter.GamblingContent, 0},
		{"uci", "GB", "spam", filter.FraudLure, 1},
		{"uci", "GB", "ham", filter.FraudLure, 0},
		{"uci", "AE", "spam", filter.FraudLure, 1},
	} {
		row, ok := rep.Row(tc.corpus, tc.country, tc.label)
		if !ok {
			t.Errorf("no row %s/%s/%s in %+v", tc.corpus, tc.country, tc.label, rep.Rows)
			continue
		}
		if got := row.Codes[tc.code]; got != tc.want || row.Messages != 1 {
			t.Errorf("row %s/%s/%s: %s = %d of %d messages, want %d of 1", tc.corpus, tc.country, tc.label, tc.code, got, row.Messages, tc.want)
		}
	}
	if len(rep.Missing) != 3 {
		t.Errorf("Missing = %q, want mendeley, indonesian and persian", rep.Missing)
	}
	var b strings.Builder
	if err := rep.Write(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "GAMBLING_CONTENT 100.00%") || !strings.Contains(b.String(), "skipped persian") {
		t.Errorf("Write:\n%s\nwant the Thai scam row's code share and the skipped corpora", b.String())
	}

	if _, err := Evaluate(context.Background(), newEngine(t), fstest.MapFS{}, All); !errors.Is(err, ErrNoData) {
		t.Errorf("Evaluate(empty dir) error = %v, want ErrNoData", err)
	}
}

// dataDir is the shared corpora directory: $MSGFILTER_DATA, or ../shared/data
// beside the repository.
func dataDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("MSGFILTER_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("no corpus directory %s (set MSGFILTER_DATA): skipping the evaluation on real data", dir)
	}
	return dir
}

// TestEvaluateRealData reads every corpus present, checks the counts their
// SOURCE.md files give, and evaluates the eval split. It fails when content
// rules flag more than 1% of UCI ham or Thai OTP/OK messages (the goal is
// 0.5%): a regression guard, not a place to tune lists.
func TestEvaluateRealData(t *testing.T) {
	dir := dataDir(t)
	data := os.DirFS(dir)
	counts := map[string]map[string]int{ // distinct (label, text) pairs, from SOURCE.md
		"thai": {"OTP": 1144, "scam": 939, "OK": 899, "spam": 532},
	}
	for _, src := range Sources() {
		ms, err := src.Read(data)
		if errors.Is(err, fs.ErrNotExist) {
			t.Logf("%s absent: %v", src.Name, err)
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", src.Name, err)
		}
		got := map[string]int{}
		for _, m := range ms {
			got[m.Label]++
		}
		t.Logf("%s: %d distinct messages %v", src.Name, len(ms), got)
		if want, ok := counts[src.Name]; ok && !reflect.DeepEqual(got, want) {
			t.Errorf("%s label counts = %v, want %v", src.Name, got, want)
		}
	}
	if testing.Short() {
		t.Skip("the evaluation checks thousands of messages")
	}
	rep, err := Evaluate(context.Background(), newEngine(t), data, Eval)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	rep.Write(&b)
	t.Logf("eval split:\n%s", b.String())
	for _, k := range []struct{ corpus, country, label string }{
		{"uci", "GB", "ham"}, {"uci", "US", "ham"}, {"uci", "AE", "ham"}, {"thai", "TH", "OTP"}, {"thai", "TH", "OK"},
	} {
		row, ok := rep.Row(k.corpus, k.country, k.label)
		if !ok {
			continue
		}
		if row.Errors > 0 {
			t.Errorf("%s/%s/%s: %d checks failed", k.corpus, k.country, k.label, row.Errors)
		}
		if got := row.Share(row.Content); got > 1 {
			t.Errorf("%s/%s/%s: content codes on %.2f%% of legitimate messages, want at most 1%%", k.corpus, k.country, k.label, got)
		}
	}
}
