package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/msgfilter/msgfilter/filter"
)

// naiveModule is the baseline's policy: see naive.rego.
//
//go:embed naive.rego
var naiveModule string

// naive is the baseline checker: one prepared OPA query over a Rego module
// that scans the raw message, with the packs' term lists as plain data and
// no caches. It is safe for concurrent use (PreparedEvalQuery is).
type naive struct {
	pq rego.PreparedEvalQuery
}

// errNaiveResult means the baseline query returned something unexpected.
var errNaiveResult = errors.New("bench: naive query returned no reason set")

// naiveTerm is one term as the baseline's Rego sees it.
type naiveTerm struct {
	Text   string `json:"text"`
	Weight int    `json:"weight"`
	Word   bool   `json:"word,omitempty"`
}

// categoryCodes maps term categories to reason codes.
var categoryCodes = map[string]string{
	"political": "POLITICAL_CONTENT", "religious": "RELIGIOUS_CONTENT", "gambling": "GAMBLING_CONTENT",
	"adult": "ADULT_CONTENT", "alcohol": "ALCOHOL_CONTENT", "tobacco": "TOBACCO_CONTENT",
	"firearms": "FIREARMS_CONTENT", "drugs": "DRUGS_CONTENT", "hate": "HATE_CONTENT",
	"loan": "LOAN_CONTENT", "crypto": "CRYPTO_CONTENT", "investment": "INVESTMENT_CONTENT",
}

// naiveShorteners are the public shorteners the baseline knows.
var naiveShorteners = []string{"bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "lin.ee",
	"cutt.ly", "rb.gy", "tiny.cc", "shorturl.at", "buff.ly", "rebrand.ly"}

// naiveDial maps calling codes to the packs' countries, so that the
// baseline finds the destination of a message without a country.
var naiveDial = map[string]string{
	"971": "ae", "374": "am", "86": "cn", "33": "fr", "852": "hk", "91": "in", "98": "ir", "60": "my",
	"63": "ph", "974": "qa", "66": "th", "90": "tr", "886": "tw", "1": "us", "84": "vn", "49": "de",
}

// newNaive loads the packs' term lists and data.json files from fsys (the
// policies layout) as plain OPA data and prepares the baseline query.
func newNaive(ctx context.Context, fsys fs.FS) (*naive, error) {
	data, err := naiveData(fsys)
	if err != nil {
		return nil, err
	}
	pq, err := rego.New(
		rego.Query("data.naive.reasons"),
		rego.Module("naive.rego", naiveModule),
		rego.Store(inmem.NewFromObject(map[string]any{"naive": data})),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("bench: prepare naive query: %w", err)
	}
	return &naive{pq: pq}, nil
}

