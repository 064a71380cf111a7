package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/state/redisstore"
	"github.com/msgfilter/msgfilter/state/redisstore/redistest"
)

// Messages with known decisions under the embedded packs.
const (
	otpMsg   = `{"id":"otp","channel":"sms","kind":"otp","sender":"Acme","recipient":"+12025550123","body":"Your code is 4821","time":"2026-11-24T10:00:00Z"}`
	trPromo  = `{"id":"tr","channel":"sms","kind":"promotional","sender":"Shop","recipient":"+905321234567","body":"İndirim","time":"2026-11-24T10:00:00Z"}`
	aeNight  = `{"id":"ae","channel":"sms","kind":"promotional","sender":"AD-Shop","recipient":"+971501234567","body":"Big sale on shoes today","time":"2026-11-24T20:00:00Z"}`
	hkSender = `{"id":"hk","channel":"sms","kind":"transactional","sender":"Shop","recipient":"+85251234567","body":"Your parcel has shipped","time":"2026-11-24T05:00:00Z"}`
	usPromo  = `{"id":"us-promo","channel":"sms","kind":"promotional","sender":"+12025550100","recipient":"+12025550199","body":"Sale this weekend, reply STOP to opt out","time":"2026-11-24T18:00:00Z"}`
	usStop   = `{"id":"in-1","channel":"sms","sender":"+12025550100","recipient":"+12025550199","body":"STOP","time":"2026-11-24T17:00:00Z"}`
)

// aeNow is the clock of the tests: the AE message's time.
var aeNow = time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)

// testServer is a Handler behind a real loopback listener.
type testServer struct {
	url     string
	handler *Handler
	reg     *prometheus.Registry
}

func newEngine(t testing.TB, opts ...filter.Option) *filter.Engine {
	t.Helper()
	e, err := filter.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// start serves h on a loopback port with the package's own server setup
// (timeouts, h2c) until the test ends.
func start(t testing.TB, h http.Handler, to Timeouts) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer("", h, to)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, srv, ln, 5*time.Second) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

func newTestServer(t testing.TB, e *filter.Engine, opts ...Option) *testServer {
	t.Helper()
	reg := prometheus.NewRegistry()
	if e == nil {
		e = newEngine(t, filter.WithMetrics(reg))
	}
	h, err := New(e, append([]Option{WithMetrics(reg, reg), WithClock(func() time.Time { return aeNow })}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{url: start(t, h, Timeouts{}), handler: h, reg: reg}
}

type reply struct {
	code   int
	header http.Header
	body   []byte
}

func (r reply) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("answer %d %q is not JSON: %v", r.code, r.body, err)
	}
}

func do(t testing.TB, method, url, body string, header ...string) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header, b}
}

func TestCheckOne(t *testing.T) {
	s := newTestServer(t, nil)
	tests := []struct {
		name       string
		msg        string
		code       int
		action     filter.Action
		smpp       uint32
		retryAfter string
	}{
		{"allow", otpMsg, 200, filter.Allow, ESMEROK, ""},
		{"block", trPromo, 403, filter.Block, ESMERXPAPPN, ""},
		{"sender code", hkSender, 403, filter.Block, ESMERINVSRCADR, ""},
		// 00:00 in Dubai; the window opens at 07:00 (03:00 UTC): 7 hours.
		{"defer", aeNight, 429, filter.Defer, ESMERXTAPPN, "25200"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, "POST", s.url+"/v1/check", tc.msg)
			var got struct{ Decision Result }
			r.decode(t, &got)
			d := got.Decision
			if r.code != tc.code || d.Decision == nil || d.Action != tc.action || d.SMPPStatus != tc.smpp || d.HTTPStatus != tc.code {
				t.Errorf("POST /v1/check %s = %d %s, want %d, action %s, smpp_status %#x", tc.name, r.code, r.body, tc.code, tc.action, tc.smpp)
			}
			if ra := r.header.Get("Retry-After"); ra != tc.retryAfter {
				t.Errorf("Retry-After = %q, want %q", ra, tc.retryAfter)
			}
		})
	}
}

