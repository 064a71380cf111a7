package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/server/config"
)

// maxLineBytes bounds one input line: a 64 KiB body, JSON-escaped, fits
// with room to spare. Longer lines are reported and skipped.
const maxLineBytes = 1 << 20

func runCheck(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newVerb("check", "check [flags] [FILE|-]", checkSummary)
	policyDir := fs.String("policies", "", "policy directory or bundle file (default: the embedded packs)")
	explain := fs.Bool("explain", false, "print the facts and the rules' titles with each decision")
	geoip := fs.String("geoip", "", "MaxMind-format database for source IP countries (optional)")
	feed := fs.String("phishing-feed", "", "phishing feed, one domain or URL per line (optional)")
	modelFile := fs.String("model", "", "content model file from msgfilter train (default: the shipped model)")
	summary := fs.Bool("summary", false, "print totals by action, code, country and tenant on stderr at the end")
	tenantFile := fs.String("tenants", "", "YAML file whose tenants: section configures tenants, as for serve (optional)")
	rest, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return fs.usageErr("check takes one input file")
	}
	var opts []filter.Option
	if *policyDir != "" {
		src, err := openPolicies(*policyDir, nil)
		if err != nil {
			return err
		}
		opts = append(opts, filter.WithPolicies(src))
	}
	if *geoip != "" {
		opts = append(opts, filter.WithGeoIP(*geoip))
	}
	if *feed != "" {
		opts = append(opts, filter.WithPhishingFeed(*feed))
	}
	opts = append(opts, filter.WithModel(*modelFile))
	var tenants map[string]config.Tenant
	if *tenantFile != "" {
		c, err := config.Load(*tenantFile)
		if err != nil {
			return err
		}
		tenants = c.Tenants
		opts = append(opts, c.TenantOptions()...)
	}
	in := stdin
	var size int64 // of an input file, for the progress line
	if len(rest) == 1 && rest[0] != "-" {
		f, err := os.Open(rest[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			size = st.Size()
		}
	}
	engine, err := filter.New(opts...)
	if err != nil {
		return err
	}
	t := newTally(*summary, stderr, size, isTerminal(stderr))
	err = check(ctx, &checker{engine: engine, explain: *explain, tenants: tenants}, t.reader(in), stdout, t)
	t.finish()
	return err
}

// checker answers the lines of a check run.
type checker struct {
	engine  *filter.Engine
	explain bool
	tenants map[string]config.Tenant // nil: any tenant name is accepted
}

// lineError is the output for an input line that got no decision.
type lineError struct {
	ID    string `json:"id"`
	Line  int    `json:"line"`
	Error string `json:"error"`
}

// check writes one output line per input line; t (nil for none) sees each.
func check(ctx context.Context, c *checker, in io.Reader, out io.Writer, t *tally) error {
	w := bufio.NewWriter(out)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	r := bufio.NewReaderSize(in, 64<<10)
	for n := 1; ; n++ {
		line, err := readLine(r)
		if errors.Is(err, io.EOF) {
			return w.Flush()
		}
		var result any
		switch {
		case errors.Is(err, errLineTooLong):
			result = lineError{Line: n, Error: err.Error()}
		case err != nil:
			return err
		default:
			line = bytes.TrimSpace(line)
			if len(line) == 0 {
				// Every input line gets its output line, so a gateway can
				// pair them by position.
				result = lineError{Line: n, Error: "empty line"}
				break
			}
			result = c.line(ctx, line, n)
		}
		t.add(line, result)
		if err := enc.Encode(envelope(result)); err != nil {
			return err
		}
		if r.Buffered() == 0 {
			// Nothing more is waiting: a gateway writing one message at a
			// time needs its decision now, not at the end of the input.
			if err := w.Flush(); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// inboundAnswer is the output line of an inbound line.
type inboundAnswer struct {
	V         int    `json:"v"`
	Direction string `json:"direction"`
	filter.InboundResult
}

// line answers one input line: a message (no direction, or "outbound")
// gets its decision, an inbound message ("direction": "inbound") what was
// recorded, as the service's /v1/inbound records it. The lines are decoded
// by filter.DecodeMessage and filter.DecodeInboundMessage: a duplicate
// key, a key in another case or invalid UTF-8 is an error for the line.
func (c *checker) line(ctx context.Context, line []byte, n int) any {
	if bytes.Contains(line, []byte(`"direction"`)) {
		// Only which decoder reads the line: that decoder refuses a
		// duplicate or differently cased "direction".
		var probe struct {
			Direction string `json:"direction"`
		}
		_ = json.Unmarshal(line, &probe) // a malformed line is reported below
		switch probe.Direction {
		case "inbound":
			in, err := filter.DecodeInboundMessage(line)
			if err != nil {
				return lineError{ID: idOf(line), Line: n, Error: "malformed inbound message: " + err.Error()}
			}
			if err := c.knownTenant(in.Tenant); err != nil {
				return lineError{ID: in.ID, Line: n, Error: err.Error()}
			}
			res, err := c.engine.Inbound(ctx, in)
			if err != nil {
				return lineError{ID: in.ID, Line: n, Error: err.Error()}
			}
			return inboundAnswer{V: outputVersion, Direction: "inbound", InboundResult: res}
		case "outbound", "":
		default:
			return lineError{ID: idOf(line), Line: n, Error: fmt.Sprintf("unknown direction %q: want inbound or outbound", probe.Direction)}
		}
	}
	m, err := filter.DecodeMessage(line)
	if err != nil {
		return lineError{ID: idOf(line), Line: n, Error: "malformed message: " + err.Error()}
	}
	return c.decide(ctx, m, n)
}

func (c *checker) decide(ctx context.Context, m *filter.Message, n int) any {
	if err := c.knownTenant(m.Tenant); err != nil {
		return lineError{ID: m.ID, Line: n, Error: err.Error()}
	}
	if c.explain {
		x, err := c.engine.Explain(ctx, m)
		if err != nil {
			return lineError{ID: m.ID, Line: n, Error: err.Error()}
		}
		return x
	}
	d, err := c.engine.Check(ctx, m)
	if err != nil {
		return lineError{ID: m.ID, Line: n, Error: err.Error()}
	}
	return d
}

// knownTenant refuses a tenant the -tenants file does not configure, as
// the service does.
func (c *checker) knownTenant(name string) error {
	if !config.KnownTenant(c.tenants, name) {
		return fmt.Errorf("unknown tenant %q", name)
	}
	return nil
}

// idOf recovers the id of a line that did not decode as a message, so the
// error can be matched to its message.
func idOf(line []byte) string {
	var v struct {
		ID any `json:"id"`
	}
	if json.Unmarshal(line, &v) != nil || v.ID == nil {
		return ""
	}
	if s, ok := v.ID.(string); ok {
		return s
	}
	return fmt.Sprint(v.ID)
}

var errLineTooLong = fmt.Errorf("line longer than %d bytes", maxLineBytes)

// readLine returns the next line without its newline. A line over
// maxLineBytes is consumed and reported as errLineTooLong.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) <= maxLineBytes {
			line = append(line, chunk...)
		} else {
			line = line[:0]
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			return nil, errLineTooLong
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return line, nil
		case err != nil:
			return nil, err
		}
		return line, nil
	}
}