func naiveData(fsys fs.FS) (map[string]any, error) {
	terms := map[string]any{}
	packs := map[string]any{}
	load := func(dir, key string) error {
		files, _ := fs.Glob(fsys, path.Join(dir, "terms", "*.jsonl"))
		byCat := map[string]map[string]naiveTerm{}
		for _, f := range files {
			b, err := fs.ReadFile(fsys, f)
			if err != nil {
				return err
			}
			type entry struct {
				Text     string `json:"text"`
				Category string `json:"category"`
				Weight   *int   `json:"weight"`
				Word     bool   `json:"word"`
			}
			var list []entry
			for line := range bytes.Lines(b) { // one term object per line
				var t entry
				if err := json.Unmarshal(line, &t); err != nil {
					return fmt.Errorf("bench: %s: %w", f, err)
				}
				list = append(list, t)
			}
			for _, t := range list {
				w := 2
				if t.Weight != nil {
					w = *t.Weight
				}
				text := strings.ToLower(t.Text)
				if byCat[t.Category] == nil {
					byCat[t.Category] = map[string]naiveTerm{}
				}
				if old, ok := byCat[t.Category][text]; !ok || old.Weight < w {
					byCat[t.Category][text] = naiveTerm{Text: text, Weight: w, Word: t.Word}
				}
			}
		}
		cats := map[string]any{}
		for cat, set := range byCat {
			var list []any
			for _, t := range set {
				list = append(list, map[string]any{"text": t.Text, "weight": t.Weight, "word": t.Word})
			}
			cats[cat] = list
		}
		terms[key] = cats
		if b, err := fs.ReadFile(fsys, path.Join(dir, "data.json")); err == nil {
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				return fmt.Errorf("bench: %s/data.json: %w", dir, err)
			}
			packs[key] = v
		}
		return nil
	}
	if err := load("global", "global"); err != nil {
		return nil, err
	}
	dirs, err := fs.ReadDir(fsys, "countries")
	if err != nil {
		return nil, fmt.Errorf("bench: policies: %w", err)
	}
	for _, d := range dirs {
		if d.IsDir() {
			if err := load(path.Join("countries", d.Name()), d.Name()); err != nil {
				return nil, err
			}
		}
	}
	var blocked []any
	if b, err := fs.ReadFile(fsys, "global/blocked_domains.txt"); err == nil {
		s := bufio.NewScanner(bytes.NewReader(b))
		for s.Scan() {
			line, _, _ := strings.Cut(s.Text(), "#")
			if line = strings.ToLower(strings.TrimSpace(line)); line != "" {
				blocked = append(blocked, line)
			}
		}
	}
	codes := map[string]any{}
	for k, v := range categoryCodes {
		codes[k] = v
	}
	dial := map[string]any{}
	for k, v := range naiveDial {
		dial[k] = v
	}
	var short []any
	for _, s := range naiveShorteners {
		short = append(short, s)
	}
	return map[string]any{
		"terms":               terms,
		"packs":               packs,
		"codes":               codes,
		"dial":                dial,
		"blocked_domains":     blocked,
		"shorteners":          short,
		"no_links":            []any{"ae", "cn", "ir"},
		"shortener_countries": []any{"tw", "us"},
	}, nil
}

// check evaluates one message: the raw message is the input, converted
// by OPA on every call, and the strongest reason's action is returned.
func (n *naive) check(ctx context.Context, m *filter.Message) (filter.Action, error) {
	input := map[string]any{
		"id":        m.ID,
		"channel":   string(m.Channel),
		"kind":      string(m.Kind),
		"country":   m.Country,
		"sender":    m.Sender,
		"recipient": m.Recipient,
		"source_ip": m.SourceIP,
		"body":      m.Body,
		"time":      m.Time.Format(time.RFC3339),
		"tenant":    m.Tenant,
	}
	if m.LastInboundAt.IsZero() {
		input["last_inbound_at"] = ""
	} else {
		input["last_inbound_at"] = m.LastInboundAt.Format(time.RFC3339)
	}
	rs, err := n.pq.Eval(ctx, rego.EvalInput(input))
	if err != nil {
		return "", fmt.Errorf("bench: naive eval: %w", err)
	}
	return strongest(rs)
}

// strongest reads a baseline query's result, a set of {"action": ...}
// reasons, as the strongest action among them (allow for none).
func strongest(rs rego.ResultSet) (filter.Action, error) {
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return "", errNaiveResult
	}
	set, ok := rs[0].Expressions[0].Value.([]any)
	if !ok {
		return "", errNaiveResult
	}
	action := filter.Allow
	for _, r := range set {
		obj, _ := r.(map[string]any)
		a, _ := obj["action"].(string)
		if rank(filter.Action(a)) > rank(action) {
			action = filter.Action(a)
		}
	}
	return action, nil
}

// rank orders actions as the engine does: block > defer > review > allow.
func rank(a filter.Action) int {
	switch a {
	case filter.Block:
		return 3
	case filter.Defer:
		return 2
	case filter.Review:
		return 1
	}
	return 0
}
