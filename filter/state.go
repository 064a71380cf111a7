package filter

// Conversation state in the pipeline. Inbound records what recipients send
// (STOP, START, any reply). Check reads the state into the facts before the
// policies run (opted_out, session_messages, and the window when the message
// carries no last_inbound_at), so OPTED_OUT, OUTSIDE_SESSION_WINDOW and
// SESSION_LIMIT are decided in Rego with their citations. After the policies
// allow (or send to review) a message, Check counts it with Store.Consume,
// the atomic guard of the session, rate and flood limits; when Consume
// refuses, the message is blocked with the reason of the matching rule.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/msgfilter/msgfilter/internal/terms"
	"github.com/msgfilter/msgfilter/internal/textnorm"
	"github.com/msgfilter/msgfilter/rules"
	"github.com/msgfilter/msgfilter/state"
)

// ErrNoStore is returned by Inbound when the engine has no state store
// (WithStore(nil)).
var ErrNoStore = errors.New("filter: no state store")

// Rule ids of the limits Consume enforces; the policies carry their METADATA.
const (
	ruleRateLimit      = "global/rate-limit"
	ruleDuplicateFlood = "global/duplicate-flood"
	ruleSessionSuffix  = "/session-limit" // after the channel: "viber/session-limit"
)

// InboundMessage is a message a recipient sent to a business: a reply, a
// question, a STOP. Sender and Recipient name the conversation as Message
// does: Sender is the business's number or sender ID the recipient wrote
// to, Recipient is the person who wrote (E.164).
type InboundMessage struct {
	ID        string  `json:"id"`
	Channel   Channel `json:"channel"`
	Tenant    string  `json:"tenant,omitempty"`
	Sender    string  `json:"sender"`
	Recipient string  `json:"recipient"`
	Body      string  `json:"body"`
	// Time is when the recipient sent it; the engine's clock when zero.
	Time time.Time `json:"time,omitzero"`
}

// InboundResult is what Inbound recorded.
type InboundResult struct {
	ID string `json:"id"`
	// OptOut and OptIn report a STOP or a START (at most one is set); the
	// gateway may confirm it to the recipient.
	OptOut bool `json:"opt_out,omitempty"`
	OptIn  bool `json:"opt_in,omitempty"`
	// Keyword is the opt-out or opt-in keyword as written in the body.
	Keyword string `json:"keyword,omitempty"`
}

// Inbound records a message from a recipient: it opens or refreshes the
// conversation window of (Tenant, Sender, Recipient, Channel), and records
// an opt-out or opt-in for (Tenant, Sender, Recipient) on every channel
// when the body is one.
//
// A body that is only an opt-out or opt-in keyword of the global term lists
// ("STOP", "Stop.", "stop all", "إلغاء", "退订", "START"), ignoring case,
// punctuation and spacing, counts whatever its weight. A longer body counts
// when the category scores 2 or more ("please unsubscribe me"), so "don't
// stop the deals" is no opt-out. When a body scores for both, the opt-out
// wins: regulators require honouring any reasonable opt-out request.
//
// A nil error means the store acknowledged the change. Otherwise nothing is
// acknowledged and the caller retries: errors wrap state.ErrUnavailable when
// the store cannot be reached, state.ErrFull when a bounded store holds as
// many opt-outs as it may, ErrNoStore without a store, and a
// *ValidationError for bad input. Inbound is safe for concurrent use.
func (e *Engine) Inbound(ctx context.Context, in *InboundMessage) (InboundResult, error) {
	if in == nil {
		return InboundResult{}, invalid("message", "", "nil message")
	}
	res := InboundResult{ID: in.ID}
	switch in.Channel {
	case SMS, Viber, WhatsApp, Messenger, RCS:
	case "":
		return res, invalid("channel", "", "missing")
	default:
		return res, invalid("channel", string(in.Channel), "want sms, viber, whatsapp, messenger or rcs")
	}
	for _, f := range [...]struct{ name, value string }{
		{"id", in.ID}, {"sender", in.Sender}, {"recipient", in.Recipient}, {"tenant", in.Tenant}, {"body", in.Body},
	} {
		if !utf8.ValidString(f.value) {
			return res, invalid(f.name, "", "invalid UTF-8")
		}
	}
	if len(in.Body) > e.opts.maxBodyBytes {
		return res, invalid("body", "", "longer than "+strconv.Itoa(e.opts.maxBodyBytes)+" bytes")
	}
	if strings.TrimSpace(in.Sender) == "" {
		return res, invalid("sender", "", "missing")
	}
	rcpt, err := e.numbers.Recipient(in.Recipient)
	if err != nil {
		return res, invalid("recipient", in.Recipient, err.Error())
	}
	if e.conv == nil {
		return res, ErrNoStore
	}
	at := in.Time
	if at.IsZero() {
		at = e.opts.clock()
	}
	res.OptOut, res.OptIn, res.Keyword = detectOpt(e.policy.Load().keywords, in.Body)
	rec := state.Inbound{
		Key:    stateKey(in.Tenant, in.Sender, rcpt.E164, in.Channel),
		At:     at,
		OptOut: res.OptOut,
		OptIn:  res.OptIn,
	}
	if err := e.conv.store.RecordInbound(ctx, rec); err != nil {
		if errors.Is(err, state.ErrInvalid) {
			return res, invalid("sender", in.Sender, err.Error())
		}
		return res, fmt.Errorf("filter: recording inbound message: %w", err)
	}
	return res, nil
}

