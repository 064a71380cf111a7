package corpus

import (
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// Labelled is a corpus message with the content model's class: "ham",
// "spam" (unsolicited marketing) or "fraud" (phishing, smishing, scams).
type Labelled struct {
	Corpus, Label, Class, Text string
}

// ModelCorpora are the corpora the shipped content model may be trained on:
// the permissively licensed ones (UCI and Mendeley CC BY 4.0, Thai MIT).
var ModelCorpora = []string{"uci", "mendeley", "thai"}

// classes maps each corpus's labels to the model's classes.
var classes = map[string]map[string]string{
	"uci":        {"ham": "ham", "spam": "spam"},
	"mendeley":   {"ham": "ham", "spam": "spam", "smishing": "fraud"},
	"thai":       {"OK": "ham", "OTP": "ham", "spam": "spam", "scam": "fraud"},
	"indonesian": {"normal": "ham", "promo": "spam", "fraud": "fraud"},
	"smishtank":  {"smishing": "fraud"},
}

// smishtank is the Smishtank corpus (research-only: never train a shipped
// model on it), read for zero-shot evaluations.
var smishtank = Source{Name: "smishtank", Dir: "smishtank", Countries: []string{"US"}, Kind: "transactional", read: fileReader("smishtank.csv", ReadSmishtank)}

// ReadSmishtank reads the Smishtank reports (CSV with a MainText column, the
// cleaned message body); every message is labelled "smishing". Empty bodies
// are skipped.
func ReadSmishtank(r io.Reader) ([]Message, error) {
	ms, err := readCSV(r, "smishtank", "MainText", "MainText", func(string) (string, bool) { return "smishing", true })
	if err != nil {
		return nil, err
	}
	out := ms[:0]
	for _, m := range ms {
		// A few reports hold bytes that are not UTF-8 (mojibake of the
		// screenshots' text): keep them, readable, rather than lose them.
		m.Text = strings.ToValidUTF8(m.Text, "\uFFFD")
		if strings.TrimSpace(m.Text) != "" {
			out = append(out, m)
		}
	}
	return out, nil
}

// ReadLabelled reads the split of the named corpora (uci, mendeley, thai,
// indonesian, smishtank) from the data directory with the model's classes,
// in the order of names and then of each corpus. The error wraps
// fs.ErrNotExist when a corpus is absent.
func ReadLabelled(data fs.FS, split Split, names ...string) ([]Labelled, error) {
	var out []Labelled
	for _, name := range names {
		var src Source
		ok := false
		for _, s := range Sources() {
			if s.Name == name {
				src, ok = s, true
			}
		}
		if !ok || classes[name] == nil {
			return nil, fmt.Errorf("corpus: no labelled corpus %q", name)
		}
		ms, err := src.Read(data)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if !split.Contains(m.Text) {
				continue
			}
			c, ok := classes[name][m.Label]
			if !ok {
				return nil, fmt.Errorf("%w: %s: label %q has no class", ErrFormat, name, m.Label)
			}
			out = append(out, Labelled{Corpus: name, Label: m.Label, Class: c, Text: m.Text})
		}
	}
	return out, nil
}

// HoldOut splits ls into the messages of the other corpora (train) and
// those of corpus out (held), the stand-in for data a model never saw. A
// held message with a link has " with a link" added to its label, so
// that a report counts them apart: links are what zero-shot smishing
// hinges on.
func HoldOut(ls []Labelled, out string) (train, held []Labelled) {
	for _, l := range ls {
		if l.Corpus != out {
			train = append(train, l)
			continue
		}
		if strings.Contains(l.Text, "http") || strings.Contains(l.Text, "www.") {
			l.Label += " with a link"
		}
		held = append(held, l)
	}
	return train, held
}
