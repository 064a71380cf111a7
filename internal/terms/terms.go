package terms

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Term is one entry of a term list.
type Term struct {
	Text     string // as written in the list: any case, accents, native script
	Category string // political, gambling, ... (any lower-case identifier)
	Lang     string // the list's language
	Weight   int    // ≥ 1; a category blocks at a score of 2
	Word     bool   // match only on word boundaries
}

// DefaultWeight is the weight of a term whose entry has none.
const DefaultWeight = 2

// Errors callers can test with errors.Is.
var (
	ErrEmptyText       = errors.New("terms: empty text")
	ErrBadCategory     = errors.New("terms: category is not a lower-case identifier")
	ErrBadWeight       = errors.New("terms: weight below 1")
	ErrNothingToMatch  = errors.New("terms: text normalizes to nothing")
	ErrConflictingTerm = errors.New("terms: same normalized text with different weight or word flag")
)

// EntryError reports a bad entry of a term list.
type EntryError struct {
	Index int    // position in the list, from 0 (a list file's line number less one)
	Text  string // the entry's text
	Err   error
}

func (e *EntryError) Error() string {
	return fmt.Sprintf("terms: entry %d (%q): %v", e.Index, e.Text, e.Err)
}

func (e *EntryError) Unwrap() error { return e.Err }

type listEntry struct {
	Text     string `json:"text"`
	Category string `json:"category"`
	Weight   *int   `json:"weight"`
	Word     bool   `json:"word"`
}

// ParseList reads a term list of language lang in its JSON Lines format, one
// term object per line (a pack's terms/<lang>.jsonl: the language is the
// file's name):
//
//	{"text": "seçim", "category": "political", "weight": 2, "word": false}
//
// weight defaults to DefaultWeight, word to false. Unknown fields are errors,
// so that a misspelt "wrod" cannot silently turn a word match into a
// substring match; so are blank lines. Errors about one entry are
// *EntryError, whose Index is the line number less one.
func ParseList(r io.Reader, lang string) ([]Term, error) {
	var out []Term
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for i := 0; sc.Scan(); i++ {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var e listEntry
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("terms: parse list: line %d: %w", i+1, err)
		}
		if dec.More() {
			return nil, fmt.Errorf("terms: parse list: line %d: data after the term object", i+1)
		}
		t := Term{Text: e.Text, Category: e.Category, Lang: lang, Weight: DefaultWeight, Word: e.Word}
		if e.Weight != nil {
			t.Weight = *e.Weight
		}
		if err := t.validate(); err != nil {
			return nil, &EntryError{Index: i, Text: e.Text, Err: err}
		}
		out = append(out, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("terms: parse list: %w", err)
	}
	return out, nil
}

func (t Term) validate() error {
	if len(bytes.TrimSpace([]byte(t.Text))) == 0 {
		return ErrEmptyText
	}
	if !isIdent(t.Category) {
		return ErrBadCategory
	}
	if t.Weight < 1 {
		return ErrBadWeight
	}
	return nil
}

// isIdent reports a lower-case identifier: [a-z][a-z0-9_]*.
func isIdent(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
