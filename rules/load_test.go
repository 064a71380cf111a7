package rules_test

import (
	"context"
	"errors"
	"maps"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
)

// metadata renders a complete METADATA block for a reasons rule.
func metadata(id string) string {
	return `# METADATA
# title: Rule ` + id + `
# related_resources:
#   - ref: https://example.org/regulation
#     description: Example regulation
# custom:
#   id: ` + id + `
#   effective: "2020-01-02"
`
}

const globalRego = `package msgfilter.global

` + `# METADATA
# title: Rule global/sender-invalid
# related_resources:
#   - ref: https://example.org/regulation
#     description: Example regulation
# custom:
#   id: global/sender-invalid
#   effective: "2020-01-02"
reasons contains r if {
	not input.sender.valid
	r := {"code": "SENDER_INVALID", "rule": "global/sender-invalid", "evidence": input.sender.raw}
}
`

// aeRego reports one reason per flagged word, so one rule can give several
// findings that only the evidence tells apart, and defers at night.
const aeRego = `package msgfilter.countries.ae

` + `# METADATA
# title: Rule ae/words
# related_resources:
#   - ref: https://example.org/ae
#     description: UAE example
# custom:
#   id: ae/words
#   effective: "2021"
reasons contains r if {
	some w in input.words
	r := {"code": "GAMBLING_CONTENT", "rule": "ae/words", "evidence": w}
}

# METADATA
# title: Rule ae/quiet
# related_resources:
#   - ref: https://example.org/ae-quiet
# custom:
#   id: ae/quiet
#   effective: "2020-03-29"
reasons contains r if {
	until := input.time.quiet_until.quiet
	r := {"code": "QUIET_HOURS", "rule": "ae/quiet", "action": "defer", "evidence": input.time.local, "until": until}
}
`

const viberRego = `package msgfilter.channels.viber

` + `# METADATA
# title: Rule viber/length
# related_resources:
#   - ref: https://example.org/viber
#     description: Viber example
# custom:
#   id: viber/length
#   effective: "2023-05-06"
reasons contains r if {
	input.length > data.channels.viber.max_length
	r := {"code": "BODY_TOO_LONG", "rule": "viber/length", "evidence": sprintf("%d", [input.length])}
}
`

// source is a small valid policy source: a global rule, a UAE pack and a
// Viber pack, each with data.
func source() fstest.MapFS {
	return fstest.MapFS{
		"global/global.rego":          {Data: []byte(globalRego)},
		"countries/ae/ae.rego":        {Data: []byte(aeRego)},
		"countries/ae/data.json":      {Data: []byte(`{"quiet_hours": {"quiet": {"windows": [{"from": "21:00", "to": "07:00"}]}}}`)},
		"countries/ae/terms/en.jsonl": {Data: []byte(`["casino"]`)},
		"channels/viber/viber.rego":   {Data: []byte(viberRego)},
		"channels/viber/data.json":    {Data: []byte(`{"max_length": 10}`)},
		"channels/viber/README.md":    {Data: []byte("Viber rules.\n")},
		"countries/ae/ae_test.rego":   {Data: []byte(passingTest)},
		"channels/viber/viber_test.rego": {Data: []byte(`package msgfilter.channels.viber_test

import data.msgfilter.channels.viber

test_long_body_too_long if {
	some r in viber.reasons with input as {"length": 11}
	r.code == "BODY_TOO_LONG"
}
`)},
	}
}

const passingTest = `package msgfilter.countries.ae_test

import data.msgfilter.countries.ae

test_quiet_until_read_from_the_facts if {
	some r in ae.reasons with input as {"words": [], "time": {"local": "2026-03-10T22:00", "zone": "Asia/Dubai", "quiet_until": {"quiet": "2026-03-11T07:00:00+04:00"}}}
	r.until == "2026-03-11T07:00:00+04:00"
}
`

