package corpus

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Source is one corpus of the data directory and how to evaluate it: the
// destinations its messages are checked for and the kind they are sent as.
type Source struct {
	Name      string                         // short name in reports: uci, thai, persian, indonesian, mendeley
	Dir       string                         // its folder in the data directory
	Countries []string                       // destinations, ISO 3166-1 alpha-2
	Kind      string                         // the message kind they are sent as ("transactional")
	read      func(fs.FS) ([]Message, error) // fsys is the corpus folder
}

// Read reads the corpus from the data directory data. The error wraps
// fs.ErrNotExist when the corpus is absent.
func (s Source) Read(data fs.FS) ([]Message, error) {
	sub, err := fs.Sub(data, s.Dir)
	if err != nil {
		return nil, err
	}
	ms, err := s.read(sub)
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %w", s.Name, err)
	}
	return ms, nil
}

func fileReader(name string, read func(io.Reader) ([]Message, error)) func(fs.FS) ([]Message, error) {
	return func(fsys fs.FS) ([]Message, error) { return readFile(fsys, name, read) }
}

// Sources are the corpora Evaluate knows, in report order (Smishtank, US
// smishing reports, is research-only: evaluated, never trained on). Messages are
// sent as transactional: the content rules apply to every kind (except
// Armenia's gambling rule, and no corpus goes to Armenia), while
// promotional would add the packs' promotional-only rules (quiet hours,
// Turkey's and Vietnam's bans) that say nothing about the text. UCI is
// checked against three destinations: GB has only the global rules, US
// the SHAFT categories, AE the strictest list of categories.
func Sources() []Source {
	return []Source{
		{"uci", "uci-sms-spam-collection", []string{"GB", "US", "AE"}, "transactional", fileReader("SMSSpamCollection", ReadUCI)},
		{"thai", "thai-sms-spam", []string{"TH"}, "transactional", ReadThai},
		{"mendeley", "mendeley-smishing-5971", []string{"US"}, "transactional", fileReader("Dataset_5971.csv", ReadMendeley)},
		{"indonesian", "indonesian-sms-spam", []string{"ID"}, "transactional", fileReader("dataset_sms_spam_v1.csv", ReadIndonesian)},
		{"persian", "persian-sms-semnan", []string{"IR"}, "transactional", fileReader("sms_data.utf8.txt", ReadPersian)},
		smishtank,
	}
}

// recipients are valid mobile numbers of the evaluation's destinations.
var recipients = map[string]string{
	"GB": "+447400123456",
	"US": "+14155552671",
	"AE": "+971501234567",
	"TH": "+66812345678",
	"ID": "+6281234567890",
	"IR": "+989121234567",
}

// sender is an alphanumeric sender ID every destination accepts for
// transactional traffic, so that sender rules stay out of the figures.
const sender = "ACMEINFO"

// At is the time every evaluated message is sent: a Tuesday, 06:00 UTC,
// daytime from Tehran to Bangkok and outside every pack's quiet hours for
// transactional messages.
var At = time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)

// ErrNoData is returned by Evaluate when the data directory has none of the
// corpora.
var ErrNoData = errors.New("corpus: no corpus found in the data directory")

// Row is the result for one corpus, destination and label.
type Row struct {
	Corpus, Country, Label string
	Messages               int            // checked (in the split)
	Flagged                int            // decided other than allow
	Content                int            // with a content code (*_CONTENT or FRAUD_LURE)
	Errors                 int            // Check failed (counted in neither Flagged nor Codes)
	Codes                  map[string]int // reason code → messages with it
}

// Share is n as a percentage of the row's messages.
func (r Row) Share(n int) float64 {
	if r.Messages == 0 {
		return 0
	}
	return 100 * float64(n) / float64(r.Messages)
}

// Report is the result of an evaluation.
type Report struct {
	Split   Split
	Rows    []Row
	Missing []string // corpora absent from the data directory, with the reason
}

// Row returns the row of corpus, country and label.
func (r *Report) Row(corpus, country, label string) (Row, bool) {
	for _, row := range r.Rows {
		if row.Corpus == corpus && row.Country == country && row.Label == label {
			return row, true
		}
	}
	return Row{}, false
}

// IsContent reports whether c is about what the body says: a *_CONTENT
// code or FRAUD_LURE.
func IsContent(code string) bool {
	return strings.HasSuffix(code, "_CONTENT") || code == "FRAUD_LURE"
}

