package main

import (
	"context"
	_ "embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"golang.org/x/text/unicode/norm"

	"github.com/msgfilter/msgfilter/filter"
)

// competentModule is the competent baseline's policy: see competent.rego.
//
//go:embed competent.rego
var competentModule string

// competent is the baseline a competent engineer would build on OPA
// without msgfilter's engine: Go normalizes the body into word, bigram and
// trigram tokens, finds link hosts and the recipient's local minute, and
// passes them as input to one prepared query whose rules look tokens up in
// the packs' term sets. There are no caches. It is safe for concurrent use.
type competent struct {
	pq    rego.PreparedEvalQuery
	zones map[string]*time.Location // by pack (lower-case country); UTC when absent
}

// maxGram is the longest term, in words, that the token sets can match:
// longer terms (about 2% of the packs' terms) are left out.
const maxGram = 3

// newCompetent builds the baseline's data from the same packs as the
// naive baseline (term lists, data.json, blocked domains) and prepares its
// query.
func newCompetent(ctx context.Context, fsys fs.FS) (*competent, error) {
	nd, err := naiveData(fsys)
	if err != nil {
		return nil, err
	}
	// Term lists become token -> category -> weight, per pack.
	terms := map[string]any{}
	for pack, cats := range nd["terms"].(map[string]any) {
		set := map[string]map[string]any{}
		for cat, list := range cats.(map[string]any) {
			for _, t := range list.([]any) {
				t := t.(map[string]any)
				words := tokenWords(t["text"].(string))
				if len(words) == 0 || len(words) > maxGram {
					continue
				}
				tok := strings.Join(words, " ")
				if set[tok] == nil {
					set[tok] = map[string]any{}
				}
				set[tok][cat] = t["weight"]
			}
		}
		m := map[string]any{}
		for tok, c := range set {
			m[tok] = c
		}
		terms[pack] = m
	}
	c := &competent{zones: map[string]*time.Location{}}
	quiet := map[string]any{}
	for pack, v := range nd["packs"].(map[string]any) {
		pd, _ := v.(map[string]any)
		if name, ok := pd["time_zone"].(string); ok {
			loc, err := time.LoadLocation(name)
			if err != nil {
				return nil, fmt.Errorf("bench: pack %s: %w", pack, err)
			}
			c.zones[pack] = loc
		}
		qh, _ := pd["quiet_hours"].(map[string]any)
		promo, _ := qh["promotional"].(map[string]any)
		if promo == nil {
			continue
		}
		var windows []any
		for _, w := range asList(promo["windows"]) {
			w, _ := w.(map[string]any)
			from, err1 := hhmm(w["from"])
			to, err2 := hhmm(w["to"])
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("bench: pack %s: bad quiet window %v", pack, w)
			}
			windows = append(windows, map[string]any{"from": from, "to": to})
		}
		closed := map[string]any{}
		for _, d := range asList(promo["closed_weekdays"]) {
			closed[strings.ToLower(fmt.Sprint(d))] = true
		}
		quiet[pack] = map[string]any{"windows": windows, "closed": closed}
	}
	data := map[string]any{
		"terms":               terms,
		"codes":               nd["codes"],
		"review":              map[string]any{"us": map[string]any{"alcohol": "review", "firearms": "review"}},
		"quiet":               quiet,
		"no_links":            trueSet(asList(nd["no_links"])),
		"shortener_countries": trueSet(asList(nd["shortener_countries"])),
		"shorteners":          trueSet(asList(nd["shorteners"])),
		"blocked_domains":     trueSet(asList(nd["blocked_domains"])),
	}
	c.pq, err = rego.New(
		rego.Query("data.competent.reasons"),
		rego.Module("competent.rego", competentModule),
		rego.Store(inmem.NewFromObject(map[string]any{"sets": data})),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("bench: prepare competent query: %w", err)
	}
	return c, nil
}

func asList(v any) []any { l, _ := v.([]any); return l }

// trueSet makes an object of the list's values, for lookups by key.
func trueSet(list []any) map[string]any {
	m := make(map[string]any, len(list))
	for _, v := range list {
		m[fmt.Sprint(v)] = true
	}
	return m
}

func hhmm(v any) (int, error) {
	s, _ := v.(string)
	h, m, ok := strings.Cut(s, ":")
	hi, err1 := strconv.Atoi(h)
	mi, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bench: bad time %q", s)
	}
	return hi*60 + mi, nil
}