// with returns src with the files of patch added or replaced; a nil Data
// removes the file.
func with(src fstest.MapFS, patch map[string]string) fstest.MapFS {
	out := maps.Clone(src)
	for name, data := range patch {
		if data == "" {
			delete(out, name)
			continue
		}
		out[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return out
}

func mustLoad(t testing.TB, fsys fstest.MapFS) *rules.Set {
	t.Helper()
	set, err := rules.Load(context.Background(), fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return set
}

func TestLoadValidSource(t *testing.T) {
	set := mustLoad(t, source())
	if set.Pack("countries/ae") == nil || set.Pack("countries/fr") != nil {
		t.Errorf("Pack(countries/ae), Pack(countries/fr) = %v, %v, want the pack, nil", set.Pack("countries/ae"), set.Pack("countries/fr"))
	}
	var names []string
	for _, p := range set.Packs() {
		names = append(names, p.Name)
	}
	if got, want := strings.Join(names, " "), "channels/viber countries/ae global"; got != want {
		t.Errorf("Packs() = %s, want %s", got, want)
	}
	ae := set.Pack("countries/ae")
	if ae == nil || ae.Kind != rules.KindCountry || ae.Code != "ae" {
		t.Fatalf("Pack(countries/ae) = %+v, want kind %s code ae", ae, rules.KindCountry)
	}
	if b, ok := ae.File("terms/en.jsonl"); !ok || string(b) != `["casino"]` {
		t.Errorf("File(terms/en.jsonl) = %q, %v, want the term list", b, ok)
	}
	if q := ae.QuietHours()["quiet"]; len(q.Windows) != 1 || q.Windows[0] != (rules.Window{From: 21 * 60, To: 7 * 60}) {
		t.Errorf("QuietHours()[quiet] = %+v, want the window [21:00, 07:00)", q)
	}
	if q := set.Pack("channels/viber").QuietHours(); q != nil {
		t.Errorf("viber QuietHours() = %v, want nil: its data.json has none", q)
	}
	if _, ok := ae.File("ae.rego"); ok {
		t.Errorf("File(ae.rego) found, want Rego modules kept out of the pack's files")
	}
	if got := ae.Files("terms/*.jsonl"); len(got) != 1 || got[0] != "terms/en.jsonl" {
		t.Errorf("Files(terms/*.jsonl) = %v, want [terms/en.jsonl]", got)
	}
	c, ok := set.Citation("viber/length")
	want := rules.Citation{
		Rule: "viber/length", Pack: "channels/viber", Title: "Rule viber/length", Effective: "2023-05-06",
		Sources: []rules.Source{{URL: "https://example.org/viber", Description: "Viber example"}},
	}
	if !ok || c.String() != want.String() || c.Title != want.Title || c.Pack != want.Pack {
		t.Errorf("Citation(viber/length) = %+v, %v, want %+v", c, ok, want)
	}
	if got := len(set.Citations()); got != 4 {
		t.Errorf("len(Citations()) = %d, want 4", got)
	}
}

func TestLoadErrors(t *testing.T) {
	// rule builds a UAE module whose single reasons rule has the given
	// METADATA (may be empty) and body.
	rule := func(meta, body string) string {
		return "package msgfilter.countries.ae\n\n" + meta + "reasons contains r if {\n" + body + "\n}\n"
	}
	const reportsWords = `	r := {"code": "GAMBLING_CONTENT", "rule": "ae/words", "evidence": "x"}`
	tests := []struct {
		name     string
		patch    map[string]string
		wantFile string
		wantRow  int    // 0: any row
		wantMsg  string // a fragment of the PolicyError's message
	}{
		{
			"http.send",
			map[string]string{"countries/ae/ae.rego": rule(metadata("ae/words"),
				`	resp := http.send({"method": "GET", "url": "https://example.org"})
	r := {"code": "GAMBLING_CONTENT", "rule": "ae/words", "evidence": resp.body}`)},
			"countries/ae/ae.rego", 12, "built-in http.send is not allowed",
		},
		{
			"net.lookup_ip_addr",
			map[string]string{"countries/ae/ae.rego": rule(metadata("ae/words"),
				`	ips := net.lookup_ip_addr("example.org")
	r := {"code": "GAMBLING_CONTENT", "rule": "ae/words", "evidence": sprintf("%v", [ips])}`)},
			"countries/ae/ae.rego", 0, "net.lookup_ip_addr is not allowed",
		},
		{
			"time.now_ns",
			map[string]string{"countries/ae/ae.rego": rule(metadata("ae/words"),
				`	time.now_ns() > 0
`+reportsWords)},
			"countries/ae/ae.rego", 0, "time.now_ns is not allowed",
		},
		{
			"no METADATA",
			map[string]string{"countries/ae/ae.rego": rule("", reportsWords)},
			"countries/ae/ae.rego", 3, "needs a METADATA block",
		},
		{
			"no title",
			map[string]string{"countries/ae/ae.rego": rule(strings.Replace(metadata("ae/words"), "# title: Rule ae/words\n", "", 1), reportsWords)},
			"countries/ae/ae.rego", 0, "METADATA needs a title",
		},
		{
			"no related_resources",
			map[string]string{"countries/ae/ae.rego": rule(`# METADATA
# title: Words
# custom:
#   id: ae/words
#   effective: "2021"
`, reportsWords)},
			"countries/ae/ae.rego", 0, "METADATA needs related_resources",
		},
		{
			"no custom.id",
			map[string]string{"countries/ae/ae.rego": rule(`# METADATA
# title: Words
# related_resources:
#   - ref: https://example.org/ae
# custom:
#   effective: "2021"
`, reportsWords)},
			"countries/ae/ae.rego", 0, "METADATA needs custom.id",
		},
		{
			"id the body does not report",
			map[string]string{"countries/ae/ae.rego": rule(metadata("ae/other"), reportsWords)},
			"countries/ae/ae.rego", 0, `rule "ae/other": the body must report its id`,
		},
		{
			"effective not a date",
			map[string]string{"countries/ae/ae.rego": rule(strings.Replace(metadata("ae/words"), `"2020-01-02"`, `"March 2020"`, 1), reportsWords)},
			"countries/ae/ae.rego", 0, `custom.effective as YYYY-MM-DD (or YYYY), got "March 2020"`,
		},
		{
			"effective an impossible date",
			map[string]string{"countries/ae/ae.rego": rule(strings.Replace(metadata("ae/words"), `"2020-01-02"`, `"2020-02-30"`, 1), reportsWords)},
			"countries/ae/ae.rego", 0, `got "2020-02-30"`,
		},
		{
			"no effective date",
			map[string]string{"countries/ae/ae.rego": rule(strings.Replace(metadata("ae/words"), "#   effective: \"2020-01-02\"\n", "", 1), reportsWords)},
			"countries/ae/ae.rego", 0, `got ""`,
		},
		{
			"wrong package",
			map[string]string{"countries/ae/ae.rego": strings.Replace(aeRego, "countries.ae", "countries.fr", 1)},
			"countries/ae/ae.rego", 1, "package msgfilter.countries.fr, want msgfilter.countries.ae",
		},
		{
			"invalid data.json",
			map[string]string{"channels/viber/data.json": `{"max_length": 10,}`},
			"channels/viber/data.json", 0, "data.json must be a JSON object",
		},
		{
			"data.json not an object",
			map[string]string{"channels/viber/data.json": `[10]`},
			"channels/viber/data.json", 0, "data.json must be a JSON object",
		},
		{
			"parse error",
			map[string]string{"global/global.rego": "package msgfilter.global\n\nimport rego.v1\n\nreasons contains r if {\n\tr := {\"code\": \n}\n"},
			"global/global.rego", 7, "",
		},
		{
			// OPA's loader mounts every .json file at its directory:
			// x.json's max_length collides with data.json's.
			"two JSON files with one key",
			map[string]string{"channels/viber/x.json": `{"max_length": 20}`},
			"channels/viber/x.json", 0, "conflicting values at data.channels.viber.max_length",
		},
		{
			// Both would be time.quiet_until.quiet for a viber message to the UAE.
			"channel quiet-hours spec named like a country's",
			map[string]string{"channels/viber/data.json": `{"max_length": 10, "quiet_hours": {"quiet": {"windows": [{"from": "22:00", "to": "06:00"}]}}}`},
			"channels/viber/data.json", 0, "quiet_hours.quiet: countries/ae has a spec of that name too",
		},
		{
			"YAML data",
			map[string]string{"countries/ae/data.yaml": "quiet: {}\n"},
			"countries/ae/data.yaml", 0, "YAML data is not supported",
		},
		{
			"upper-case pack directory",
			map[string]string{"countries/AE/ae.rego": aeRego},
			"countries/AE", 0, "pack directory names are lower case",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rules.Load(context.Background(), with(source(), tc.patch))
			if err == nil {
				t.Fatalf("Load = nil error, want a *PolicyError for %s containing %q", tc.wantFile, tc.wantMsg)
			}
			var le *rules.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("Load error %T %q, want a *rules.LoadError", err, err)
			}
			var pe *rules.PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("errors.As(%q, *PolicyError) = false, want true", err)
			}
			if pe.File != tc.wantFile {
				t.Errorf("PolicyError.File = %q, want %q (error %q)", pe.File, tc.wantFile, err)
			}
			if tc.wantRow != 0 && pe.Row != tc.wantRow {
				t.Errorf("PolicyError.Row = %d, want %d (error %q)", pe.Row, tc.wantRow, err)
			}
			if !strings.Contains(pe.Msg, tc.wantMsg) {
				t.Errorf("PolicyError.Msg = %q, want it to contain %q", pe.Msg, tc.wantMsg)
			}
			if !strings.HasPrefix(err.Error(), "rules: ") {
				t.Errorf("Load error %q, want the rules: prefix", err)
			}
		})
	}
}