// detectOpt finds an opt-out or opt-in in an inbound body (see Inbound).
func detectOpt(kw *terms.Matcher, body string) (optOut, optIn bool, keyword string) {
	if kw == nil {
		return false, false, ""
	}
	// A lone keyword: the whole body, normalized and without spaces, is one
	// term ("stop all" → "stopall"). Terms never contain more than a few
	// words, so long bodies skip this.
	if len(body) <= 64 {
		compact := strings.ReplaceAll(textnorm.String(body), " ", "")
		if compact != "" {
			r := kw.Match(compact)
			for _, cat := range [...]string{"opt_out", "opt_in"} {
				if slices.Contains(r.Categories[cat].Evidence, compact) {
					return cat == "opt_out", cat == "opt_in", strings.TrimSpace(body)
				}
			}
		}
	}
	r := kw.Match(body)
	if c := r.Categories["opt_out"]; c.Score >= 2 {
		return true, false, strings.Join(c.Evidence, " ")
	}
	if c := r.Categories["opt_in"]; c.Score >= 2 {
		return false, true, strings.Join(c.Evidence, " ")
	}
	return false, false, ""
}

// conversations is the engine's state store with the limits the packs
// configure. It is safe for concurrent use; a nil *conversations means no
// store: apply then does nothing and consume is not reached.
type conversations struct {
	store state.Store
	local bool // an in-memory store: calls need no deadline
}

func newConversations(o options) *conversations {
	switch {
	case !o.storeSet:
		return &conversations{store: state.NewMemory(state.MemoryConfig{}), local: true}
	case o.store == nil:
		return nil
	default:
		_, local := o.store.(*state.Memory)
		return &conversations{store: o.store, local: local}
	}
}

// stateKey names a conversation. Numeric senders keep only '+' and digits
// and sender IDs are upper-cased, so "+1 (555) 010-0000" and "+15550100000",
// or "AcmeBank" and "ACMEBANK", are the same sender for Inbound and Check.
func stateKey(tenant, sender, recipientE164 string, ch Channel) state.Key {
	return state.Key{Tenant: tenant, Sender: senderStateID(sender), Recipient: recipientE164, Channel: string(ch)}
}