// Sample is one corpus message as Evaluate sends it.
type Sample struct {
	ID        string
	Kind      string // the Source's Kind
	Country   string // destination, ISO 3166-1 alpha-2
	Sender    string // an alphanumeric sender ID every destination accepts
	Recipient string // a valid mobile number of Country
	Body      string
	Time      time.Time // At
}

// Decide is how Evaluate asks for a decision (a filter.Engine's Check, in
// "msgfilter eval"): the action ("allow", "block", ...) and the reason codes.
// An error counts the message in Row.Errors.
type Decide func(ctx context.Context, s Sample) (action string, codes []string, err error)

// Evaluate decides on every message of the split of every corpus present in
// data, once per destination of its Source, and tallies the decisions.
// Absent corpora are listed in Report.Missing; when all are absent the error
// is ErrNoData. decide is called for one message at a time.
func Evaluate(ctx context.Context, decide Decide, data fs.FS, split Split) (*Report, error) {
	rep := &Report{Split: split}
	for _, src := range Sources() {
		ms, err := src.Read(data)
		if errors.Is(err, fs.ErrNotExist) {
			rep.Missing = append(rep.Missing, fmt.Sprintf("%s (%s): %v", src.Name, src.Dir, err))
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, country := range src.Countries {
			rows := map[string]*Row{}
			for i, m := range ms {
				if !split.Contains(m.Text) {
					continue
				}
				row := rows[m.Label]
				if row == nil {
					row = &Row{Corpus: src.Name, Country: country, Label: m.Label, Codes: map[string]int{}}
					rows[m.Label] = row
				}
				row.Messages++
				action, codes, err := decide(ctx, Sample{
					ID: fmt.Sprintf("%s-%d", src.Name, i), Kind: src.Kind,
					Country: country, Sender: sender, Recipient: recipients[country], Body: m.Text, Time: At,
				})
				if err != nil {
					if ctx.Err() != nil {
						return nil, ctx.Err()
					}
					row.Errors++
					continue
				}
				tally(row, action, codes)
			}
			for _, row := range rows {
				rep.Rows = append(rep.Rows, *row)
			}
		}
	}
	if len(rep.Rows) == 0 && len(rep.Missing) > 0 {
		return rep, ErrNoData
	}
	slices.SortStableFunc(rep.Rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(sourceIndex(a.Corpus), sourceIndex(b.Corpus)),
			cmp.Compare(a.Country, b.Country), cmp.Compare(a.Label, b.Label))
	})
	return rep, nil
}

func sourceIndex(name string) int {
	return slices.IndexFunc(Sources(), func(s Source) bool { return s.Name == name })
}

func tally(row *Row, action string, codes []string) {
	if action != "allow" {
		row.Flagged++
	}
	content := false
	seen := map[string]bool{}
	for _, c := range codes {
		if seen[c] {
			continue
		}
		seen[c] = true
		row.Codes[c]++
		content = content || IsContent(c)
	}
	if content {
		row.Content++
	}
}

// Write prints the report as a compact table: per corpus, destination and
// label, the messages checked, the share flagged (any action but allow),
// the share with a content code, and the share per code, largest first.
func (r *Report) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "corpus\tto\tlabel\tmsgs\tflagged\tcontent\terrors\t codes (share of msgs, %s split)\n", r.Split)
	for _, row := range r.Rows {
		codes := make([]string, 0, len(row.Codes))
		for c := range row.Codes {
			codes = append(codes, c)
		}
		slices.SortFunc(codes, func(a, b string) int {
			return cmp.Or(cmp.Compare(row.Codes[b], row.Codes[a]), cmp.Compare(a, b))
		})
		parts := make([]string, len(codes))
		for i, c := range codes {
			parts[i] = fmt.Sprintf("%s %.2f%%", c, row.Share(row.Codes[c]))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.2f%%\t%.2f%%\t%d\t %s\n", row.Corpus, row.Country, row.Label,
			row.Messages, row.Share(row.Flagged), row.Share(row.Content), row.Errors, strings.Join(parts, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, m := range r.Missing {
		if _, err := fmt.Fprintf(w, "skipped %s\n", m); err != nil {
			return err
		}
	}
	return nil
}