// Every problem of a source comes back at once.
// TestLoadMountsDataLikeOPA checks that JSON files are mounted where OPA's
// loader mounts them: a second file of a pack merges into its directory's
// object, and term lists (JSON Lines) stay out of the data.
func TestLoadMountsDataLikeOPA(t *testing.T) {
	set := mustLoad(t, with(source(), map[string]string{
		"channels/viber/limits.json": `{"max_segments": 3}`,
		"global/global_test.rego": `package msgfilter.global_test

test_data_mounted_at_the_pack_directory if {
	data.channels.viber.max_length == 10
	data.channels.viber.max_segments == 3
	data.countries.ae.quiet_hours.quiet.windows[0].from == "21:00"
	not data.countries.ae.terms
	not data.msgfilter.channels.viber.max_length
}
`,
	}))
	results, err := set.Test(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Name == "test_data_mounted_at_the_pack_directory" && r.Pass {
			return
		}
	}
	t.Errorf("test_data_mounted_at_the_pack_directory did not pass: %+v", results)
}

func TestLoadReportsEveryError(t *testing.T) {
	_, err := rules.Load(context.Background(), with(source(), map[string]string{
		"channels/viber/data.json": `{`,
		"countries/ae/ae.rego":     strings.Replace(aeRego, "countries.ae", "countries.fr", 1),
	}))
	var le *rules.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Load error %v, want a *rules.LoadError", err)
	}
	if got := len(le.Errs); got != 2 {
		t.Errorf("len(LoadError.Errs) = %d, want 2: %v", got, err)
	}
	if got := len(le.Unwrap()); got != len(le.Errs) {
		t.Errorf("len(Unwrap()) = %d, want %d", got, len(le.Errs))
	}
}

