package terms

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseList(t *testing.T) {
	got, err := ParseList(strings.NewReader(`{"text": "seçim", "category": "political", "weight": 2}
{"text": "oy ver", "category": "political", "weight": 1, "word": true}
{"text": "bahis", "category": "gambling"}
`), "tr")
	if err != nil {
		t.Fatalf("ParseList: %v", err)
	}
	want := []Term{
		{Text: "seçim", Category: "political", Lang: "tr", Weight: 2},
		{Text: "oy ver", Category: "political", Lang: "tr", Weight: 1, Word: true},
		{Text: "bahis", Category: "gambling", Lang: "tr", Weight: DefaultWeight},
	}
	if len(got) != len(want) {
		t.Fatalf("ParseList = %d terms, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ParseList term %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestParseListErrors(t *testing.T) {
	tests := []struct {
		name, in string
		index    int // -1: not an entry error
		want     error
	}{
		{"zero weight", "{\"text\":\"a\",\"category\":\"adult\"}\n{\"text\":\"b\",\"category\":\"adult\",\"weight\":0}", 1, ErrBadWeight},
		{"negative weight", `{"text":"b","category":"adult","weight":-3}`, 0, ErrBadWeight},
		{"upper-case category", `{"text":"b","category":"Adult"}`, 0, ErrBadCategory},
		{"missing category", `{"text":"b"}`, 0, ErrBadCategory},
		{"empty text", `{"text":" ","category":"adult"}`, 0, ErrEmptyText},
		{"misspelt field", `{"text":"bet","category":"gambling","wrod":true}`, -1, nil},
		{"string weight", `{"text":"bet","category":"gambling","weight":"2"}`, -1, nil},
		{"not json", `terms: [bet]`, -1, nil},
		{"blank line", "{\"text\":\"bet\",\"category\":\"gambling\"}\n\n", -1, nil},
		{"the old list object", `{"lang":"en","terms":[{"text":"bet","category":"gambling"}]}`, -1, nil},
		{"trailing data", `{"text":"bet","category":"gambling"} {}`, -1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseList(strings.NewReader(tt.in), "en")
			if err == nil {
				t.Fatalf("ParseList(%s) = nil error, want one", tt.in)
			}
			if !strings.HasPrefix(err.Error(), "terms: ") {
				t.Errorf("ParseList error %q lacks the package prefix", err)
			}
			var ee *EntryError
			isEntry := errors.As(err, &ee)
			if tt.index < 0 {
				if isEntry {
					t.Errorf("ParseList error = %v, want a whole-list error", err)
				}
				return
			}
			if !isEntry || ee.Index != tt.index || !errors.Is(err, tt.want) {
				t.Errorf("ParseList error = %v, want entry %d: %v", err, tt.index, tt.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name  string
		terms []Term
		want  error
	}{
		{"only punctuation", []Term{{Text: "vote", Category: "political", Weight: 1}, {Text: "!!!", Category: "political", Weight: 1}}, ErrNothingToMatch},
		{"only format characters", []Term{{Text: "\u200b\u200d", Category: "adult", Weight: 1}}, ErrNothingToMatch},
		{"zero weight", []Term{{Text: "vote", Category: "political"}}, ErrBadWeight},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(tt.terms)
			var ee *EntryError
			if !errors.As(err, &ee) || !errors.Is(err, tt.want) {
				t.Errorf("Compile error = %v, want an *EntryError wrapping %v", err, tt.want)
			}
		})
	}
}

// loadLists parses testdata lists and compiles them into one matcher.
func loadLists(t testing.TB, files ...string) *Matcher {
	t.Helper()
	m, err := Compile(parseLists(t, files...))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// parseLists parses term list files, each named by its file name, into
// one list.
func parseLists(tb testing.TB, files ...string) []Term {
	tb.Helper()
	var all []Term
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			tb.Fatal(err)
		}
		ts, err := ParseList(r, strings.TrimSuffix(filepath.Base(f), ".jsonl"))
		r.Close()
		if err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		all = append(all, ts...)
	}
	return all
}
