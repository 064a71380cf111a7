package filter

// Conversation state in the pipeline. Inbound records what recipients send
// (STOP, START, any reply). Check reads the state into the facts before the
// policies run (stage state: opted_out, session_messages, and the window
// when the message carries no last_inbound_at), so OPTED_OUT,
// OUTSIDE_SESSION_WINDOW and SESSION_LIMIT are decided in Rego with their
// citations.
//
// The limits the store counts have one owner: Go. After the policies allow
// (or send to review) a message, Check counts it with Store.Consume, the
// atomic guard of the session, rate and flood limits; when Consume refuses,
// Go blocks the message with RATE_LIMIT, DUPLICATE_FLOOD or SESSION_LIMIT,
// citing the METADATA of the packs' limits rules (global/rate-limit,
// global/duplicate-flood) or the channel's session-limit rule. The count
// cannot be known before evaluation without counting messages the
// policies then refuse, so no Rego rule waits on it.

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/msgfilter/msgfilter/internal/dlt"
	"github.com/msgfilter/msgfilter/internal/fnv1a"
	"github.com/msgfilter/msgfilter/internal/optout"
	"github.com/msgfilter/msgfilter/rules"
	"github.com/msgfilter/msgfilter/state"
)

// ErrNoStore is returned by Inbound when the engine has no state store
// (WithStore(nil)).
var ErrNoStore = errors.New("filter: no state store")

// Rule ids of the limits Consume enforces; the packs carry their METADATA.
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
	// Keyword is the words that made the opt-out or opt-in, as written in
	// the body ("STOP", "stop texting").
	Keyword string `json:"keyword,omitempty"`
}

// Inbound records a message from a recipient: it opens or refreshes the
// conversation window of (Tenant, Sender, Recipient, Channel), and records
// an opt-out or opt-in on every channel when the body is one: for the
// tenant's whole brand (every sender of the tenant; the default, see
// OptOutScope), or for (Tenant, Sender, Recipient) when the message has no
// tenant or its tenant is configured with OptOutSender. Senders and tenants
// are compared by their canonical identities (a sender's spellings, such as
// "VM-123456-P" and "123456" or "14155550100" and "+14155550100", are one
// sender; tenant names ignore case).
//
// Opt-outs and opt-ins are found by internal/optout with the opt_out,
// opt_in and opt_keep terms of the global lists: a body that is only a
// keyword ("STOP", "Stop.", "ՍՏՈՊ", "ABMELDEN", "退订", "START"), ignoring
// case, punctuation and spacing, counts whatever its weight; a longer body
// counts when its opt_out terms outweigh its opt_keep terms by 2 or more
// ("please stop texting me"), so "don't stop the deals" is no opt-out.
// When a body scores for both, the opt-out wins: regulators require
// honouring any reasonable opt-out request.
//
// A nil error means the store acknowledged the change. Otherwise nothing is
// acknowledged and the caller retries: errors wrap state.ErrUnavailable when
// the store cannot be reached, state.ErrFull when a bounded store holds as
// many opt-outs as it may, ErrNoStore without a store, and a
// *ValidationError for bad input. Inbound is safe for concurrent use.
func (e *Engine) Inbound(ctx context.Context, in *InboundMessage) (InboundResult, error) {
	p := e.policy.Load()
	if p == nil {
		return InboundResult{}, ErrZeroEngine
	}
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
	} else if err := checkTime(at, e.opts.clock()); err != nil {
		return res, err // a reply dated 2099 would hold a window open for ever
	}
	res.OptOut, res.OptIn, res.Keyword = detectOpt(p.optOuts, in.Body)
	rec := state.Inbound{
		Key:    stateKey(tenantID(in.Tenant), in.Sender, rcpt.E164, in.Channel),
		At:     at,
		OptOut: res.OptOut,
		OptIn:  res.OptIn,
	}
	recs := []state.Inbound{rec}
	if brand, ok := e.brandKey(in.Tenant, rcpt.E164); ok && (res.OptOut || res.OptIn) {
		// The opt change is the brand's: recorded first, as it is what the
		// recipient must see honoured; the window stays the sender's.
		recs = []state.Inbound{{Key: brand, At: at, OptOut: res.OptOut, OptIn: res.OptIn}, rec}
		recs[1].OptOut, recs[1].OptIn = false, false
	}
	for _, r := range recs {
		if err := e.conv.store.RecordInbound(ctx, r); err != nil {
			if errors.Is(err, state.ErrInvalid) {
				return res, invalid("sender", in.Sender, err.Error())
			}
			return res, fmt.Errorf("filter: recording inbound message: %w", err)
		}
	}
	return res, nil
}