// tokenWords normalizes s (NFKC, lower case) and splits it into words:
// runs of letters, marks and digits.
func tokenWords(s string) []string {
	s = strings.ToLower(norm.NFKC.String(s))
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// premiumPrefixes are the premium-rate sender prefixes the baselines know.
var premiumPrefixes = []string{"+449", "+1900", "+3389", "+4990"}

// check builds the input for m and evaluates the query once.
func (c *competent) check(ctx context.Context, m *filter.Message) (filter.Action, error) {
	rs, err := c.pq.Eval(ctx, rego.EvalParsedInput(c.input(m)))
	if err != nil {
		return "", fmt.Errorf("bench: competent eval: %w", err)
	}
	return strongest(rs)
}

// input is the query's input document, built as an ast.Value so that OPA
// does not convert it again.
func (c *competent) input(m *filter.Message) ast.Value {
	cc := strings.ToLower(m.Country)
	if cc == "" {
		cc = dialCountry(m.Recipient)
	}
	words := tokenWords(m.Body)
	tokens := ast.NewSet()
	for i := range words {
		for n := 1; n <= maxGram && i+n <= len(words); n++ {
			tokens.Add(ast.StringTerm(strings.Join(words[i:i+n], " ")))
		}
	}
	hosts, domains := ast.NewSet(), ast.NewSet()
	for _, h := range linkHosts(m.Body) {
		hosts.Add(ast.StringTerm(h))
		for d := h; ; {
			domains.Add(ast.StringTerm(d))
			_, rest, ok := strings.Cut(d, ".")
			if !ok {
				break
			}
			d = rest
		}
	}
	loc := c.zones[cc]
	if loc == nil {
		loc = time.UTC
	}
	local := m.Time.In(loc)
	inbound := int64(-1)
	if !m.LastInboundAt.IsZero() {
		inbound = int64(m.Time.Sub(m.LastInboundAt) / time.Minute)
	}
	sender := strings.ToUpper(m.Sender)
	premium := false
	for _, p := range premiumPrefixes {
		premium = premium || strings.HasPrefix(sender, p)
	}
	return ast.NewObject(
		ast.Item(ast.StringTerm("cc"), ast.StringTerm(cc)),
		ast.Item(ast.StringTerm("kind"), ast.StringTerm(string(m.Kind))),
		ast.Item(ast.StringTerm("channel"), ast.StringTerm(string(m.Channel))),
		ast.Item(ast.StringTerm("sender"), ast.StringTerm(sender)),
		ast.Item(ast.StringTerm("sender_kind"), ast.StringTerm(senderKind(m.Sender))),
		ast.Item(ast.StringTerm("sender_premium"), ast.BooleanTerm(premium)),
		ast.Item(ast.StringTerm("tokens"), ast.NewTerm(tokens)),
		ast.Item(ast.StringTerm("hosts"), ast.NewTerm(hosts)),
		ast.Item(ast.StringTerm("domains"), ast.NewTerm(domains)),
		ast.Item(ast.StringTerm("phones"), ast.IntNumberTerm(phoneRuns(m.Body))),
		ast.Item(ast.StringTerm("length"), ast.IntNumberTerm(utf8.RuneCountInString(m.Body))),
		ast.Item(ast.StringTerm("minute"), ast.IntNumberTerm(local.Hour()*60+local.Minute())),
		ast.Item(ast.StringTerm("weekday"), ast.StringTerm(strings.ToLower(local.Weekday().String()))),
		ast.Item(ast.StringTerm("inbound_age"), ast.IntNumberTerm(int(inbound))),
	)
}

// dialCountry is the pack of a recipient's calling code ("" if none).
func dialCountry(rcpt string) string {
	for n := 3; n >= 1; n-- {
		if len(rcpt) > n && rcpt[0] == '+' {
			if cc, ok := naiveDial[rcpt[1:1+n]]; ok {
				return cc
			}
		}
	}
	return ""
}

func senderKind(s string) string {
	digits, letters := 0, 0
	for _, r := range strings.TrimPrefix(s, "+") {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case unicode.IsLetter(r):
			letters++
		}
	}
	switch {
	case s == "":
		return "invalid"
	case letters > 0:
		return "alphanumeric"
	case strings.HasPrefix(s, "+") && digits >= 7 && digits <= 15 && s[1] != '0':
		return "e164"
	case !strings.HasPrefix(s, "+") && digits >= 3 && digits <= 8:
		return "short_code"
	}
	return "invalid"
}

// linkTLDs are the top-level domains a bare host (no scheme, no www.) is
// recognised by, as in the naive baseline's link pattern.
var linkTLDs = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range strings.Fields("com net org info io ly me in xyz co bet ee gl th cn ir ae tr ru top site online gd cc gy") {
		m[t] = true
	}
	return m
}()

// linkHosts returns the lower-case hosts of the links in body: fields with
// a scheme or www., or a dotted name ending in a known TLD.
func linkHosts(body string) []string {
	var hosts []string
	for _, f := range strings.Fields(body) {
		f = strings.ToLower(strings.Trim(f, `.,;:!?()[]<>"'`))
		explicit := false
		if i := strings.Index(f, "://"); i >= 0 {
			f, explicit = f[i+3:], true
		}
		if i := strings.IndexAny(f, "/?#"); i >= 0 {
			f = f[:i]
		}
		dot := strings.LastIndexByte(f, '.')
		if dot <= 0 || dot == len(f)-1 {
			continue
		}
		if explicit || strings.HasPrefix(f, "www.") || linkTLDs[f[dot+1:]] {
			hosts = append(hosts, f)
		}
	}
	return hosts
}

// phoneRuns counts phone-number-like runs in body: 8 or more digits,
// possibly separated by spaces or dashes.
func phoneRuns(body string) int {
	runs, digits, gap := 0, 0, false
	for i := 0; i < len(body); i++ {
		switch b := body[i]; {
		case b >= '0' && b <= '9':
			digits++
			gap = false
		case (b == ' ' || b == '-') && digits > 0 && !gap:
			gap = true
		default:
			if digits >= 8 {
				runs++
			}
			digits, gap = 0, false
		}
	}
	if digits >= 8 {
		runs++
	}
	return runs
}