func TestMappingOverrides(t *testing.T) {
	over := Status{SMPP: 0x45, HTTP: 451}
	s := newTestServer(t, nil, WithMapping(Mapping{Overrides: map[filter.Code]Status{filter.PromotionalNotAllowed: over}}))
	var got struct{ Decision Result }
	r := do(t, "POST", s.url+"/v1/check", trPromo)
	r.decode(t, &got)
	if r.code != 451 || got.Decision.SMPPStatus != 0x45 {
		t.Errorf("overridden PROMOTIONAL_NOT_ALLOWED = %d %s, want 451 with smpp_status 0x45", r.code, r.body)
	}
	// The ham twin: a code without an override keeps the default.
	r = do(t, "POST", s.url+"/v1/check", hkSender)
	if r.code != 403 {
		t.Errorf("SENDER_ID_FORMAT without an override = %d %s, want 403", r.code, r.body)
	}
}

func TestMappingEngineError(t *testing.T) {
	tests := []struct {
		name string
		d    filter.Decision
		want Status
	}{
		{"held", filter.Decision{Action: filter.Block, Reasons: []filter.Reason{{Code: filter.EngineError}}}, Status{ESMERSYSERR, 503}},
		{"fail open", filter.Decision{Action: filter.Allow, Reasons: []filter.Reason{{Code: filter.EngineError}}}, Status{ESMEROK, 200}},
		{"rate limit", filter.Decision{Action: filter.Block, Reasons: []filter.Reason{{Code: filter.RateLimit}}}, Status{ESMERTHROTTLED, 429}},
		{"review", filter.Decision{Action: filter.Review, Reasons: []filter.Reason{{Code: filter.FraudLure}}}, Status{ESMEROK, 200}},
		{"block before sender code", filter.Decision{Action: filter.Block, Reasons: []filter.Reason{{Code: filter.PoliticalContent}, {Code: filter.SenderIDFormat}}}, Status{ESMERINVSRCADR, 403}},
	}
	for _, tc := range tests {
		if got := (Mapping{}).Status(&tc.d); got != tc.want {
			t.Errorf("Status(%s) = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestCheckBatchInOrder(t *testing.T) {
	s := newTestServer(t, nil)
	const n = 1000
	var array, lines bytes.Buffer
	array.WriteByte('[')
	for i := range n {
		var m map[string]any
		src := []string{otpMsg, trPromo, aeNight, hkSender}[i%4]
		json.Unmarshal([]byte(src), &m)
		m["id"] = "m" + strconv.Itoa(i)
		b, _ := json.Marshal(m)
		if i > 0 {
			array.WriteByte(',')
		}
		array.Write(b)
		lines.Write(b)
		lines.WriteByte('\n')
	}
	array.WriteByte(']')
	want := []filter.Action{filter.Allow, filter.Block, filter.Defer, filter.Block}
	for name, body := range map[string]string{"array": array.String(), "jsonl": lines.String()} {
		t.Run(name, func(t *testing.T) {
			r := do(t, "POST", s.url+"/v1/check", body)
			var got struct{ Decisions []Result }
			r.decode(t, &got)
			if r.code != 200 || len(got.Decisions) != n {
				t.Fatalf("batch of %d = %d with %d decisions", n, r.code, len(got.Decisions))
			}
			for i, d := range got.Decisions {
				if d.ID != "m"+strconv.Itoa(i) || d.Decision == nil || d.Action != want[i%4] {
					t.Fatalf("decision %d = %+v, want id m%d, action %s", i, d, i, want[i%4])
				}
			}
		})
	}
}

func TestCheckBatchBadItems(t *testing.T) {
	s := newTestServer(t, nil, WithTenants(func(n string) bool { return n == "acme" }))
	body := strings.Join([]string{
		otpMsg,
		`{"id":"typo","channel":"sms","kind":"otp","sender":"Acme","recipent":"+12025550123","body":"x"}`,
		`not json`,
		`{"id":"bad-kind","channel":"sms","kind":"marketing","sender":"Acme","recipient":"+12025550123","body":"x"}`,
		`{"id":"who","channel":"sms","kind":"otp","tenant":"acne","sender":"Acme","recipient":"+12025550123","body":"x"}`,
		trPromo,
	}, "\n")
	r := do(t, "POST", s.url+"/v1/check", body, "Content-Type", "application/x-ndjson")
	var got struct{ Decisions []Result }
	r.decode(t, &got)
	want := []struct {
		id, field string
		code      int
	}{{"otp", "", 200}, {"typo", "recipent", 400}, {"", "", 400}, {"bad-kind", "kind", 400}, {"who", "tenant", 400}, {"tr", "", 403}}
	if r.code != 200 || len(got.Decisions) != len(want) {
		t.Fatalf("batch = %d %s", r.code, r.body)
	}
	for i, w := range want {
		d := got.Decisions[i]
		if d.ID != w.id || d.Field != w.field || d.HTTPStatus != w.code || (w.code == 400) != (d.Error != "") || d.SMPPStatus == ESMEROK && w.code != 200 {
			t.Errorf("item %d = %+v, want id %q, field %q, http_status %d", i, d, w.id, w.field, w.code)
		}
	}
}

func TestBadRequests(t *testing.T) {
	s := newTestServer(t, nil, WithTenants(func(n string) bool { return n == "acme" }), WithMaxBodyBytes(1<<20))
	big := `{"id":"big","channel":"sms","kind":"otp","sender":"Acme","recipient":"+12025550123","body":"` + strings.Repeat("a", 10<<20) + `"}`
	tests := []struct {
		name, path, body string
		code             int
		field, errPart   string
	}{
		{"malformed JSON", "/v1/check", `{"id":`, 400, "", "malformed JSON"},
		{"wrong type", "/v1/check", `{"id":"x","channel":7}`, 400, "channel", "malformed JSON"},
		{"bad time", "/v1/check", `{"id":"x","channel":"sms","kind":"otp","sender":"A","recipient":"+12025550123","body":"x","time":"yesterday"}`, 400, "time", "parsing time"},
		{"empty", "/v1/check", ``, 400, "", "empty body"},
		{"invalid recipient", "/v1/check", `{"id":"x","channel":"sms","kind":"otp","sender":"A","recipient":"12","body":"x"}`, 400, "recipient", "invalid recipient"},
		{"country disagrees", "/v1/check", `{"id":"x","channel":"sms","kind":"otp","country":"XX","sender":"A","recipient":"+12025550123","body":"x"}`, 400, "country", "invalid country"},
		{"unknown tenant", "/v1/check", `{"id":"x","channel":"sms","kind":"otp","tenant":"nobody","sender":"A","recipient":"+12025550123","body":"x"}`, 400, "tenant", "unknown tenant"},
		{"unknown tenant explain", "/v1/explain", `{"id":"x","channel":"sms","kind":"otp","tenant":"nobody","sender":"A","recipient":"+12025550123","body":"x"}`, 400, "tenant", "unknown tenant"},
		{"unknown tenant inbound", "/v1/inbound", `{"id":"x","channel":"sms","tenant":"nobody","sender":"A","recipient":"+12025550123","body":"STOP"}`, 400, "tenant", "unknown tenant"},
		{"10 MB body", "/v1/check", big, 413, "", "larger than"},
		{"10 MB inbound", "/v1/inbound", big, 413, "", "larger than"},
		{"explain malformed", "/v1/explain", `[`, 400, "", "malformed JSON"},
		{"explain batch", "/v1/explain", "[" + otpMsg + "]", 400, "", "malformed JSON"},
		{"inbound invalid", "/v1/inbound", `{"id":"x","channel":"fax","sender":"A","recipient":"+12025550123","body":"STOP"}`, 400, "channel", "invalid channel"},
		{"inbound unknown field", "/v1/inbound", `{"id":"x","chanel":"sms"}`, 400, "chanel", "unknown field"},
		{"inbound outbound direction", "/v1/inbound", `{"direction":"outbound","id":"x","channel":"sms","sender":"A","recipient":"+12025550123","body":"STOP"}`, 400, "direction", `must be "inbound"`},
		{"report without a body", "/v1/report", `{"id":"x","label":"spam"}`, 400, "body", "invalid body"},
		{"report bad label", "/v1/report", `{"id":"x","label":"phishing","body":"x"}`, 400, "label", "invalid label"},
		{"report unknown tenant", "/v1/report", `{"id":"x","label":"spam","tenant":"nobody","body":"x"}`, 400, "tenant", "unknown tenant"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, "POST", s.url+tc.path, tc.body)
			var got errorBody
			r.decode(t, &got)
			if r.code != tc.code || got.Field != tc.field || !strings.Contains(got.Error, tc.errPart) {
				t.Errorf("POST %s (%s) = %d %+v, want %d, field %q, error containing %q", tc.path, tc.name, r.code, got, tc.code, tc.field, tc.errPart)
			}
		})
	}
	// The ham twin of the unknown tenant: a configured one is decided.
	if r := do(t, "POST", s.url+"/v1/check", strings.Replace(otpMsg, `"id":"otp"`, `"id":"otp","tenant":"acme"`, 1)); r.code != 200 {
		t.Errorf("known tenant = %d %s, want 200", r.code, r.body)
	}
	if r := do(t, "GET", s.url+"/v1/check", ""); r.code != http.StatusMethodNotAllowed {
		t.Errorf("GET /v1/check = %d, want 405", r.code)
	}
}

func TestBearerToken(t *testing.T) {
	s := newTestServer(t, nil, WithBearerToken("s3cret"))
	for _, tc := range []struct {
		name, method, path, body, auth string
		code                           int
	}{
		{"check without token", "POST", "/v1/check", otpMsg, "", 401},
		{"check with wrong token", "POST", "/v1/check", otpMsg, "Bearer s3cre", 401},
		{"check with token", "POST", "/v1/check", otpMsg, "Bearer s3cret", 200},
		{"metrics without token", "GET", "/metrics", "", "", 401},
		{"reload without token", "POST", "/v1/reload", "", "", 401},
		{"healthz without token", "GET", "/healthz", "", "", 200},
		{"readyz without token", "GET", "/readyz", "", "", 200},
	} {
		var h []string
		if tc.auth != "" {
			h = []string{"Authorization", tc.auth}
		}
		if r := do(t, tc.method, s.url+tc.path, tc.body, h...); r.code != tc.code {
			t.Errorf("%s = %d %s, want %d", tc.name, r.code, r.body, tc.code)
		}
	}
}

func TestInboundThenOptedOut(t *testing.T) {
	s := newTestServer(t, nil)
	// The ham twin first: before the STOP the promotion goes out.
	before := strings.Replace(usPromo, `"us-promo"`, `"before"`, 1)
	before = strings.Replace(before, "18:00:00", "16:00:00", 1)
	if r := do(t, "POST", s.url+"/v1/check", before); r.code != 200 {
		t.Fatalf("promotion before STOP = %d %s, want 200", r.code, r.body)
	}
	r := do(t, "POST", s.url+"/v1/inbound", strings.Replace(usStop, "{", `{"direction":"inbound",`, 1))
	var in filter.InboundResult
	r.decode(t, &in)
	if r.code != 200 || !in.OptOut || in.ID != "in-1" {
		t.Fatalf("POST /v1/inbound STOP = %d %s, want an opt-out", r.code, r.body)
	}
	wantOptedOut(t, s.url, usPromo)
}

func wantOptedOut(t *testing.T, url, msg string) {
	t.Helper()
	r := do(t, "POST", url+"/v1/check", msg)
	var got struct{ Decision Result }
	r.decode(t, &got)
	if r.code != 403 || got.Decision.Decision == nil || len(got.Decision.Reasons) == 0 || got.Decision.Reasons[0].Code != filter.OptedOut {
		t.Fatalf("promotion after STOP = %d %s, want 403 OPTED_OUT", r.code, r.body)
	}
}

func TestInboundWithoutStore(t *testing.T) {
	s := newTestServer(t, newEngine(t, filter.WithStore(nil)))
	r := do(t, "POST", s.url+"/v1/inbound", usStop)
	if r.code != http.StatusNotImplemented || !bytes.Contains(r.body, []byte("no conversation state")) {
		t.Errorf("inbound without a store = %d %s, want 501", r.code, r.body)
	}
}

// TestInboundStoreDown: an opt-out that could not be recorded is a 503 to
// retry, never a 200.
func TestInboundStoreDown(t *testing.T) {
	srv := redistest.Start(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr(), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { c.Close() })
	st, err := redisstore.New(c, redisstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ready := func(ctx context.Context) (string, error) {
		if err := c.Ping(ctx).Err(); err != nil {
			return "", err
		}
		p, err := st.CheckPersistence(ctx)
		return p.String(), err
	}
	s := newTestServer(t, newEngine(t, filter.WithStore(st)), WithReadiness(ready))
	r := do(t, "GET", s.url+"/readyz", "")
	var got struct{ Status, Store string }
	r.decode(t, &got)
	if r.code != 200 || !strings.HasPrefix(got.Store, "appendonly ") {
		t.Fatalf("readyz with Redis up = %d %s, want 200 with the store's persistence", r.code, r.body)
	}
	srv.Kill()
	if r := do(t, "POST", s.url+"/v1/inbound", usStop); r.code != 503 || r.header.Get("Retry-After") == "" {
		t.Errorf("inbound with Redis down = %d %s, want 503 with Retry-After", r.code, r.body)
	}
	if r := do(t, "GET", s.url+"/readyz", ""); r.code != 503 {
		t.Errorf("readyz with Redis down = %d %s, want 503", r.code, r.body)
	}
	if r := do(t, "GET", s.url+"/healthz", ""); r.code != 200 {
		t.Errorf("healthz with Redis down = %d, want 200: the process is alive", r.code)
	}
}

// TestSharedRedis: a STOP recorded through one server stops a promotion
// checked through another that shares the Redis.
func TestSharedRedis(t *testing.T) {
	addr := redistest.Addr(t)
	var b [8]byte
	rand.Read(b[:])
	prefix := "msgfilter-server-test:" + hex.EncodeToString(b[:]) + ":"
	admin := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() {
		ctx := context.Background()
		iter := admin.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			admin.Del(ctx, iter.Val())
		}
		admin.Close()
	})
	var urls []string
	for range 2 {
		c := redis.NewClient(&redis.Options{Addr: addr})
		t.Cleanup(func() { c.Close() })
		st, err := redisstore.New(c, redisstore.Config{Prefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, newTestServer(t, newEngine(t, filter.WithStore(st))).url)
	}
	if r := do(t, "POST", urls[1]+"/v1/check", strings.Replace(usPromo, "18:00:00", "16:00:00", 1)); r.code != 200 {
		t.Fatalf("promotion on server 2 before the STOP = %d %s, want 200", r.code, r.body)
	}
	if r := do(t, "POST", urls[0]+"/v1/inbound", usStop); r.code != 200 {
		t.Fatalf("STOP on server 1 = %d %s", r.code, r.body)
	}
	wantOptedOut(t, urls[1], usPromo)
}

// TestReportThenFlagged: fraud reports posted to one server flag the
// campaign's next message on another that shares the Redis, and its ham
// twin stays clean.
func TestReportThenFlagged(t *testing.T) {
	addr := redistest.Addr(t)
	var b [8]byte
	rand.Read(b[:])
	prefix := "msgfilter-server-test:" + hex.EncodeToString(b[:]) + ":"
	admin := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() {
		ctx := context.Background()
		iter := admin.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			admin.Del(ctx, iter.Val())
		}
		admin.Close()
	})
	var urls []string
	for range 2 {
		c := redis.NewClient(&redis.Options{Addr: addr})
		t.Cleanup(func() { c.Close() })
		st, err := redisstore.New(c, redisstore.Config{Prefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, newTestServer(t, newEngine(t, filter.WithStore(st))).url)
	}
	const campaign = `{"id":"c","channel":"sms","kind":"transactional","sender":"Acme","recipient":"+12025550123","body":"Your loyalty points expire tonight, claim them now at points-club.example/r","time":"2026-11-24T16:00:00Z"}`
	codes := func(url, msg string) []filter.Code {
		t.Helper()
		r := do(t, "POST", url+"/v1/check", msg)
		var got struct{ Decision Result }
		r.decode(t, &got)
		if got.Decision.Decision == nil {
			t.Fatalf("check = %d %s", r.code, r.body)
		}
		var cs []filter.Code
		for _, r := range got.Decision.Reasons {
			cs = append(cs, r.Code)
		}
		return cs
	}
	if got := codes(urls[1], campaign); len(got) != 0 {
		t.Fatalf("campaign before reports = %v, want allow", got)
	}
	for range 3 {
		r := do(t, "POST", urls[0]+"/v1/report", strings.Replace(campaign, "{", `{"label":"fraud",`, 1))
		if r.code != 200 || !bytes.Contains(r.body, []byte(`"label":"fraud"`)) {
			t.Fatalf("POST /v1/report = %d %s, want 200", r.code, r.body)
		}
	}
	if got := codes(urls[1], campaign); !slices.Contains(got, filter.FraudSuspected) {
		t.Errorf("campaign after reports on the other server = %v, want FRAUD_SUSPECTED", got)
	}
	if got := codes(urls[1], otpMsg); len(got) != 0 {
		t.Errorf("the OTP twin after the reports = %v, want allow", got)
	}
}