func TestLoadEmptySource(t *testing.T) {
	_, err := rules.Load(context.Background(), fstest.MapFS{"README.md": {Data: []byte("nothing")}})
	if !errors.Is(err, rules.ErrNoPolicies) {
		t.Errorf("Load(no packs) = %v, want ErrNoPolicies", err)
	}
}

func TestRevision(t *testing.T) {
	base := mustLoad(t, source()).Revision()
	if base == "" {
		t.Fatal("Revision() is empty")
	}
	if again := mustLoad(t, source()).Revision(); again != base {
		t.Errorf("Revision() of identical sources = %s and %s, want equal", base, again)
	}
	changes := map[string]map[string]string{
		"one byte of data":     {"channels/viber/data.json": `{"max_length": 11}`},
		"one byte of a module": {"global/global.rego": strings.Replace(globalRego, `"evidence": input.sender.raw`, `"evidence": input.sender.rax`, 1)},
		"a term list":          {"countries/ae/terms/en.jsonl": `["casinO"]`},
		"a test":               {"countries/ae/ae_test.rego": passingTest + "\n"},
		"a file renamed":       {"channels/viber/README.md": "", "channels/viber/README.txt": "Viber rules.\n"},
	}
	for name, patch := range changes {
		t.Run(name, func(t *testing.T) {
			if got := mustLoad(t, with(source(), patch)).Revision(); got == base {
				t.Errorf("Revision() after changing %s = %s, want it to change", name, got)
			}
		})
	}
}

