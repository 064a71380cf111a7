package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/state"
)

// DefaultMaxBodyBytes caps a request body: a batch of a few thousand
// messages.
const DefaultMaxBodyBytes = 4 << 20

// Option configures a Handler.
type Option func(*options)

type options struct {
	token    string
	maxBody  int64
	mapping  Mapping
	reg      prometheus.Registerer
	gatherer prometheus.Gatherer
	reload   func(ctx context.Context) error
	ready    func(ctx context.Context) (string, error)
	tenants  func(name string) bool
	clock    func() time.Time
	logger   *slog.Logger
}

// WithBearerToken requires "Authorization: Bearer token" on every endpoint
// but /healthz and /readyz. An empty token turns the check off (the
// default).
func WithBearerToken(token string) Option { return func(o *options) { o.token = token } }

// WithMaxBodyBytes caps request bodies (default DefaultMaxBodyBytes); a
// larger body gets 413. n <= 0 keeps the default.
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) {
		if n > 0 {
			o.maxBody = n
		}
	}
}

// WithMapping sets the protocol mapping (default: the zero Mapping).
func WithMapping(m Mapping) Option { return func(o *options) { o.mapping = m } }

// WithMetrics registers the service's own metrics (http_requests_total,
// http_request_duration_seconds) with r and serves g on /metrics; give the
// Engine the same registry (filter.WithMetrics) to see both. Without it
// /metrics is 404.
func WithMetrics(r prometheus.Registerer, g prometheus.Gatherer) Option {
	return func(o *options) { o.reg, o.gatherer = r, g }
}

// WithReload sets what POST /v1/reload does (default: Reload the engine
// from the source it was created with). "msgfilter serve" reloads its
// configuration file with the policies.
func WithReload(reload func(ctx context.Context) error) Option {
	return func(o *options) { o.reload = reload }
}

// WithReadiness adds a check to /readyz, such as a ping of the state store:
// an error makes the service not ready (503), and the string it returns
// otherwise is shown as the answer's "store" field (e.g. Redis's
// persistence settings, so an operator sees when acknowledged opt-outs
// would not survive a restart of the store).
func WithReadiness(ready func(ctx context.Context) (string, error)) Option {
	return func(o *options) { o.ready = ready }
}

// WithTenants makes messages whose tenant is not empty and not known
// invalid (400, field "tenant", on /v1/check, /v1/explain and /v1/inbound
// alike), so that a typo cannot escape a tenant's rules. known must compare
// names as the engine does, case-insensitively ("ACME" is tenant "acme",
// see filter.Tenant; config.KnownTenant does). Without it any tenant name
// is accepted.
func WithTenants(known func(name string) bool) Option {
	return func(o *options) { o.tenants = known }
}

// WithClock sets the clock Retry-After is computed from (default time.Now).
func WithClock(now func() time.Time) Option { return func(o *options) { o.clock = now } }

// WithLogger logs failed reloads and requests that failed on the server's
// side to l. Without it the Handler logs nothing.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// Handler serves the engine over HTTP; see the package documentation.
type Handler struct {
	opts     options
	engine   atomic.Pointer[filter.Engine]
	mux      *http.ServeMux
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// New returns a Handler deciding with e. It fails only when the metrics
// cannot be registered.
func New(e *filter.Engine, opts ...Option) (*Handler, error) {
	o := options{maxBody: DefaultMaxBodyBytes, clock: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{opts: o, mux: http.NewServeMux()}
	h.engine.Store(e)
	if o.reload == nil {
		h.opts.reload = func(ctx context.Context) error { return h.Engine().Reload(ctx, nil) }
	}
	if o.reg != nil {
		h.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total", Help: "HTTP requests by endpoint and status code.",
		}, []string{"endpoint", "code"})
		h.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "http_request_duration_seconds", Help: "HTTP request latency by endpoint.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
		}, []string{"endpoint"})
		for _, c := range []prometheus.Collector{h.requests, h.duration} {
			if err := o.reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	h.route("POST /v1/check", h.check, true)
	h.route("POST /v1/inbound", h.inbound, true)
	h.route("POST /v1/report", h.report, true)
	h.route("POST /v1/explain", h.explain, true)
	h.route("POST /v1/reload", h.reload, true)
	h.route("GET /healthz", h.healthz, false)
	h.route("GET /readyz", h.readyz, false)
	if o.gatherer != nil {
		metrics := promhttp.HandlerFor(o.gatherer, promhttp.HandlerOpts{})
		h.route("GET /metrics", metrics.ServeHTTP, true)
	}
	return h, nil
}

// Engine returns the engine that decides now.
func (h *Handler) Engine() *filter.Engine { return h.engine.Load() }