func TestExplain(t *testing.T) {
	s := newTestServer(t, nil)
	r := do(t, "POST", s.url+"/v1/explain", trPromo)
	var got struct {
		Decision   filter.Decision
		Facts      map[string]any
		Rules      map[string]string
		SMPPStatus uint32 `json:"smpp_status"`
	}
	r.decode(t, &got)
	if r.code != 200 || got.Decision.Action != filter.Block || got.Facts == nil || got.Rules["tr/promotional-not-allowed"] == "" || got.SMPPStatus != ESMERXPAPPN {
		t.Errorf("POST /v1/explain = %d %s, want the decision, facts and rule titles", r.code, r.body)
	}
}

// copyPolicies copies the embedded packs to a directory the test may break.
func copyPolicies(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, path), 0o755)
		}
		b, err := fs.ReadFile(policies.FS, path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, path), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestReload(t *testing.T) {
	dir := copyPolicies(t)
	s := newTestServer(t, newEngine(t, filter.WithPolicies(os.DirFS(dir))))
	rev := s.handler.Engine().Revision()
	if r := do(t, "POST", s.url+"/v1/reload", ""); r.code != 200 || !bytes.Contains(r.body, []byte(rev)) {
		t.Fatalf("reload of unchanged policies = %d %s, want 200 naming %s", r.code, r.body, rev)
	}
	broken := filepath.Join(dir, "countries", "tr", "broken.rego")
	if err := os.WriteFile(broken, []byte("package msgfilter.countries.tr\n\ndeny contains x if {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := do(t, "POST", s.url+"/v1/reload", "")
	if r.code != 500 || !bytes.Contains(r.body, []byte("running revision stays")) || !bytes.Contains(r.body, []byte(rev)) {
		t.Errorf("reload of a broken policy = %d %s, want 500 naming the running revision", r.code, r.body)
	}
	var got struct{ Decision Result }
	r = do(t, "POST", s.url+"/v1/check", trPromo)
	r.decode(t, &got)
	if r.code != 403 || got.Decision.Revision != rev {
		t.Errorf("check after a refused reload = %d %s, want 403 from revision %s", r.code, r.body, rev)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	s := newTestServer(t, nil)
	if r := do(t, "GET", s.url+"/healthz", ""); r.code != 200 {
		t.Errorf("healthz = %d", r.code)
	}
	r := do(t, "GET", s.url+"/readyz", "")
	if r.code != 200 || !bytes.Contains(r.body, []byte(s.handler.Engine().Revision())) {
		t.Errorf("readyz = %d %s", r.code, r.body)
	}
	do(t, "POST", s.url+"/v1/check", otpMsg)
	do(t, "POST", s.url+"/v1/check", `{`)
	r = do(t, "GET", s.url+"/metrics", "")
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(bytes.NewReader(r.body))
	if r.code != 200 || err != nil {
		t.Fatalf("metrics = %d, parse error %v", r.code, err)
	}
	for _, name := range []string{"http_requests_total", "http_request_duration_seconds", "msgfilter_checks_total"} {
		if families[name] == nil {
			t.Errorf("metrics lack %s", name)
		}
	}
	codes := map[string]bool{}
	for _, m := range families["http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "code" {
				codes[l.GetValue()] = true
			}
		}
	}
	if !codes["200"] || !codes["400"] {
		t.Errorf("http_requests_total codes = %v, want 200 and 400", codes)
	}
}

func TestH2C(t *testing.T) {
	s := newTestServer(t, nil)
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	c := &http.Client{Transport: &http.Transport{Protocols: &p}}
	resp, err := c.Post(s.url+"/v1/check", "application/json", strings.NewReader(otpMsg))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.ProtoMajor != 2 || resp.StatusCode != 200 {
		t.Errorf("h2c check = %s %d, want HTTP/2 200", resp.Proto, resp.StatusCode)
	}
}

// TestSlowHeaders: a client that trickles its headers (slowloris) has its
// connection closed once ReadHeader has passed, without an answer.
func TestSlowHeaders(t *testing.T) {
	h, err := New(newEngine(t))
	if err != nil {
		t.Fatal(err)
	}
	url := start(t, h, Timeouts{ReadHeader: 300 * time.Millisecond})
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	began := time.Now()
	fmt.Fprint(conn, "POST /v1/check HTTP/1.1\r\nHost: x\r\n")
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	var closedAt time.Duration
	for i := 0; i < 100; i++ {
		time.Sleep(50 * time.Millisecond)
		if _, err := fmt.Fprintf(conn, "X-Slow-%d: y\r\n", i); err != nil {
			closedAt = time.Since(began)
			break
		}
	}
	if closedAt == 0 {
		// The server closed before our writes noticed: reading gives EOF,
		// or a reset when the peer's close met the headers we sent after it.
		b, err := io.ReadAll(conn)
		if len(b) > 0 || (err != nil && !errors.Is(err, syscall.ECONNRESET)) {
			t.Fatalf("slow headers got %q, %v; want the connection closed", b, err)
		}
		closedAt = time.Since(began)
	}
	if closedAt > 3*time.Second {
		t.Errorf("slow headers held the connection %s, want it closed after the 300ms header timeout", closedAt)
	}
}

// TestShutdownDrains: the shutdown SIGTERM triggers lets 100 requests in
// flight finish and answers every one of them.
func TestShutdownDrains(t *testing.T) {
	h, err := New(newEngine(t))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// A request is in flight once its handler runs. (net/http's own
	// StateActive comes a moment earlier, before its shutdown check: a
	// request whose headers arrive as the shutdown starts is closed
	// unanswered, which a client sees as a connection that never took it.)
	var mu sync.Mutex
	entered := 0
	allIn := make(chan struct{})
	srv := NewServer("", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if entered++; entered == 100 {
			close(allIn)
		}
		mu.Unlock()
		h.ServeHTTP(w, r)
	}), Timeouts{})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, srv, ln, 10*time.Second) }()

	// Each client sends its headers and half its body, then waits: the
	// request is in flight when the shutdown starts.
	const n = 100
	conns := make([]net.Conn, n)
	half := len(otpMsg) / 2
	for i := range conns {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s", len(otpMsg), otpMsg[:half])
		conns[i] = c
	}
	select {
	case <-allIn:
	case <-time.After(10 * time.Second):
		t.Fatal("100 requests were not in flight after 10s")
	}
	cancel() // what SIGTERM does in msgfilter serve
	time.Sleep(100 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		c.Close()
		t.Error("the listener still accepts during the drain")
	}
	var wg sync.WaitGroup
	answered := make(chan int, n)
	for _, c := range conns {
		wg.Go(func() {
			c.SetDeadline(time.Now().Add(10 * time.Second))
			io.WriteString(c, otpMsg[half:])
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Errorf("request in flight lost: %v", err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode == 200 && bytes.Contains(body, []byte(`"action":"allow"`)) {
				answered <- 1
			} else {
				t.Errorf("request in flight = %d %s", resp.StatusCode, body)
			}
		})
	}
	wg.Wait()
	if len(answered) != n {
		t.Errorf("%d of %d requests in flight answered", len(answered), n)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve after the drain = %v, want nil", err)
	}
}