// facts builds an input document for the test source.
func facts(t testing.TB, json string) ast.Value {
	t.Helper()
	v, err := ast.ValueFromReader(strings.NewReader(json))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestEval(t *testing.T) {
	set := mustLoad(t, source())
	now := time.Date(2026, 3, 10, 18, 0, 0, 0, time.UTC)
	const (
		noon  = `"time": {"local": "2026-03-10T12:00", "zone": "Asia/Dubai"}`
		night = `"time": {"local": "2026-03-10T22:00", "zone": "Asia/Dubai", "quiet_until": {"quiet": "2026-03-11T07:00:00+04:00"}}`
	)
	tests := []struct {
		name             string
		country, channel string
		input            string
		want             []string // "rule code evidence until"
	}{
		{
			"every pack, sorted by rule then evidence", "ae", "viber",
			`{"sender": {"raw": "x", "valid": false}, "words": ["poker", "casino"], "length": 20, ` + night + `}`,
			[]string{
				"ae/quiet QUIET_HOURS 2026-03-10T22:00 2026-03-11T07:00:00+04:00",
				"ae/words GAMBLING_CONTENT casino ",
				"ae/words GAMBLING_CONTENT poker ",
				"global/sender-invalid SENDER_INVALID x ",
				"viber/length BODY_TOO_LONG 20 ",
			},
		},
		{
			"ham twin: nothing fires", "ae", "viber",
			`{"sender": {"raw": "x", "valid": true}, "words": [], "length": 10, ` + noon + `}`,
			nil,
		},
		{
			"country without a pack gets global and channel rules", "de", "viber",
			`{"sender": {"raw": "x", "valid": false}, "words": ["casino"], "length": 20, ` + night + `}`,
			[]string{"global/sender-invalid SENDER_INVALID x ", "viber/length BODY_TOO_LONG 20 "},
		},
		{
			"channel without a pack gets global and country rules", "ae", "sms",
			`{"sender": {"raw": "x", "valid": false}, "words": ["casino"], "length": 20, ` + noon + `}`,
			[]string{"ae/words GAMBLING_CONTENT casino ", "global/sender-invalid SENDER_INVALID x "},
		},
		{
			"neither country nor channel pack", "", "sms",
			`{"sender": {"raw": "x", "valid": false}, "words": ["casino"], "length": 20, ` + night + `}`,
			[]string{"global/sender-invalid SENDER_INVALID x "},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			findings, err := set.Eval(context.Background(), tc.country, tc.channel, facts(t, tc.input), now)
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			var got []string
			for _, f := range findings {
				got = append(got, strings.Join([]string{f.Rule, f.Code, f.Evidence, f.Until}, " "))
				if f.Citation.Rule != f.Rule || f.Citation.Title != "Rule "+f.Rule || len(f.Citation.Sources) == 0 {
					t.Errorf("finding %s has citation %+v, want the rule's METADATA", f.Rule, f.Citation)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("Eval(%s, %s) =\n%s\nwant\n%s", tc.country, tc.channel, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestEvalFindingFields(t *testing.T) {
	set := mustLoad(t, source())
	input := facts(t, `{"sender": {"valid": true}, "words": [], "length": 1, "time": {"local": "2026-03-10T22:00", "zone": "Asia/Dubai", "quiet_until": {"quiet": "2026-03-11T07:00:00+04:00"}}}`)
	findings, err := set.Eval(context.Background(), "ae", "", input, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) != 1 {
		t.Fatalf("Eval = %+v, want one finding", findings)
	}
	f := findings[0]
	if f.Action != "defer" || f.Citation.Pack != "countries/ae" || f.Citation.Effective != "2020-03-29" {
		t.Errorf("finding = %+v, want action defer from pack countries/ae effective 2020-03-29", f)
	}
	if got, want := f.Citation.String(), "https://example.org/ae-quiet (effective 2020-03-29)"; got != want {
		t.Errorf("Citation.String() = %q, want %q", got, want)
	}
}

func TestEvalRejectsUnknownAction(t *testing.T) {
	src := with(source(), map[string]string{"channels/viber/viber.rego": strings.Replace(viberRego,
		`"code": "BODY_TOO_LONG",`, `"code": "BODY_TOO_LONG", "action": "explode",`, 1)})
	set := mustLoad(t, src)
	_, err := set.Eval(context.Background(), "", "viber", facts(t, `{"sender": {"valid": true}, "length": 11}`), time.Now())
	if err == nil || !strings.Contains(err.Error(), `unknown action "explode"`) {
		t.Errorf("Eval with action explode = %v, want an unknown action error", err)
	}
	// Ham twin: the same rule not firing is no error.
	if _, err := set.Eval(context.Background(), "", "viber", facts(t, `{"sender": {"valid": true}, "length": 9}`), time.Now()); err != nil {
		t.Errorf("Eval with no finding = %v, want nil", err)
	}
}

func TestSetTest(t *testing.T) {
	failing := `package msgfilter.channels.viber_test

import data.msgfilter.channels.viber

test_long_body_too_long if {
	some r in viber.reasons with input as {"length": 11}
	r.code == "BODY_TOO_LONG"
}

test_short_body_wrongly_expected_too_long if {
	some r in viber.reasons with input as {"length": 9}
	r.code == "BODY_TOO_LONG"
}
`
	set := mustLoad(t, with(source(), map[string]string{"channels/viber/viber_test.rego": failing}))
	results, err := set.Test(context.Background())
	if err != nil {
		t.Fatalf("Test: %v", err)
	}
	got := map[string]bool{}
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("%s: error %v, want a verdict", r.Name, r.Err)
		}
		got[r.Name] = r.Pass
	}
	want := map[string]bool{
		"test_long_body_too_long":                   true,
		"test_short_body_wrongly_expected_too_long": false,
		"test_quiet_until_read_from_the_facts":      true,
	}
	if !maps.Equal(got, want) {
		t.Errorf("Test() passes = %v, want %v", got, want)
	}
	for _, r := range results {
		if r.Name == "test_short_body_wrongly_expected_too_long" && !strings.HasSuffix(r.String(), "FAIL") {
			t.Errorf("failing result String() = %q, want it to end in FAIL", r.String())
		}
	}
}

// BenchmarkEval measures one prepared query of the embedded policies
// (global + country + channel) on realistic facts documents: small ones
// written here, and the engine's facts of content-rich messages (links,
// phone numbers, lure words, model scores: testdata/eval_facts.jsonl, from
// msgfilter check -explain), which is what a first sighting of a body costs.
func BenchmarkEval(b *testing.B) {
	set, err := rules.Load(context.Background(), policies.FS)
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name, country, channel, input string
	}{
		{"fr/sms/promotional-night", "fr", "sms", `{"schema": 1,
			"message": {"channel": "sms", "kind": "promotional", "country": "FR", "tenant": "acme", "length": 120},
			"time": {"local": "2026-03-14T21:00", "date": "2026-03-14", "weekday": "saturday", "minute": 1260, "zone": "Europe/Paris"},
			"sender": {"raw": "BOUTIQUE", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
			"recipient": {"e164": "+33612345678", "country": "FR", "number_type": "mobile"},
			"content": {"opt_out_text": false},
			"conversation": {"has_inbound": false, "inbound_age_minutes": 0}}`},
		{"in/sms/transactional", "in", "sms", `{"schema": 1,
			"message": {"channel": "sms", "kind": "transactional", "country": "IN", "tenant": "acme", "length": 90},
			"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "Asia/Kolkata"},
			"sender": {"raw": "VM-HDFCBK", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
			"recipient": {"e164": "+919812345678", "country": "IN", "number_type": "mobile"},
			"content": {"opt_out_text": false},
			"conversation": {"has_inbound": false, "inbound_age_minutes": 0}}`},
		{"de/viber/service", "de", "viber", `{"schema": 1,
			"message": {"channel": "viber", "kind": "service", "country": "DE", "tenant": "acme", "length": 300},
			"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
			"sender": {"raw": "+4915123456789", "kind": "e164", "country": "DE", "number_type": "mobile", "valid": true, "reason": ""},
			"recipient": {"e164": "+4915223456789", "country": "DE", "number_type": "mobile"},
			"content": {"opt_out_text": false},
			"conversation": {"has_inbound": true, "inbound_age_minutes": 30}}`},
	}
	rich, err := os.ReadFile("testdata/eval_facts.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	for i, name := range []string{"gb/sms/premium-rate-lure", "in/sms/kyc-phish", "de/whatsapp/promo-link"} {
		country, rest, _ := strings.Cut(name, "/")
		channel, _, _ := strings.Cut(rest, "/")
		line := strings.Split(string(rich), "\n")[i]
		cases = append(cases, struct{ name, country, channel, input string }{name, country, channel, line})
	}
	now := time.Date(2026, 3, 14, 20, 0, 0, 0, time.UTC)
	ctx := context.Background()
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			v := facts(b, c.input)
			b.ReportAllocs()
			b.SetBytes(int64(len(c.input)))
			for b.Loop() {
				if _, err := set.Eval(ctx, c.country, c.channel, v, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEvalWritten is BenchmarkEval's content-rich cases on queries of
// the packs' written rules, as Load prepared them before residual rules
// (partial.go).
func BenchmarkEvalWritten(b *testing.B) {
	set, err := rules.Load(context.Background(), policies.FS)
	if err != nil {
		b.Fatal(err)
	}
	rich, err := os.ReadFile("testdata/eval_facts.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 3, 14, 20, 0, 0, 0, time.UTC)
	ctx := context.Background()
	for i, name := range []string{"gb/sms/premium-rate-lure", "in/sms/kyc-phish", "de/whatsapp/promo-link"} {
		country, rest, _ := strings.Cut(name, "/")
		channel, _, _ := strings.Cut(rest, "/")
		line := strings.Split(string(rich), "\n")[i]
		b.Run(name, func(b *testing.B) {
			v := facts(b, line)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := set.EvalWritten(ctx, country, channel, v, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestLoadRefusesBadQuietHours(t *testing.T) {
	for name, spec := range map[string]string{
		"whole day":     `{"windows": [{"from": "00:00", "to": "12:00"}, {"from": "12:00", "to": "00:00"}]}`,
		"bad clock":     `{"windows": [{"from": "21:00", "to": "25:00"}]}`,
		"unknown field": `{"window": []}`,
		"not an object": `"21:00-07:00"`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := rules.Load(context.Background(), fstest.MapFS{
				"countries/ae/data.json": {Data: []byte(`{"quiet_hours": {"promotional": ` + spec + `}}`)},
			})
			var pe *rules.PolicyError
			if !errors.As(err, &pe) || pe.File != "countries/ae/data.json" || !strings.Contains(pe.Msg, "quiet_hours.promotional") {
				t.Fatalf("Load with quiet hours %s: err = %v, want a PolicyError on countries/ae/data.json", spec, err)
			}
		})
	}
}