// SetEngine makes e decide from now on; requests in flight finish with the
// engine they started with. "msgfilter serve" uses it when a reload
// changes what only a new Engine can take (tenants, store, GeoIP paths).
func (h *Handler) SetEngine(e *filter.Engine) { h.engine.Store(e) }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// route registers an endpoint with its authentication and metrics.
func (h *Handler) route(pattern string, fn http.HandlerFunc, auth bool) {
	endpoint := pattern[strings.IndexByte(pattern, ' ')+1:]
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		if auth && !h.authorized(r) {
			sw.Header().Set("WWW-Authenticate", `Bearer realm="msgfilter"`)
			writeError(sw, http.StatusUnauthorized, "missing or wrong bearer token", "")
		} else {
			fn(sw, r)
		}
		if h.requests != nil {
			h.requests.WithLabelValues(endpoint, statusLabel(sw.code)).Inc()
			h.duration.WithLabelValues(endpoint).Observe(time.Since(start).Seconds())
		}
	})
}

func (h *Handler) authorized(r *http.Request) bool {
	if h.opts.token == "" {
		return true
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(h.opts.token)) == 1
}

// statusLabels are the status codes as label values, made once:
// strconv.Itoa allocates for numbers over 99.
var statusLabels = func() (l [600]string) {
	for i := range l {
		l[i] = strconv.Itoa(i)
	}
	return l
}()

func statusLabel(code int) string {
	if code >= 0 && code < len(statusLabels) {
		return statusLabels[code]
	}
	return strconv.Itoa(code)
}

// statusWriter remembers the status code for the metrics.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Result is one decision as the service answers it: the Decision with its
// protocol statuses, or, for a batch item the engine could not read, the
// error and the field it names (Decision nil, HTTPStatus 400).
type Result struct {
	*filter.Decision
	// ID repeats the message's id, also for an item that has no decision.
	ID string `json:"id"`
	// SMPPStatus is the command_status to answer submit_sm with; an item
	// with an error carries ESME_RX_P_APPN, never 0.
	SMPPStatus uint32 `json:"smpp_status"`
	HTTPStatus int    `json:"http_status"`
	// RetryAfter is the seconds until a deferred message may go out.
	RetryAfter int `json:"retry_after,omitempty"`
	// Error is set when the engine could not decide (the decision then
	// follows the fail mode) or could not read the item.
	Error string `json:"error,omitempty"`
	Field string `json:"field,omitempty"`
}

// errorBody is the body of every error answer.
type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func (h *Handler) check(w http.ResponseWriter, r *http.Request) {
	body, ok := h.readBody(w, r)
	if !ok {
		return
	}
	one, items, err := splitBatch(body, r.Header.Get("Content-Type"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), "")
		return
	}
	e := h.Engine()
	if one != nil {
		m, err := decodeMessage(one)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error, err.Field)
			return
		}
		res := h.decide(r.Context(), e, m)
		if res.Decision == nil {
			writeError(w, http.StatusBadRequest, res.Error, res.Field)
			return
		}
		if res.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(res.RetryAfter))
		}
		writeJSON(w, res.HTTPStatus, struct {
			Decision Result `json:"decision"`
		}{res})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	bw := bufio.NewWriterSize(w, 32<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	bw.WriteString(`{"decisions":[`)
	for i, item := range items {
		if i > 0 {
			bw.WriteByte(',')
		}
		var res Result
		if m, err := decodeMessage(item); err != nil {
			res = invalidResult(idOf(item), err.Error, err.Field)
		} else {
			res = h.decide(r.Context(), e, m)
		}
		if err := enc.Encode(res); err != nil {
			return // the client is gone
		}
	}
	bw.WriteString("]}\n")
	bw.Flush()
}

// decide checks one message and maps the decision.
func (h *Handler) decide(ctx context.Context, e *filter.Engine, m *filter.Message) Result {
	if err := h.tenantKnown(m.Tenant); err != nil {
		return invalidResult(m.ID, err.Error, err.Field)
	}
	d, err := e.Check(ctx, m)
	var ve *filter.ValidationError
	if errors.As(err, &ve) {
		return invalidResult(m.ID, ve.Error(), ve.Field)
	}
	st := h.opts.mapping.status(&d, e.ProtocolMapping())
	res := Result{Decision: &d, ID: d.ID, SMPPStatus: st.SMPP, HTTPStatus: st.HTTP, RetryAfter: retryAfter(&d, h.opts.clock())}
	if err != nil {
		res.Error = err.Error()
	}
	return res
}

func invalidResult(id, msg, field string) Result {
	return Result{ID: id, SMPPStatus: ESMERXPAPPN, HTTPStatus: http.StatusBadRequest, Error: msg, Field: field}
}