// brandSender is the Key.Sender under which a tenant's brand-wide opt-outs
// are stored (see OptOutBrand). No canonical sender is "*": a lone "*" as a
// sender is SENDER_INVALID, and were one recorded, it would only add
// opt-outs, never remove one.
const brandSender = "*"

// brandKey returns the key of the brand-wide opt-out of tenant to
// recipient, and false when opt-outs of that tenant are per sender: a
// message without a tenant, or a tenant configured with OptOutSender.
// A tenant that is named but not configured has the default scope, the
// brand.
func (e *Engine) brandKey(tenant, recipientE164 string) (state.Key, bool) {
	if tenant == "" {
		return state.Key{}, false
	}
	if t := e.opts.tenants[tenantID(tenant)]; t != nil && t.optOutScope == OptOutSender {
		return state.Key{}, false
	}
	return state.Key{Tenant: tenantID(tenant), Sender: brandSender, Recipient: recipientE164}, true
}

// detectOpt finds an opt-out or opt-in in an inbound body (see Inbound and
// internal/optout).
func detectOpt(d *optout.Detector, body string) (optOut, optIn bool, keyword string) {
	r := d.Detect(body)
	return r.Intent == optout.OptOut, r.Intent == optout.OptIn, r.Evidence
}

// conversations is the engine's state store. A nil *conversations means no
// store: stage state reads nothing and count counts nothing.
type conversations struct {
	store state.Store
	// The store's optional interfaces, each nil where it has none:
	// asserted once here, not in every check's stages.
	fleet     state.Fleet
	campaigns state.Campaigns
	subjects  state.Subjects
	local     bool // an in-memory store: calls need no deadline of their own
}

func newConversations(s state.Store) *conversations {
	if s == nil {
		return nil
	}
	c := &conversations{store: s}
	_, c.local = s.(*state.Memory)
	c.fleet, _ = s.(state.Fleet)
	c.campaigns, _ = s.(state.Campaigns)
	c.subjects, _ = s.(state.Subjects)
	return c
}

// brandOptOut (part of stage state) returns the sender under which the
// tenant's brand opt-out is kept where opt-outs are brand-wide (see
// OptOutScope): it, not the sender's, is then the recipient's answer, so
// that a START to any sender of the brand re-subscribes to all. The store
// reads it with the conversation. It is "" (the sender's own answers)
// where opt-outs are per sender.
// It follows brandKey, with the tenant validate found.
func (c *check) brandOptOut() string {
	if c.msg.Tenant == "" || c.tenant != nil && c.tenant.optOutScope == OptOutSender {
		return ""
	}
	return brandSender
}

// stateKey names a conversation by the canonical identities of its tenant
// (case-insensitive: id is tenantID's) and sender (senderStateID), so that
// Inbound's opt-outs and Check's limits agree on who is who.
func stateKey(id, sender, recipientE164 string, ch Channel) state.Key {
	return state.Key{Tenant: id, Sender: senderStateID(sender), Recipient: recipientE164, Channel: string(ch)}
}