func senderStateID(s string) string {
	s = strings.TrimSpace(s)
	numeric := s != ""
	for i := 0; i < len(s) && numeric; i++ {
		numeric = strings.IndexByte("+0123456789 -().", s[i]) >= 0
	}
	if !numeric {
		return strings.ToUpper(s)
	}
	return strings.Map(func(r rune) rune {
		if r == '+' || '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// apply puts the stored state of m's conversation into the facts: opted_out,
// session_messages (once it reaches the channel's cap) and, when m has no
// LastInboundAt, the window. A store
// error is returned for the fail mode.
func (c *conversations) apply(ctx context.Context, p *policy, m *Message, f *Facts, now time.Time) error {
	if c == nil {
		return nil
	}
	snap, err := c.store.Snapshot(ctx, stateKey(m.Tenant, m.Sender, f.Recipient.E164, m.Channel), now)
	if errors.Is(err, state.ErrInvalid) {
		return nil // a key no store holds (a sender over 256 bytes): nothing was ever recorded for it
	}
	if err != nil {
		return fmt.Errorf("filter: reading conversation state: %w", err)
	}
	conv := &f.Conversation
	conv.OptedOut = snap.OptedOut
	// The count only matters once it reaches the channel's cap; below it
	// the fact stays 0, so that the facts of a conversation repeat from
	// message to message and the caches keep working.
	if snap.SessionCount > 0 {
		if snap.SessionCount >= c.limitsFor(p, "", m.Channel, nil).Session {
			conv.SessionMessages = snap.SessionCount
		}
	}
	if m.LastInboundAt.IsZero() && snap.HasInbound {
		conv.HasInbound = true
		conv.InboundAgeMinutes = int(max(now.Sub(snap.LastInbound), 0) / time.Minute)
	}
	return nil
}

// consume counts an allowed (or reviewed) message against the session, rate
// and flood limits, atomically in the store. When the store refuses, the
// decision becomes a block with the matching rules' reasons and the facts
// name the limits in over_limits. Decisions that already block or defer
// count against nothing: they are not sent now.
func (e *Engine) consume(ctx context.Context, p *policy, m *Message, country string, rcpt RecipientFacts,
	f *Facts, d Decision, now time.Time) (Decision, error) {
	c := e.conv
	if c == nil || d.Action != Allow && d.Action != Review {
		return d, nil
	}
	l := c.limitsFor(p, country, m.Channel, e.opts.tenants[m.Tenant])
	if l == (state.Limits{}) {
		return d, nil
	}
	fp := ""
	if l.Flood > 0 {
		fp = fingerprint(m.Body)
	}
	out, serr := c.store.Consume(ctx, stateKey(m.Tenant, m.Sender, rcpt.E164, m.Channel), l, fp, now)
	if errors.Is(serr, state.ErrInvalid) {
		return d, nil
	}
	if serr != nil {
		err := fmt.Errorf("filter: counting message against limits: %w", serr)
		return e.failed(m, p, err), err
	}
	if out.Allowed {
		return d, nil
	}
	d.Reasons = slices.Clip(d.Reasons) // appending must not write into a caller's backing array
	d.Action, d.Until = Block, time.Time{}
	add := func(limit string, code Code, rule, evidence string) {
		f.Conversation.OverLimits = append(f.Conversation.OverLimits, limit)
		r := Reason{Code: code, Rule: rule, Evidence: evidence}
		if ri, ok := p.ruleInfo[rule]; ok {
			r.Country, r.Citation = ri.country, ri.citation
		}
		d.Reasons = append(d.Reasons, r)
	}
	if out.Exceeded&state.LimitSession != 0 {
		add("session", SessionLimit, string(m.Channel)+ruleSessionSuffix,
			fmt.Sprintf("%d messages in this session, at most %d", out.SessionCount, l.Session))
	}
	if out.Exceeded&state.LimitRate != 0 {
		add("rate", RateLimit, ruleRateLimit,
			fmt.Sprintf("%d messages from this sender in %s, at most %d; retry after %s",
				out.RateCount, l.RateWindow, l.Rate, out.RateReset.UTC().Format(time.RFC3339)))
	}
	if out.Exceeded&state.LimitFlood != 0 {
		add("flood", DuplicateFlood, ruleDuplicateFlood,
			fmt.Sprintf("%d recipients of this template within %s, at most %d", out.FloodCount, l.FloodWindow, l.Flood))
	}
	return d, nil
}

// limitTable holds the limits the packs of one policy revision configure.
type limitTable struct {
	global    packLimits
	countries map[string]packLimits // upper-case country
	channels  map[string]packLimits
}

// packLimits are the limit keys of one pack's data.json.
type packLimits struct {
	session       int // session_max_messages (channel packs)
	sessionWindow time.Duration
	rate          *rateLimit // rate_limit: {"messages", "window_seconds"}
	flood         *rateLimit // duplicate_flood: {"recipients", "window_minutes"}
}

type rateLimit struct {
	n      int
	window time.Duration
}

// limitsFor resolves the limits of one message: the session cap from the
// channel pack; rate and flood from the tenant, else the destination pack,
// else the channel pack, else the global pack.
func (c *conversations) limitsFor(p *policy, country string, ch Channel, tn *tenant) state.Limits {
	t := p.limits
	cl, chl := t.countries[country], t.channels[string(ch)]
	l := state.Limits{Session: chl.session, SessionWindow: chl.sessionWindow}
	pick := func(get func(packLimits) *rateLimit) rateLimit {
		for _, pl := range [...]packLimits{cl, chl, t.global} {
			if r := get(pl); r != nil {
				return *r
			}
		}
		return rateLimit{}
	}
	rate := pick(func(pl packLimits) *rateLimit { return pl.rate })
	flood := pick(func(pl packLimits) *rateLimit { return pl.flood })
	if tn != nil && tn.limits.RateLimit > 0 && tn.limits.RateWindow > 0 {
		rate = rateLimit{tn.limits.RateLimit, tn.limits.RateWindow}
	}
	if tn != nil && tn.limits.FloodRecipients > 0 && tn.limits.FloodWindow > 0 {
		flood = rateLimit{tn.limits.FloodRecipients, tn.limits.FloodWindow}
	}
	if rate.n > 0 && rate.window >= time.Millisecond {
		l.Rate, l.RateWindow = rate.n, rate.window
	}
	if flood.n > 0 && flood.window >= time.Millisecond {
		l.Flood, l.FloodWindow = flood.n, flood.window
	}
	if l.Session <= 0 || l.SessionWindow < time.Millisecond {
		l.Session, l.SessionWindow = 0, 0
	}
	return l
}

// newLimitTable reads the limit keys of every pack when a policy loads. A
// malformed limit is a load error: read as 0 it would silently turn a limit
// off everywhere.
func newLimitTable(set *rules.Set) (*limitTable, error) {
	t := &limitTable{countries: map[string]packLimits{}, channels: map[string]packLimits{}}
	for _, pack := range set.Packs() {
		fail := func(key string, err error) (*limitTable, error) {
			return nil, &rules.PolicyError{File: pack.Name + "/data.json", Msg: key + ": " + err.Error()}
		}
		var pl packLimits
		var err error
		if pl.rate, err = readRate(pack.Data["rate_limit"], "messages", "window_seconds", time.Second); err != nil {
			return fail("rate_limit", err)
		}
		if pl.flood, err = readRate(pack.Data["duplicate_flood"], "recipients", "window_minutes", time.Minute); err != nil {
			return fail("duplicate_flood", err)
		}
		switch pack.Kind {
		case rules.KindGlobal:
			t.global = pl
		case rules.KindCountry:
			t.countries[strings.ToUpper(pack.Code)] = pl
		case rules.KindChannel:
			var minutes int
			if pl.session, err = dataInt(pack.Data["session_max_messages"]); err != nil {
				return fail("session_max_messages", err)
			}
			if minutes, err = dataInt(pack.Data["session_minutes"]); err != nil {
				return fail("session_minutes", err)
			}
			pl.sessionWindow = time.Duration(minutes) * time.Minute
			t.channels[pack.Code] = pl
		}
	}
	return t, nil
}

// readRate reads {"<count>": n, "<window>": w} from a pack's data; nil when
// the pack does not set it. A count of 0 sets "no limit".
func readRate(v any, count, window string, unit time.Duration) (*rateLimit, error) {
	if v == nil {
		return nil, nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want an object with %s and %s", count, window)
	}
	n, err := dataInt(obj[count])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", count, err)
	}
	w, err := dataInt(obj[window])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", window, err)
	}
	if n > 0 && w == 0 {
		return nil, fmt.Errorf("%s must be set with %s", window, count)
	}
	return &rateLimit{n: n, window: time.Duration(w) * unit}, nil
}

// dataInt reads a non-negative integer of a pack's data.json (decoded with
// json.Number); absent is 0.
func dataInt(v any) (int, error) {
	var n int64
	switch v := v.(type) {
	case nil:
		return 0, nil
	case interface{ Int64() (int64, error) }: // json.Number
		var err error
		if n, err = v.Int64(); err != nil {
			return 0, fmt.Errorf("%v is not an integer", v)
		}
	case float64:
		n = int64(v)
	case int:
		n = int64(v)
	default:
		return 0, fmt.Errorf("%v is not an integer", v)
	}
	if n < 0 || n > 1<<31 {
		return 0, fmt.Errorf("%d is out of range", n)
	}
	return int(n), nil
}

// fingerprint identifies a message's template, for DUPLICATE_FLOOD: the
// 64-bit FNV-1a hash, in hex, of the body lower-cased with white space
// collapsed, where each of these is one placeholder:
//
//   - a run of digits with the separators between them ("1234", "1,299.00",
//     "+44 7700 900123"): codes, amounts, phone numbers, dates;
//   - a word with a letter or digit, then '.', '/' or '@', then more
//     ("https://x.co/a?b", "bit.ly/3xYz", "ann@example.com"): links and
//     addresses, tracking parameters included;
//   - a capitalized word after the first word ("Hi Anna," → "hi #,"):
//     personal names in Latin, Greek, Cyrillic or Armenian letters.
//
// So "Hi Anna, your code is 4821" and "Hi Omar, your code is 1177" share a
// fingerprint, and a spammer varying names, numbers or tracking links does
// too. Names in scripts without case (Arabic, Chinese, Thai) still vary the
// fingerprint. It costs one pass over the body and no allocation beyond the
// 16-byte result.
func fingerprint(body string) string {
	const prime64 = 1099511628211
	h := uint64(14695981039346656037) // FNV-1a offset basis
	write := func(b byte) { h = (h ^ uint64(b)) * prime64 }
	space, words := false, 0
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRuneInString(body[i:])
		if unicode.IsSpace(r) {
			space = words > 0
			i += size
			continue
		}
		j := i // the word is body[i:j]
		for j < len(body) {
			r, size := utf8.DecodeRuneInString(body[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += size
		}
		word := body[i:j]
		if space {
			write(' ')
			space = false
		}
		switch {
		case isLinkLike(word):
			write('#')
		case words > 0 && isCapitalized(word):
			write('#')
			if last := word[len(word)-1]; strings.IndexByte(",.!?:;", last) >= 0 {
				write(last)
			}
		default:
			digits := false
			var buf [utf8.UTFMax]byte
			for _, r := range word {
				if unicode.IsDigit(r) {
					if !digits {
						write('#')
						digits = true
					}
					continue
				}
				if digits && strings.ContainsRune(",.-/:", r) {
					continue // a separator inside a number
				}
				digits = false
				n := utf8.EncodeRune(buf[:], unicode.ToLower(r))
				for _, b := range buf[:n] {
					write(b)
				}
			}
		}
		words++
		i = j
	}
	const hexDigits = "0123456789abcdef"
	var out [16]byte
	for k := 15; k >= 0; k-- {
		out[k] = hexDigits[h&0xf]
		h >>= 4
	}
	return string(out[:])
}

// isLinkLike reports a word with a letter or digit, then '.', '/' or '@',
// then a letter or digit: a URL, domain or e-mail address (a sentence's
// full stop has nothing after it).
func isLinkLike(w string) bool {
	for k := 1; k+1 < len(w); k++ {
		if (w[k] == '.' || w[k] == '/' || w[k] == '@') && isAlnumByte(w[k-1]) && isAlnumByte(w[k+1]) {
			return !allDigitsAndDots(w)
		}
	}
	return false
}

func allDigitsAndDots(w string) bool {
	for k := 0; k < len(w); k++ {
		if b := w[k]; b != '.' && b != ',' && b != '/' && (b < '0' || b > '9') {
			return false
		}
	}
	return true
}

func isAlnumByte(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b|0x20 && b|0x20 <= 'z' || b >= 0x80
}

// isCapitalized reports an upper-case letter followed by at least one
// lower-case letter: "Anna", "Ольга", not "OK" or "STOP".
func isCapitalized(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	for _, r := range w[size:] {
		if unicode.IsLower(r) {
			return true
		}
	}
	return false
}