func (h *Handler) tenantKnown(name string) *errorBody {
	if name == "" || h.opts.tenants == nil || h.opts.tenants(name) {
		return nil
	}
	return &errorBody{Error: "unknown tenant " + strconv.Quote(name), Field: "tenant"}
}

func (h *Handler) explain(w http.ResponseWriter, r *http.Request) {
	body, ok := h.readBody(w, r)
	if !ok {
		return
	}
	m, eb := decodeMessage(body)
	if eb != nil {
		writeError(w, http.StatusBadRequest, eb.Error, eb.Field)
		return
	}
	if eb := h.tenantKnown(m.Tenant); eb != nil {
		writeError(w, http.StatusBadRequest, eb.Error, eb.Field)
		return
	}
	e := h.Engine()
	x, err := e.Explain(r.Context(), m)
	var ve *filter.ValidationError
	if errors.As(err, &ve) {
		writeError(w, http.StatusBadRequest, ve.Error(), ve.Field)
		return
	}
	st := h.opts.mapping.status(&x.Decision, e.ProtocolMapping())
	writeJSON(w, http.StatusOK, struct {
		filter.Explanation
		SMPPStatus uint32 `json:"smpp_status"`
		HTTPStatus int    `json:"http_status"`
		Error      string `json:"error,omitempty"`
	}{x, st.SMPP, st.HTTP, errString(err)})
}

func (h *Handler) inbound(w http.ResponseWriter, r *http.Request) {
	// "direction": "inbound" is allowed so that the lines of a
	// conversation log ("msgfilter check" reads them) can be posted as
	// they are.
	body, ok := h.readBody(w, r)
	if !ok {
		return
	}
	in, err := filter.DecodeInboundMessage(body)
	if err != nil {
		eb := decodeError(err)
		writeError(w, http.StatusBadRequest, eb.Error, eb.Field)
		return
	}
	if eb := h.tenantKnown(in.Tenant); eb != nil {
		writeError(w, http.StatusBadRequest, eb.Error, eb.Field)
		return
	}
	res, err := h.Engine().Inbound(r.Context(), in)
	var ve *filter.ValidationError
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, res)
	case errors.As(err, &ve):
		writeError(w, http.StatusBadRequest, ve.Error(), ve.Field)
	case errors.Is(err, filter.ErrNoStore):
		writeError(w, http.StatusNotImplemented, "this service keeps no conversation state (store: none)", "")
	case errors.Is(err, state.ErrUnavailable), errors.Is(err, state.ErrFull), r.Context().Err() != nil:
		// Nothing was recorded: the gateway must retry, or an opt-out is lost.
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, err.Error(), "")
	default:
		h.opts.logger.Error("inbound", "err", err)
		writeError(w, http.StatusInternalServerError, err.Error(), "")
	}
}

// report records a message reported as fraud, spam or ham: a Message with
// a "label" field, as one JSON object. The model's online layer learns
// from it (Engine.Report): through a Redis store every node at once, with
// the memory store this process only.
func (h *Handler) report(w http.ResponseWriter, r *http.Request) {
	body, ok := h.readBody(w, r)
	if !ok {
		return
	}
	m, label, err := filter.DecodeReport(body)
	if err != nil {
		eb := decodeError(err)
		writeError(w, http.StatusBadRequest, eb.Error, eb.Field)
		return
	}
	if eb := h.tenantKnown(m.Tenant); eb != nil {
		writeError(w, http.StatusBadRequest, eb.Error, eb.Field)
		return
	}
	err = h.Engine().Report(r.Context(), m, label)
	var ve *filter.ValidationError
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, struct {
			ID    string       `json:"id"`
			Label filter.Label `json:"label"`
		}{m.ID, label})
	case errors.As(err, &ve):
		writeError(w, http.StatusBadRequest, ve.Error(), ve.Field)
	case errors.Is(err, state.ErrUnavailable), r.Context().Err() != nil:
		// Nothing was recorded: the gateway may retry.
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, err.Error(), "")
	default:
		h.opts.logger.Error("report", "err", err)
		writeError(w, http.StatusInternalServerError, err.Error(), "")
	}
}

func (h *Handler) reload(w http.ResponseWriter, r *http.Request) {
	prev := h.Engine().Revision()
	if err := h.opts.reload(r.Context()); err != nil {
		h.opts.logger.Error("reload refused; the running revision stays", "revision", h.Engine().Revision(), "err", err)
		writeJSON(w, http.StatusInternalServerError, struct {
			Error    string `json:"error"`
			Revision string `json:"revision"`
		}{"reload refused, the running revision stays: " + err.Error(), h.Engine().Revision()})
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Revision string `json:"revision"`
		Previous string `json:"previous"`
	}{h.Engine().Revision(), prev})
}