// senderStateID is a sender's canonical identity. One sender may reach the
// engine in several spellings, and an opt-out or a limit keyed on one must
// hold for all:
//
//   - a sender ID is upper-cased, and an Indian DLT header loses its
//     operator-circle prefix and message-type suffix (dlt.Header):
//     "VM-HDFCBK-S", "JD-HDFCBK" and "HdfcBk" are "HDFCBK";
//   - a number keeps its digits behind one '+', whatever its spacing and
//     punctuation: "+1 (415) 555-0100", "14155550100" and "+14155550100"
//     are "+14155550100", and India's promotional header "VM-123456-P" is
//     "123456", so "+123456".
//
// A two-letter prefix is taken for a circle only before letters or digits
// of a header ("AD-Noon" is "NOON" too): merging spellings of one brand
// can only add opt-outs and tighten limits, never loosen them.
func senderStateID(s string) string {
	s = trimSpace(s)
	if len(s) > 3 && s[2] == '-' && isASCIILetter(s[0]) && isASCIILetter(s[1]) ||
		len(s) > 2 && s[len(s)-2] == '-' && strings.IndexByte("PSTGpstg", s[len(s)-1]) >= 0 {
		s = dlt.Header(s)
	}
	numeric := s != ""
	for i := 0; i < len(s) && numeric; i++ {
		numeric = numberByte(s[i])
	}
	if !numeric {
		return upperID(s)
	}
	if len(s) > 1 && s[0] == '+' && allDigits(s[1:]) {
		return s // canonical already
	}
	digits := s
	if !allDigits(s) {
		digits = strings.Map(func(r rune) rune {
			if '0' <= r && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	if digits == "" {
		return s // "+", "()": no number; kept as written, so never merged with one
	}
	return plusDigits(digits)
}

// trimSpace is strings.TrimSpace, without its call for a string that
// begins and ends with a printable ASCII byte, as most senders do: the
// white space TrimSpace trims is ASCII up to ' ', or a character whose
// UTF-8 form begins and ends at 0x80 or above.
func trimSpace(s string) string {
	if len(s) > 0 && ' ' < s[0] && s[0] < utf8.RuneSelf && ' ' < s[len(s)-1] && s[len(s)-1] < utf8.RuneSelf {
		return s
	}
	return strings.TrimSpace(s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// senderIDs interns the canonical identities of numeric senders written
// without a '+' (short codes: "24273"): "+" + digits allocated on every
// check of one. A slot holds the last identity whose digits hash to it; a
// hit writes no shared memory. At most 256 identities of at most 257
// bytes are kept.
var senderIDs [256]atomic.Pointer[string]

func plusDigits(digits string) string {
	slot := &senderIDs[maphash.String(senderIDSeed, digits)%uint64(len(senderIDs))]
	if p := slot.Load(); p != nil && (*p)[1:] == digits {
		return *p
	}
	id := "+" + digits
	slot.Store(&id)
	return id
}

// senderIDSeed keys the hash that picks a sender's slot in senderIDs and
// upperIDs: maphash, not FNV-1a, whose multiply per byte was half of an
// upperID hit, and keyed, so that a sender cannot pick which other
// sender's slot it takes (a collision only costs a recomputation).
var senderIDSeed = maphash.MakeSeed()

// upperIDs interns the canonical identities of sender IDs not written in
// upper case ("Amazon": "AMAZON"), as senderIDs does numbers': the
// upper-case copy allocated on every check of one. A sender's spelling
// hashes to a pair of slots (one cache line's half), either of which may
// hold it with its identity; a hit writes no shared memory. With one slot
// of 256, two of a templated stream's twenty-odd brand names shared a
// slot more often than not, and each of their checks then allocated
// three times. At most 1024 pairs are kept.
var upperIDs [1024]atomic.Pointer[upperIDEntry]

type upperIDEntry struct{ sender, id string }

// upperID returns strings.ToUpper(s), interned when it is not s. An ASCII
// s with no lower-case letter ("HDFCBK") is its own upper case, and is
// returned before any hash or slot is read.
func upperID(s string) string {
	if upperASCII(s) {
		return s
	}
	pair := upperIDs[upperPair(s)*2:][:2]
	for i := range pair {
		if e := pair[i].Load(); e != nil && e.sender == s {
			return e.id
		}
	}
	id := strings.ToUpper(s)
	if id != s {
		// The newest in the first slot, the one it displaces in the
		// second: two spellings of one pair both stay. A race between two
		// checks can only lose an entry (a recomputation), never pair a
		// spelling with another's identity.
		if old := pair[0].Load(); old != nil {
			pair[1].Store(old)
		}
		pair[0].Store(&upperIDEntry{sender: strings.Clone(s), id: id})
	}
	return id
}

// upperPair returns the pair of upperIDs slots that may hold s.
func upperPair(s string) uint64 {
	return maphash.String(senderIDSeed, s) % (uint64(len(upperIDs)) / 2)
}

// upperASCII reports whether s is ASCII with no lower-case letter, so that
// strings.ToUpper(s) is s.
func upperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b >= utf8.RuneSelf || 'a' <= b && b <= 'z' {
			return false
		}
	}
	return true
}

// numberByte reports whether b may be written in a sender number: a digit
// or one of "+ -().". A comparison per byte, where IndexByte on that list
// was a call per byte, a hundredth of a templated check.
func numberByte(b byte) bool {
	switch b {
	case '+', ' ', '-', '(', ')', '.':
		return true
	}
	return '0' <= b && b <= '9'
}

func isASCIILetter(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }

// count (part of stage decide) counts an allowed (or reviewed) message
// against the session, rate and flood limits, atomically in the store, under
// the check's deadline. When the store refuses, the decision becomes a block
// with the matching limits' reasons. Decisions that already block or defer
// count against nothing: they are not sent now.
func (c *check) count() error {
	conv, m := c.e.conv, &c.msg
	if conv == nil || c.d.Action != Allow && c.d.Action != Review {
		return nil
	}
	l := c.p.limitsFor(c.dest, m.Channel, c.tenant)
	if l == (state.Limits{}) {
		return nil
	}
	fp := ""
	if l.Flood > 0 {
		fp = fingerprint(m.Body)
	}
	out, err := c.consume(c.convKey, l, fp)
	if errors.Is(err, state.ErrInvalid) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("filter: counting message against limits: %w", err)
	}
	if out.Allowed {
		return nil
	}
	d := &c.d
	d.Reasons = slices.Clip(d.Reasons) // appending must not write into a cached decision's array
	// A rate limit alone defers the message until its window reopens
	// (DESIGN.md: RATE_LIMIT defers); a session or flood limit blocks it.
	d.Action, d.Until = Block, time.Time{}
	if out.Exceeded == state.LimitRate && !out.RateReset.IsZero() {
		d.Action, d.Until = Defer, out.RateReset.In(c.now.Location())
	}
	if out.Exceeded&state.LimitSession != 0 {
		d.Reasons = append(d.Reasons, c.p.reason(SessionLimit, string(m.Channel)+ruleSessionSuffix,
			fmt.Sprintf("%d messages in this session, at most %d", out.SessionCount, l.Session)))
	}
	if out.Exceeded&state.LimitRate != 0 {
		d.Reasons = append(d.Reasons, c.p.reason(RateLimit, ruleRateLimit,
			fmt.Sprintf("%d messages from this sender in %s, at most %d; retry after %s",
				out.RateCount, l.RateWindow, l.Rate, out.RateReset.UTC().Format(time.RFC3339))))
	}
	if out.Exceeded&state.LimitFlood != 0 {
		d.Reasons = append(d.Reasons, c.p.reason(DuplicateFlood, ruleDuplicateFlood,
			fmt.Sprintf("%d recipients of this template within %s, at most %d", out.FloodCount, l.FloodWindow, l.Flood)))
	}
	return nil
}

// packLimits are the limit keys of one pack's data.json.
type packLimits struct {
	session       int // session_max_messages (channel packs)
	sessionWindow time.Duration
	rate          *rateLimit // rate_limit; nil when the pack does not set it
	flood         *rateLimit // duplicate_flood; nil when the pack does not set it
}

type rateLimit struct {
	n      int
	window time.Duration
}

// limitsFor resolves the limits of one message: the session cap from the
// channel pack; rate and flood from the tenant, else the destination pack,
// else the channel pack, else the global pack. Without a tenant's own
// limits they are read from the table resolveLimitTable made at load: the
// channel pack's map lookup and the resolution were a fortieth of a
// templated check.
func (p *policy) limitsFor(country string, ch Channel, tn *tenant) state.Limits {
	ci := channelIndex(ch)
	if ci < 0 || tn.ownRate() || tn.ownFlood() {
		return p.resolveLimits(country, ch, tn)
	}
	if i, ok := countryIndex(country); ok && p.byCode[i] != nil {
		return p.byCode[i].resolved[ci]
	}
	return p.noPackLimits[ci]
}

// channelIndex is ch's index in channels (facts_value.go), or -1.
func channelIndex(ch Channel) int {
	switch ch {
	case SMS:
		return 0
	case Viber:
		return 1
	case WhatsApp:
		return 2
	case Messenger:
		return 3
	case RCS:
		return 4
	}
	return -1
}

// resolveLimitTable resolves, once at load, the limits of every channel
// for each country pack and for a destination without one (limitsFor).
func (p *policy) resolveLimitTable() {
	for ci, ch := range channels {
		for cc, pc := range p.countries {
			pc.resolved[ci] = p.resolveLimits(cc, ch, nil)
		}
		p.noPackLimits[ci] = p.resolveLimits("", ch, nil)
	}
}

// resolveLimits is limitsFor, resolved from the packs.
func (p *policy) resolveLimits(country string, ch Channel, tn *tenant) state.Limits {
	cl, chl := p.pack(country).limits, packLimits{}
	if pc, ok := p.channels[string(ch)]; ok {
		chl = pc.limits
	}
	l := state.Limits{Session: chl.session, SessionWindow: chl.sessionWindow}
	rate := firstLimit(cl.rate, chl.rate, p.global.limits.rate)
	flood := firstLimit(cl.flood, chl.flood, p.global.limits.flood)
	if tn.ownRate() {
		rate = rateLimit{tn.limits.RateLimit, tn.limits.RateWindow}
	}
	if tn.ownFlood() {
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

// ownRate and ownFlood report whether tenant t (nil: none) sets its own
// rate or flood limit, which then replaces the packs'.
func (t *tenant) ownRate() bool {
	return t != nil && t.limits.RateLimit > 0 && t.limits.RateWindow > 0
}

func (t *tenant) ownFlood() bool {
	return t != nil && t.limits.FloodRecipients > 0 && t.limits.FloodWindow > 0
}

// firstLimit returns the first limit set, of the destination's, the
// channel's and the global pack, in that order.
func firstLimit(dest, channel, global *rateLimit) rateLimit {
	for _, r := range [...]*rateLimit{dest, channel, global} {
		if r != nil {
			return *r
		}
	}
	return rateLimit{}
}

// checkLimitRules refuses a revision whose packs set a limit that no rule
// cites: Go would report its reason without a citation.
func (p *policy) checkLimitRules() error {
	need := func(pack, key, rule string) error {
		if _, ok := p.ruleInfo[rule]; ok {
			return nil
		}
		return &rules.PolicyError{File: pack + "/data.json", Msg: fmt.Sprintf("%s is set, but no rule carries the METADATA of %s", key, rule)}
	}
	check := func(pack string, l packLimits) error {
		if l.rate != nil && l.rate.n > 0 {
			if err := need(pack, "rate_limit", ruleRateLimit); err != nil {
				return err
			}
		}
		if l.flood != nil && l.flood.n > 0 {
			return need(pack, "duplicate_flood", ruleDuplicateFlood)
		}
		return nil
	}
	if err := check(rules.KindGlobal, p.global.limits); err != nil {
		return err
	}
	for cc, pc := range p.countries {
		if err := check(rules.KindCountry+"/"+strings.ToLower(cc), pc.limits); err != nil {
			return err
		}
	}
	for ch, pc := range p.channels {
		if err := check(rules.KindChannel+"/"+ch, pc.limits); err != nil {
			return err
		}
		if pc.limits.session > 0 {
			if err := need(rules.KindChannel+"/"+ch, "session_max_messages", ch+ruleSessionSuffix); err != nil {
				return err
			}
		}
	}
	return nil
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
	h := fnv1a.New64()
	write := h.AddByte
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
	sum := uint64(h)
	for k := 15; k >= 0; k-- {
		out[k] = hexDigits[sum&0xf]
		sum >>= 4
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
