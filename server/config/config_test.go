package config

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/filter"
)

func TestExampleIsValid(t *testing.T) {
	c, err := Load("example.yaml")
	if err != nil {
		t.Fatalf("example.yaml: %v", err)
	}
	if got := c.Tenants["acme"]; got.RateLimit != 100 || got.RateWindow != time.Minute || len(got.BlockedNetworks) != 1 {
		t.Errorf("example.yaml tenant acme = %+v", got)
	}
	if len(c.TenantOptions()) != 1 {
		t.Errorf("TenantOptions() has %d options, want 1", len(c.TenantOptions()))
	}
}

func TestEmptyIsDefaults(t *testing.T) {
	c, err := Parse("empty.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"addr: 127.0.0.1:8686", "type: memory", "fail_mode: closed", "read_header: 5s"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("printed defaults lack %q:\n%s", want, out)
		}
	}
}

// TestErrorsNameKeyAndLine: every problem is reported, each with the key
// and the line it is on.
func TestErrorsNameKeyAndLine(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		yaml string
		want []string // "line: key" of each expected error
	}{
		{"unknown key", "addr: 127.0.0.1:1\nstroe:\n  type: redis\n", []string{"2: stroe"}},
		{"nested unknown key", "store:\n  type: redis\n  adrs: [a:1]\n", []string{"3: store.adrs"}},
		{"bad duration", "timeouts:\n  read: soon\n", []string{"2: timeouts.read"}},
		{"wrong type", "tenants:\n  acme:\n    rate_limit: lots\n", []string{"3: tenants.acme.rate_limit"}},
		{"several", "addr: nowhere\nfail_mode: maybe\nstore:\n  type: redis\nmodel: m.bin\n", []string{"1: addr", "2: fail_mode", "3: store.addrs", "5: model"}},
		{"bad cidr", "tenants:\n  acme:\n    blocked_networks:\n      - 10.0.0.0/8\n      - 300.1.1.1\n", []string{"5: tenants.acme.blocked_networks[1]"}},
		{"rate without window", "tenants:\n  acme:\n    rate_limit: 5\n", []string{"2: tenants.acme.rate_window"}},
		{"missing file", "geoip:\n  - /nonexistent/geo.mmdb\n", []string{"2: geoip[0]"}},
		{"shadow without candidate", "shadow:\n  every: 10\n", []string{"1: shadow.policies"}},
		{"shadow candidate missing", "shadow:\n  policies: /nonexistent/candidate\n  queue: -1\n", []string{"2: shadow.policies", "3: shadow.queue"}},
		{"bad opt-out scope", "tenants:\n  acme:\n    opt_out_scope: all\n", []string{"3: tenants.acme.opt_out_scope"}},
		{"bad dlt template", "tenants:\n  acme:\n    dlt_templates:\n      - {header: HDFCBK, id: t1, category: promo, text: \"x {#var#}\"}\n", []string{"4: tenants.acme.dlt_templates[0]"}},
		{"model threshold above 1", "tenants:\n  acme:\n    model:\n      fraud_review: 0.3\n      spam_block: 1.5\n", []string{"5: tenants.acme.model.spam_block"}},
		{"model threshold zero", "tenants:\n  acme:\n    model: {fraud_block: 0}\n", []string{"3: tenants.acme.model.fraud_block"}},
		{"model threshold not a number", "tenants:\n  acme:\n    model:\n      spam_review: high\n", []string{"4: tenants.acme.model.spam_review"}},
		{"unknown model threshold", "tenants:\n  acme:\n    model:\n      fraud: 0.5\n", []string{"4: tenants.acme.model.fraud"}},
		{"tenants differing in case", "tenants:\n  acme: {}\n  ACME: {}\n", []string{"2: tenants.acme"}},
		{"url unsigned", "policies:\n  url: https://example.com/b.tar.gz\n", []string{"1: policies.verification_key"}},
		{"two sources", "policies:\n  dir: " + dir + "\n  url: https://example.com/b.tar.gz\n", []string{"1: policies", "1: policies.verification_key"}},
		{"bad mapping", "protocol_mapping:\n  quiet_hours: {smpp: 100, http: 42}\n", []string{"2: protocol_mapping.quiet_hours", "2: protocol_mapping.quiet_hours.http"}},
		{"cluster db", "store:\n  type: redis-cluster\n  addrs: [a:1, b:2]\n  db: 3\n", []string{"4: store.db"}},
		{"negative store bound", "store:\n  type: memory\n  max_entries: -1\n", []string{"3: store.max_entries"}},
		{"store bound on redis", "store:\n  type: redis\n  addrs: [a:1]\n  max_opt_outs: 10\n", []string{"4: store.max_opt_outs"}},
		{"store bound without a store", "store:\n  type: none\n  max_entries: 10\n", []string{"3: store.max_entries"}},
		{"gc percent below -1", "runtime:\n  gc_percent: -5\n", []string{"2: runtime.gc_percent"}},
		{"gc off without a limit", "runtime:\n  gc_percent: -1\n", []string{"2: runtime.gc_percent"}},
		{"memory limit unit", "runtime:\n  memory_limit: 1GB\n", []string{"2: runtime.memory_limit"}},
		{"syntax", "addr: [\n", []string{"1:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("svc.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatalf("Parse(%q) = nil error, want %v", tc.yaml, tc.want)
			}
			var got []string
			for _, e := range unjoin(err) {
				var ce *Error
				if !errors.As(e, &ce) {
					t.Fatalf("error %v is not a *config.Error", e)
				}
				if ce.File != "svc.yaml" {
					t.Errorf("error %v names file %q", ce, ce.File)
				}
				got = append(got, strings.TrimSpace(strings.Join([]string{strconv.Itoa(ce.Line) + ":", ce.Key}, " ")))
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("Parse(%q) errors at %q, want %q\n%v", tc.yaml, got, tc.want, err)
			}
		})
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// TestTenants: tenant names are case-insensitive, and the compliance fields
// reach filter.Tenant.
func TestTenants(t *testing.T) {
	c, err := Parse("svc.yaml", []byte("tenants:\n  acme:\n    opt_out_scope: sender\n    dlt_templates:\n"+
		"      - {header: HDFCBK, id: t1, category: transactional, text: \"Your code is {#numeric#}\"}\n"+
		"    model: {fraud_review: 0.3, spam_block: 1, corroborated: 0.4}\n"))
	if err != nil {
		t.Fatal(err)
	}
	ft, err := c.Tenants["acme"].filter()
	if err != nil || ft.OptOutScope != filter.OptOutSender || len(ft.DLTTemplates) != 1 || ft.DLTTemplates[0].ID != "t1" {
		t.Errorf("filter() = %+v, %v; want scope sender and template t1", ft, err)
	}
	if want := (filter.ModelThresholds{FraudReview: 0.3, SpamBlock: 1, Corroborated: 0.4}); ft.Model != want {
		t.Errorf("filter().Model = %+v, want %+v", ft.Model, want)
	}
	for _, tc := range []struct {
		name string
		want bool
	}{{"acme", true}, {"ACME", true}, {"", true}, {"acne", false}} {
		if got := KnownTenant(c.Tenants, tc.name); got != tc.want {
			t.Errorf("KnownTenant(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
	if !KnownTenant(nil, "anyone") {
		t.Error("KnownTenant without tenants refuses a name; want any accepted")
	}
}

func TestRedactedSecrets(t *testing.T) {
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("x"), 0o600)
	c, err := Parse("s.yaml", []byte("bearer_token: tok-123\nstore:\n  type: redis\n  addrs: [127.0.0.1:6379]\n  password: hunter2\n"))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := c.Marshal()
	if strings.Contains(string(out), "hunter2") || strings.Contains(string(out), "tok-123") {
		t.Errorf("printed config shows a secret:\n%s", out)
	}
	if c.Store.Password != "hunter2" {
		t.Errorf("Redacted changed the config itself")
	}
}

// TestRuntime: the file's collector settings apply unless the environment
// sets GOGC or GOMEMLIMIT, the default is DefaultGCPercent and no limit,
// and -print-config shows what applies.
func TestRuntime(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	tests := []struct {
		name          string
		r             Runtime
		getenv        func(string) string
		gc            int
		limit         int64
		gcFrom, limFr string
	}{
		{"defaults", Runtime{}, env(), DefaultGCPercent, 0, "default", "none"},
		{"file", Runtime{GCPercent: 300, MemoryLimit: "1536MiB"}, env(), 300, 1536 << 20, "runtime.gc_percent", "runtime.memory_limit"},
		{"environment wins", Runtime{GCPercent: 300, MemoryLimit: "1GiB"}, env("GOGC", "50", "GOMEMLIMIT", "2GiB"), 50, 2 << 30, "GOGC", "GOMEMLIMIT"},
		{"GOGC off", Runtime{}, env("GOGC", "off"), -1, 0, "GOGC", "none"},
		{"bytes without unit", Runtime{MemoryLimit: "1000000"}, env(), DefaultGCPercent, 1e6, "default", "runtime.memory_limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gc, limit, gcFrom, limFrom := tc.r.Effective(tc.getenv)
			if gc != tc.gc || limit != tc.limit || gcFrom != tc.gcFrom || limFrom != tc.limFr {
				t.Errorf("%+v.Effective = %d %d %s %s, want %d %d %s %s", tc.r, gc, limit, gcFrom, limFrom, tc.gc, tc.limit, tc.gcFrom, tc.limFr)
			}
		})
	}
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	c, err := Parse("svc.yaml", []byte("runtime:\n  memory_limit: 2GiB\n"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"gc_percent: " + strconv.Itoa(DefaultGCPercent), "memory_limit: 2GiB"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("printed config lacks %q:\n%s", want, out)
		}
	}
	t.Setenv("GOGC", "75")
	if out, _ := c.Marshal(); !strings.Contains(string(out), "gc_percent: 75") {
		t.Errorf("printed config with GOGC=75 lacks gc_percent: 75:\n%s", out)
	}
}