func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, struct {
		Status string `json:"status"`
	}{"ok"})
}

func (h *Handler) readyz(w http.ResponseWriter, r *http.Request) {
	e := h.Engine()
	rev := ""
	if e != nil {
		rev = e.Revision()
	}
	if rev == "" {
		writeError(w, http.StatusServiceUnavailable, "no policies loaded", "")
		return
	}
	var store string
	if h.opts.ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		var err error
		if store, err = h.opts.ready(ctx); err != nil {
			writeError(w, http.StatusServiceUnavailable, "not ready: "+err.Error(), "")
			return
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Status   string `json:"status"`
		Revision string `json:"revision"`
		Store    string `json:"store,omitempty"`
	}{"ready", rev, store})
}

// readBody reads the whole body under the cap, answering 413 over it. A
// body of known length is read into a buffer of exactly that size (one
// allocation; io.ReadAll's growth from 512 bytes doubled what a request
// allocates on the way in).
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.ContentLength > h.opts.maxBody {
		writeTooLarge(w, h.opts.maxBody)
		return nil, false
	}
	var body []byte
	var err error
	if r.ContentLength >= 0 {
		// net/http ends the body after ContentLength bytes, so nothing
		// is left unread.
		body = make([]byte, r.ContentLength)
		_, err = io.ReadFull(r.Body, body)
	} else {
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, h.opts.maxBody))
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		writeTooLarge(w, h.opts.maxBody)
		return nil, false
	case err != nil:
		writeError(w, http.StatusBadRequest, "reading the body: "+err.Error(), "")
		return nil, false
	}
	return body, true
}

func writeTooLarge(w http.ResponseWriter, limit int64) {
	// The rest of the body is not read: close rather than drain it.
	w.Header().Set("Connection", "close")
	writeError(w, http.StatusRequestEntityTooLarge, "body larger than "+strconv.FormatInt(limit, 10)+" bytes", "")
}

// splitBatch tells one message from a batch: a JSON array, or more than one
// non-empty line (or any body sent as application/x-ndjson or
// application/jsonl), is a batch, returned as items; otherwise one is the
// message. One message per request is the latency-bound case: it is told
// without allocating.
func splitBatch(body []byte, contentType string) (one []byte, items [][]byte, err error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, nil, errors.New("empty body: want a message, a JSON array of messages or JSON lines")
	}
	if trimmed[0] == '[' {
		var raw []json.RawMessage
		if err := json.Unmarshal(trimmed, &raw); err != nil {
			return nil, nil, errors.New("malformed JSON array: " + err.Error())
		}
		items = make([][]byte, len(raw))
		for i, r := range raw {
			items[i] = r
		}
		return nil, items, nil
	}
	lines := 0
	for line := range bytes.Lines(trimmed) {
		if len(bytes.TrimSpace(line)) > 0 {
			lines++
		}
	}
	if lines == 1 && !jsonLines(contentType) {
		return trimmed, nil, nil
	}
	for line := range bytes.Lines(trimmed) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			items = append(items, line)
		}
	}
	return nil, items, nil
}

// jsonLines reports whether a Content-Type is JSON lines
// (application/x-ndjson or application/jsonl). mime.ParseMediaType, which
// allocates, is asked only to confirm a match: its media type is the part
// before any ";", trimmed and lower-cased, as compared here.
func jsonLines(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	if !strings.EqualFold(mt, "application/x-ndjson") && !strings.EqualFold(mt, "application/jsonl") {
		return false
	}
	mt, _, _ = mime.ParseMediaType(contentType)
	return mt == "application/x-ndjson" || mt == "application/jsonl"
}

// decodeMessage decodes one message with filter.DecodeMessage, which
// refuses unknown, duplicate and differently cased keys and invalid UTF-8,
// naming the key at fault.
func decodeMessage(b []byte) (*filter.Message, *errorBody) {
	m, err := filter.DecodeMessage(b)
	if err != nil {
		return nil, decodeError(err)
	}
	return m, nil
}

// decodeError is the 400 answer for a body filter could not decode.
func decodeError(err error) *errorBody {
	var ve *filter.ValidationError
	if errors.As(err, &ve) {
		return &errorBody{Error: ve.Error(), Field: ve.Field}
	}
	return &errorBody{Error: err.Error()}
}

// idOf recovers the id of an item that did not decode, so its error can
// be matched to its message.
func idOf(b []byte) string {
	var v struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(b, &v) != nil || v.ID == nil {
		return ""
	}
	var s string
	if json.Unmarshal(v.ID, &s) == nil {
		return s
	}
	return string(v.ID)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func writeError(w http.ResponseWriter, code int, msg, field string) {
	writeJSON(w, code, errorBody{Error: msg, Field: field})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // a write error means the client is gone
}
