// Package corpus reads the public SMS corpora kept outside the repository
// (../shared/data, or $MSGFILTER_DATA: UCI SMS Spam Collection, Thai SMS,
// Persian SMS, Indonesian SMS, Mendeley smishing, and the list files of the
// link and phone evaluations) as labelled messages or entries, splits them
// by hash, and evaluates a decision function on them (Evaluate): the share
// of each corpus and label flagged, per reason code. It does not import
// filter: "msgfilter eval" passes the engine's Check as a Decide.
//
// Use it for evaluations and regression checks of the term lists, never for
// unit tests (a user's clone has no ../shared), and never copy corpus text
// into the repository. Tune lists on the train split only; report on the
// eval split (see Split).
//
// The readers take what the corpora's SOURCE.md files describe and return
// each distinct (label, text) pair once: the corpora repeat messages, and a
// repeat would count twice in every share.
package corpus

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Message is one labelled message of a corpus.
type Message struct {
	Label string // as the corpus labels it, normalized per reader (see each Read function)
	Text  string
}

// ErrFormat is wrapped by the readers' errors about malformed input.
var ErrFormat = errors.New("corpus: malformed corpus file")

// dedup keeps the first occurrence of each (label, text) pair, in order.
type dedup struct {
	seen map[Message]bool
	out  []Message
}

func (d *dedup) add(label, text string) {
	m := Message{Label: label, Text: text}
	if d.seen == nil {
		d.seen = map[Message]bool{}
	}
	if !d.seen[m] {
		d.seen[m] = true
		d.out = append(d.out, m)
	}
}

// ReadUCI reads the UCI SMS Spam Collection: one "label<TAB>text" per line,
// labels ham and spam.
func ReadUCI(r io.Reader) ([]Message, error) {
	return readTSV(r, "uci", "ham", "spam")
}

// ReadTSV reads "label<TAB>text" lines with any labels, such as the Thai
// corpus's thai_sms_dedup.tsv.
func ReadTSV(r io.Reader) ([]Message, error) {
	return readTSV(r, "tsv")
}

// readTSV reads "label<TAB>text" lines; with labels, any other label is an
// error.
func readTSV(r io.Reader, name string, labels ...string) ([]Message, error) {
	var d dedup
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		label, text, ok := strings.Cut(line, "\t")
		if !ok || len(labels) > 0 && !slices.Contains(labels, label) {
			return nil, fmt.Errorf("%w: %s line %d: want a label (%s), a tab, then the text", ErrFormat, name, n, strings.Join(labels, ", "))
		}
		d.add(label, text)
	}
	return d.out, sc.Err()
}

// thaiLabels are the labels of the Thai corpus.
var thaiLabels = []string{"OTP", "OK", "scam", "spam"}

// ReadThaiLines reads one file of the Thai SMS corpus: "LABEL|text" per
// line, labels OTP, OK (legitimate), scam and spam.
func ReadThaiLines(r io.Reader) ([]Message, error) {
	var d dedup
	if err := readThai(r, "thai", &d); err != nil {
		return nil, err
	}
	return d.out, nil
}

func readThai(r io.Reader, name string, d *dedup) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		label, text, ok := strings.Cut(line, "|")
		if !ok || !slices.Contains(thaiLabels, label) {
			return fmt.Errorf("%w: %s line %d: want OTP, OK, scam or spam, a |, then the text", ErrFormat, name, n)
		}
		d.add(label, text)
	}
	return sc.Err()
}

// ReadThai reads every raw *.txt file at the root of fsys (the corpus
// folder: ok.txt, otp.txt, scam.txt, spam.txt and the dated batches) with
// ReadThaiLines' format, without the repeats across files.
func ReadThai(fsys fs.FS) ([]Message, error) {
	names, err := fs.Glob(fsys, "*.txt")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("corpus: thai: no *.txt files: %w", fs.ErrNotExist)
	}
	var d dedup
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, err
		}
		err = readThai(f, name, &d)
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return d.out, nil
}

// Unlabelled is the label of messages from a corpus without labels.
const Unlabelled = "unlabelled"

// ReadPersian reads the Persian SMS dataset (UTF-8 conversion): one message
// per record, records end with three empty tab-separated columns, messages
// with line breaks are double-quoted. It has no labels: every message is
// Unlabelled (mostly bank alerts, OTPs and shop advertising).
func ReadPersian(r io.Reader) ([]Message, error) {
	cr := csv.NewReader(r)
	cr.Comma = '\t'
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var d dedup
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return d.out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: persian: %v", ErrFormat, err)
		}
		if text := strings.TrimSpace(rec[0]); text != "" {
			d.add(Unlabelled, text)
		}
	}
}

// ReadIndonesian reads the Indonesian SMS dataset (CSV with the header
// Teks,label). Labels 0, 1 and 2 become "normal" (personal), "fraud" and
// "promo" (operator advertising).
func ReadIndonesian(r io.Reader) ([]Message, error) {
	names := map[string]string{"0": "normal", "1": "fraud", "2": "promo"}
	return readCSV(r, "indonesian", "Teks", "label", func(l string) (string, bool) {
		n, ok := names[strings.TrimSpace(l)]
		return n, ok
	})
}

// ReadMendeley reads the Mendeley SMS phishing dataset (CSV with the header
// LABEL,TEXT,URL,EMAIL,PHONE). Labels are lower-cased: ham, spam, smishing.
func ReadMendeley(r io.Reader) ([]Message, error) {
	return readCSV(r, "mendeley", "TEXT", "LABEL", func(l string) (string, bool) {
		l = strings.ToLower(strings.TrimSpace(l))
		return l, l == "ham" || l == "spam" || l == "smishing"
	})
}

func readCSV(r io.Reader, name, textCol, labelCol string, label func(string) (string, bool)) ([]Message, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: header: %v", ErrFormat, name, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	ti, li := slices.Index(header, textCol), slices.Index(header, labelCol)
	if ti < 0 || li < 0 {
		return nil, fmt.Errorf("%w: %s: header %q lacks %s or %s", ErrFormat, name, header, textCol, labelCol)
	}
	var d dedup
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return d.out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrFormat, name, err)
		}
		if len(rec) <= max(ti, li) {
			line, _ := cr.FieldPos(0)
			return nil, fmt.Errorf("%w: %s line %d: %d columns", ErrFormat, name, line, len(rec))
		}
		l, ok := label(rec[li])
		if !ok {
			line, _ := cr.FieldPos(li)
			return nil, fmt.Errorf("%w: %s line %d: unknown label %q", ErrFormat, name, line, rec[li])
		}
		d.add(l, rec[ti])
	}
}

// readFile opens name in fsys and reads it with read.
func readFile(fsys fs.FS, name string, read func(io.Reader) ([]Message, error)) ([]Message, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ms, err := read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path.Base(name), err)
	}
	return ms, nil
}
