package filter

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/internal/dlt"
	"github.com/msgfilter/msgfilter/internal/links"
	"github.com/msgfilter/msgfilter/internal/optout"
	"github.com/msgfilter/msgfilter/internal/smsenc"
	"github.com/msgfilter/msgfilter/internal/terms"
	"github.com/msgfilter/msgfilter/internal/textnorm"
	"github.com/msgfilter/msgfilter/rules"
	"github.com/msgfilter/msgfilter/state"
)

// check is one message on its way through the pipeline of doc.go. It lives
// for one Check or Explain call on one goroutine and reads one policy
// revision from start to end. Its methods are the stages; each reads what
// the stages before it left and writes its own fields, so data flows down
// only.
type check struct {
	e *Engine
	p *policy // nil for a zero Engine
	// msg is a copy of the message: a pointer to the caller's would move
	// every message to the heap (the observers retain what the check holds).
	msg     Message
	nilMsg  bool // Check(ctx, nil)
	explain bool // Explain: the exact cache is skipped, the facts are kept

	// The check's one deadline: the caller's, else the budget from the
	// first stage that waits (the state store or the policies; the stages
	// before take microseconds, and reading the clock for every check would
	// cost a cache hit a quarter of its time); zero for none. ctx is the
	// caller's context; timed is ctx bounded by the deadline, made by the
	// first stage that waits.
	ctx      context.Context
	start    time.Time // for the observers; zero when they need no latency
	deadline time.Time
	timed    context.Context
	cancel   context.CancelFunc

	// validate
	dest   string // destination, upper-case ISO 3166-1 alpha-2
	rcpt   geo.Recipient
	zone   geo.Zone   // the recipient's time zones (geo.Numbers.RecipientZone); zero when none is known
	src    netip.Addr // invalid without a source_ip
	now    time.Time  // the message time
	tenant *tenant

	exactKey       cacheKey
	templateKey    string         // template cache (template.go): a miss's key, for the entry it stores
	hasTemplate    bool           // the body may use the template cache
	templateMasked bool           // templateKey masks free runs (else it is the literal body)
	noPhones       bool           // a template hit: the body has no phone number, by its shape (phones)
	exactWhole     bool           // exactCache: exactKey hashed both halves (else it may not be looked up or put)
	bodyLinks      []links.Link   // links: the body's (uniqueLinks), shared with its template entry: read-only
	linked         bool           // a template hit set bodyLinks
	text           *textnorm.Text // normalize; back to its pool in release
	instructs      bool           // match: the opt-out lists' instructions, STOP aside
	scratch        *scratch       // classify; back to its pool in release
	facts          Facts          // built by state, extract and enrich
	size           smsenc.Size    // measure: the body's encoding and segments
	runes          int            // and its length in characters
	sized          bool           // size and runes are set (measure, or a template hit)
	named          ModelFeatures  // classify: the features named at the lower of the check's floor and the template cache's
	print          *campaignPrint // classify: the campaign's band keys and signature, with a fleet store; nil for none (campaign.go)
	subject        int            // state: the recipient region's same_subject_limit, 0 where none applies (subject.go)
	convKey        state.Key      // state: the conversation's key, which count counts under
	timeKey        *timeKey       // enrich: the time facts' key bytes, from the clock cache (buildFacts); nil: walk them
	template       *templateEntry // templateCache: the entry hit, for its content facts' key bytes and its memo
	memo           memoKey        // memoDecision: the content and time facts' key bytes, when the check may be memoized
	fromMemo       bool           // memoDecision: the template entry's memo answered
	factKey        cacheKey       // from the walk that builds OPA's input
	readsKey       cacheKey       // of the facts the destination's query can see, when hasReadsKey (factCache)
	hasReadsKey    bool
	plan           *queryPlan // readKey: the destination's query's read program, when it has parts (parts.go)
	readFacts      *Facts     // readKey: the copy of the facts its programs read
	fromParts      bool       // evaluate: every part's findings came from the fact cache
	findings       []rules.Finding
	d              Decision
}

// run calls the stages in the order doc.go lists them. A stage's error ends
// the check; settle then decides by the fail mode.
func (c *check) run() error {
	if c.p == nil {
		return ErrZeroEngine
	}
	if err := c.validate(); err != nil {
		return err
	}
	if err := c.state(); err != nil {
		return err
	}
	if !c.exactCache() {
		c.extract()
		hit := c.templateCache()
		c.links()
		if !hit {
			c.normalize()
			c.match()
			// classify (stage 8): each classifier is one method reading
			// c.text and c.facts and writing its own facts.
			if err := c.classify(); err != nil {
				return err
			}
			c.rememberTemplate()
		}
		c.phones()
		if err := c.campaign(); err != nil {
			return err
		}
		c.enrich()
		if !c.memoDecision() {
			c.buildFacts()
			if !c.factCache() {
				if err := c.evaluate(); err != nil {
					return err
				}
			}
		}
	}
	return c.decide()
}

// startCheck starts c, a zero check, of m on the revision deciding now. A
// check is started in place: it is 1.6 KiB, and returning one copied it, a
// twentieth of an exact-cache hit.
func (e *Engine) startCheck(c *check, ctx context.Context, m *Message, explain bool) {
	if ctx == nil {
		ctx = context.Background()
	}
	c.e, c.p, c.explain, c.ctx = e, e.policy.Load(), explain, ctx
	if m != nil {
		c.msg = *m
	} else {
		c.nilMsg = true
	}
	if e.obs.timed() {
		c.start = time.Now()
	}
	c.deadline, _ = ctx.Deadline()
}

// alive returns what ends the check before a stage that waits: the caller's
// context done, or the deadline passed. The first call starts the budget.
func (c *check) alive() error {
	if c.deadline.IsZero() && c.e.opts.budget > 0 {
		c.deadline = time.Now().Add(c.e.opts.budget)
	}
	if err := c.ctx.Err(); err != nil {
		return err
	}
	if !c.deadline.IsZero() && !time.Now().Before(c.deadline) {
		return context.DeadlineExceeded
	}
	return nil
}

// bounded returns the context for a stage that may block: the caller's,
// bounded by the check's deadline. The timer is made once, by the first
// such stage, so checks answered by a cache never pay for it.
func (c *check) bounded() (context.Context, error) {
	if err := c.alive(); err != nil {
		return nil, err
	}
	if c.timed == nil {
		if c.deadline.IsZero() {
			c.timed = c.ctx
		} else {
			c.timed, c.cancel = context.WithDeadline(c.ctx, c.deadline)
		}
	}
	return c.timed, nil
}

// snapshot reads the conversation of key, with the opt-out of
// optOutSender unless it is empty (state.Store), from the store under the
// check's deadline (see storeCtx).
func (c *check) snapshot(key state.Key, optOutSender string) (state.Snapshot, error) {
	ctx, err := c.storeCtx()
	if err != nil {
		return state.Snapshot{}, err
	}
	return c.e.conv.store.Snapshot(ctx, key, optOutSender, c.now)
}

// consume counts a message in the store under the check's deadline (see
// storeCtx).
func (c *check) consume(key state.Key, l state.Limits, fingerprint string) (state.Outcome, error) {
	ctx, err := c.storeCtx()
	if err != nil {
		return state.Outcome{}, err
	}
	return c.e.conv.store.Consume(ctx, key, l, fingerprint, c.now)
}

// storeCtx is the context of a state store call. An in-memory store answers
// at once and needs no timer. Any other store gets the check's deadline,
// and returning by it is the store's part (state.Store; redisstore abandons
// a call its client would not end in time).
func (c *check) storeCtx() (context.Context, error) {
	if c.e.conv.local {
		return c.ctx, c.ctx.Err()
	}
	return c.bounded()
}

// validate (stage 1) checks the message and resolves its destination (the
// recipient's country, or the message's country), recipient, source address,
// time and tenant.
func (c *check) validate() error {
	m, e := &c.msg, c.e
	if c.nilMsg {
		return invalid("message", "", "nil message")
	}
	switch m.Channel {
	case SMS, Viber, WhatsApp, Messenger, RCS:
	case "":
		return invalid("channel", "", "missing")
	default:
		return invalid("channel", string(m.Channel), "want sms, viber, whatsapp, messenger or rcs")
	}
	switch m.Kind {
	case Transactional, Promotional, OTP, Service:
	case "":
		return invalid("kind", "", "missing")
	default:
		return invalid("kind", string(m.Kind), "want transactional, promotional, otp or service")
	}
	// Every string field is valid UTF-8 (channel, kind and
	// template_category are, once their switches admit them). Most
	// messages are ASCII throughout: one OR pass over the fields tells
	// so, and only a field with another byte is read again for UTF-8 (FR
	// and TR templates have accents in the body alone).
	if (highBits(m.ID)|highBits(m.Sender)|highBits(m.Recipient)|highBits(m.SourceIP)|
		highBits(m.Tenant)|highBits(m.Country)|highBits(m.Template)|highBits(m.Tag))&0x80 != 0 {
		for _, f := range [...]struct{ name, value string }{
			{"id", m.ID}, {"sender", m.Sender}, {"recipient", m.Recipient}, {"source_ip", m.SourceIP},
			{"tenant", m.Tenant}, {"country", m.Country}, {"template", m.Template}, {"tag", m.Tag},
		} {
			if !utf8.ValidString(f.value) {
				return invalid(f.name, "", "invalid UTF-8")
			}
		}
	}
	if highBits(m.Body)&0x80 != 0 && !utf8.ValidString(m.Body) {
		return invalid("body", "", "invalid UTF-8")
	}
	if len(m.Body) > e.opts.maxBodyBytes {
		return invalid("body", "", "longer than "+strconv.Itoa(e.opts.maxBodyBytes)+" bytes")
	}
	// Conversation state is keyed by these: a longer value could hold no
	// opt-out or limit, so it is refused rather than let through.
	if max(len(m.Sender), len(m.Recipient), len(m.Tenant)) > state.MaxFieldLen {
		for _, f := range [...]struct{ name, value string }{{"sender", m.Sender}, {"recipient", m.Recipient}, {"tenant", m.Tenant}} {
			if len(f.value) > state.MaxFieldLen {
				return invalid(f.name, "", "longer than "+strconv.Itoa(state.MaxFieldLen)+" bytes")
			}
		}
	}
	// A sender that starts with a printable ASCII byte is not blank; only
	// another start is trimmed to tell.
	if s := m.Sender; (s == "" || s[0] <= ' ' || s[0] >= utf8.RuneSelf) && strings.TrimSpace(s) == "" {
		return invalid("sender", "", "missing")
	}
	if m.Recipient == "" {
		return invalid("recipient", "", "missing")
	}
	rcpt, zone, err := e.numbers.RecipientZone(m.Recipient)
	if err != nil {
		reason := err.Error()
		if ne, ok := err.(*geo.NumberError); ok {
			reason = ne.Reason
		}
		return invalid("recipient", m.Recipient, reason)
	}
	country := strings.ToUpper(m.Country)
	switch {
	case country == "" && rcpt.Country == "":
		return invalid("country", "", "missing, and the recipient is a non-geographic number")
	case country == "":
		country = rcpt.Country
	case !geo.IsCountry(country):
		return invalid("country", m.Country, "not an ISO 3166-1 alpha-2 country code")
	case rcpt.Country != "" && country != rcpt.Country:
		// The destination is the recipient's country: a sender must not
		// pick a laxer country's rules by naming another one.
		return invalid("country", m.Country, "the recipient "+m.Recipient+" is in "+rcpt.Country)
	}
	if m.SourceIP != "" {
		src, err := netip.ParseAddr(m.SourceIP)
		if err != nil {
			return invalid("source_ip", m.SourceIP, "not an IP address")
		}
		c.src = src.Unmap().WithZone("")
	}
	c.dest, c.rcpt, c.zone = country, rcpt, zone
	// The engine's clock, read once: the message's time is checked
	// against it, and the decision caches keep time by it (cacheClock).
	clock := e.opts.clock()
	e.cacheNow.set(clock)
	c.now = m.Time
	if c.now.IsZero() {
		c.now = clock
	} else if err := checkTime(m.Time, clock); err != nil {
		return err
	}
	if !m.LastInboundAt.IsZero() && m.LastInboundAt.After(c.now.Add(MaxClockSkew)) {
		return invalid("last_inbound_at", m.LastInboundAt.Format(time.RFC3339), "after the message time")
	}
	// The tenant's id, found once: the state key, the template key and
	// the facts take it (stage enrich keeps it).
	id := tenantID(m.Tenant)
	if len(e.opts.tenants) > 0 { // without tenants, every message's is nil: spare the lookup
		c.tenant = e.opts.tenants[id]
	}
	if err := c.validateTemplate(); err != nil {
		return err
	}
	c.facts.Message.Tenant = id
	return nil
}

// highBits returns the bytes of s ORed together, folded into the low byte
// by 8-byte words: its 0x80 bit is set when s holds a byte that is not
// ASCII. A word costs an OR and no branch, where utf8.ValidString tests
// every word.
func highBits(s string) uint64 {
	var x uint64
	for ; len(s) >= 8; s = s[8:] {
		x |= uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	}
	for i := 0; i < len(s); i++ {
		x |= uint64(s[i])
	}
	x |= x >> 32
	x |= x >> 16
	return x | x>>8
}

// state (stage 2) reads the conversation: the message's last_inbound_at,
// then the store's opt-out, session count and last inbound message.
func (c *check) state() error {
	m, conv := &c.msg, &c.facts.Conversation
	if !m.LastInboundAt.IsZero() {
		conv.HasInbound = true
		conv.InboundAgeMinutes = int(max(c.now.Sub(m.LastInboundAt), 0) / time.Minute)
	}
	if c.e.conv == nil {
		return nil
	}
	// First: keyed on the recipient, it holds whatever the sender's key.
	if err := c.sameSubject(); err != nil {
		return err
	}
	c.convKey = stateKey(c.facts.Message.Tenant, m.Sender, c.rcpt.E164, m.Channel)
	brand := c.brandOptOut()
	snap, err := c.snapshot(c.convKey, brand)
	if errors.Is(err, state.ErrInvalid) && brand != "" {
		// A sender no key holds (over 256 bytes once canonical: upper
		// case can be longer) never had a conversation, but its brand's
		// opt-out holds for it.
		k := c.convKey
		k.Sender, k.Channel = brand, ""
		snap, err = c.snapshot(k, "")
		snap = state.Snapshot{OptedOut: snap.OptedOut}
	}
	if errors.Is(err, state.ErrInvalid) {
		return nil // a key no store holds: nothing was ever recorded for it
	}
	if err != nil {
		return fmt.Errorf("filter: reading conversation state: %w", err)
	}
	conv.OptedOut = snap.OptedOut
	// The count only matters once it reaches the channel's cap; below it
	// the fact stays 0, so that the facts of a conversation repeat from
	// message to message and the caches keep working.
	if snap.SessionCount > 0 && snap.SessionCount >= c.p.limitsFor("", m.Channel, nil).Session {
		conv.SessionMessages = snap.SessionCount
	}
	if m.LastInboundAt.IsZero() && snap.HasInbound {
		conv.HasInbound = true
		conv.InboundAgeMinutes = int(max(c.now.Sub(snap.LastInbound), 0) / time.Minute)
	}
	return nil
}

// exactCache (stage 3) answers a message seen before in the same minute with
// the same conversation. The conversation is read first (stage 2) because it
// is part of what the key must cover: an opt-out changes the decision for
// the same message.
func (c *check) exactCache() bool {
	if c.e.exact == nil || c.explain || c.e.reports.shared {
		return false
	}
	c.exactKey, c.exactWhole = exactKey(c.e.exact, c.p, &c.msg, c.dest, c.now, &c.facts.Conversation, c.e.reports.generation())
	if !c.exactWhole {
		c.e.exact.refused(c.exactKey)
		return false
	}
	d, ok := c.e.exact.get(c.p, c.exactKey)
	if ok {
		c.d = d
		c.d.answeredBy(CacheExact)
	}
	return ok
}

var textPool = sync.Pool{New: func() any { return new(textnorm.Text) }}

// extract (stage 4) finds what every character of the body counts for:
// the links (links) and the phone numbers (phones), both after the template
// cache, with the lists they are on, and the DLT template.
func (c *check) extract() {
	c.facts.Content = ContentFacts{} // STOP: see match; phone numbers: see phones
	c.extractCompliance()
}

// links (part of stage extract) finds the body's links and the lists they
// are on: after the template cache, so that a hit of a body with a link
// (keyed as written) takes them from its entry (templateEntry.links) rather
// than analysing the same body again. A link's lists and the sender's
// registered domains are the check's, read from the links on every check.
func (c *check) links() {
	p, m, f := c.p, &c.msg, &c.facts
	ls := c.bodyLinks
	if !c.linked {
		ls = uniqueLinks(p.analyzer(m.Tenant).Analyze(m.Body))
		c.bodyLinks = ls
	}
	dest, global := p.pack(c.dest), &p.global
	f.Links = []LinkFacts{} // [] rather than null: rules iterate it
	for _, l := range ls {
		lf := linkFacts(l)
		lf.Blocked = domainListed(l.Host, global.blockedDomains) || domainListed(l.Host, dest.blockedDomains) ||
			c.tenant != nil && domainListed(l.Host, c.tenant.blockedDomains)
		if dest.senderDomains != nil {
			ok := domainListed(l.Host, dest.senderDomains[dlt.Header(m.Sender)])
			lf.SenderRegistered = &ok
		}
		f.Links = append(f.Links, lf)
	}
}

// phones (the end of stage extract) finds the phone numbers in the body,
// unless the template cache showed by the body's shape that it has none
// (templateEntry.noPhones): after the template cache, so that a hit can
// spare the scan.
func (c *check) phones() {
	if c.noPhones {
		c.facts.Content.PhoneNumbers = []PhoneNumberFacts{}
		return
	}
	c.facts.Content.PhoneNumbers = phoneFacts(c.p.phones.Find(c.msg.Body, c.dest))
}

// normalize (stage 6) computes the body's normalized forms once for every
// matcher (textnorm: NFKC, case fold, confusables, de-obfuscation).
func (c *check) normalize() {
	c.text = textPool.Get().(*textnorm.Text)
	c.text.Reset(c.msg.Body)
}

// maxBidiNesting is the deepest nesting of bidi controls the filter trusts
// its reading of. Right-to-left text nests one or two levels; renderers
// honour a bounded number (UAX #9's max_depth is 125 since Unicode 6.3, 61
// before, and implementations may stop sooner), and past theirs a phone
// displays the text in an order the filter did not read.
const maxBidiNesting = 16

// match (stage 7) finds the destination's terms and the opt-out lists'
// instructions in the normalized body, and the STOP keyword in the body as
// written (a template hit takes it from its entry: it reads letters, and
// bodies under one template key differ only in digits).
func (c *check) match() {
	f := &c.facts.Content
	f.BidiOverflow = c.text.BidiDepth() > maxBidiNesting
	// The content terms and the opt_out ones (loadPolicy), by one scan of
	// the automaton every destination shares, whose hits the template
	// cache keeps for the other destinations (template.go).
	m, hits := c.p.matcher(c.dest), &c.borrowScratch().hits
	m.Scan(c.text, hits)
	f.Categories, c.instructs, _ = categorize(m, hits, c.msg.Body)
	f.OptOutText = hasOptOutText(c.msg.Body)
	f.OptOutInstruction = f.OptOutText || c.instructs
}

// categorize returns the content categories of m's terms among hits, and
// whether an opt_out term instructs an opt-out; ok is false when hits are
// not of m's automaton (terms.Matcher.Project).
func categorize(m *terms.Matcher, hits *terms.Hits, body string) (_ Categories, instructs, ok bool) {
	r, ok := m.Project(hits, body)
	instructs = optout.Instructed(r)
	delete(r.Categories, optout.CategoryOut) // an instruction, not a content category
	return categoryFacts(r), instructs, ok
}

// enrich (stage 9) describes the message's parties and time: the sender's
// kind, country and registration, the recipient, the source address and
// the recipient's local time, with the quiet hours that hold the message.
func (c *check) enrich() {
	p, m, f := c.p, &c.msg, &c.facts
	c.measure()
	f.Schema = FactsSchema
	f.Message = MessageFacts{
		Channel: m.Channel,
		Kind:    m.Kind,
		Country: c.dest,
		Tenant:  f.Message.Tenant, // validate's tenantID
		Length:  c.runes,
	}
	c.enrichMessage()
	// Field by field: a SenderFacts built whole was one more copy of it.
	f.Sender.Sender = c.e.numbers.Sender(m.Sender)
	f.Sender.Registered = registered(&f.Sender.Sender, p.pack(c.dest).senders, c.tenant)
	f.Recipient = RecipientFacts{Country: c.rcpt.Country, NumberType: c.rcpt.NumberType}
	c.localTime() // time, recipient zone and region (localtime.go)
	f.Content.Model.Thresholds = c.modelThresholds()
	if c.src.IsValid() {
		f.Source = SourceFacts{Present: true, IPInfo: p.ipdb.Lookup(c.src)}
		if p.global.blockedNetworks.Contains(c.src) || p.pack(c.dest).blockedNetworks.Contains(c.src) ||
			c.tenant != nil && c.tenant.blockedNetworks.Contains(c.src) {
			f.Source.Blocked, f.Source.IP = true, c.src.String()
		}
	}
}

// measure sizes the body once, unless the template cache did (its entries
// keep the size): characters, SMS encoding and segments.
func (c *check) measure() {
	if !c.sized {
		c.size, c.runes, c.sized = smsenc.Measure(c.msg.Body), utf8.RuneCountInString(c.msg.Body), true
	}
}

// buildFacts (stage 10) completes the facts document and hashes it, with the
// walk that builds OPA's input in evaluate, into the fact cache's key.
func (c *check) buildFacts() {
	if c.e.facts == nil {
		return
	}
	k := hasherPool.Get().(*keyHasher)
	k.reset()
	k.u64(c.p.generation)
	c.facts.walk(walker{k: k, clockUse: c.p.set.Clock(), timeKey: c.timeKey, contentKey: c.memo.content})
	c.factKey = k.sum()
	hasherPool.Put(k)
}

// factCache (stage 11) answers a message whose facts were decided before,
// or, failing that, one whose facts the destination's query can see were
// (readKey): such a decision is put under the facts' own key as well, so
// that the next message with these facts is answered by the first lookup.
func (c *check) factCache() bool {
	d, hot, ok := c.e.facts.lookup(c.p, c.factKey)
	if hot != nil {
		c.remember(hot)
	}
	if !ok && c.readKey() {
		if d, ok = c.e.facts.get(c.p, c.readsKey); ok {
			c.e.facts.put(c.factKey, &d)
		}
	}
	if ok {
		c.d = d
		c.d.answeredBy(CacheFacts)
	}
	return ok
}

// evaluate (stage 12) runs the destination's prepared query (global +
// country + channel rules) on the facts, with the message time: pack by
// pack, each pack's findings from the fact cache when what it can see was
// evaluated before (parts.go), when the query has read programs.
func (c *check) evaluate() error {
	ctx, err := c.bounded()
	if err != nil {
		return err
	}
	now := c.now.Truncate(time.Minute)
	if c.plan != nil {
		c.fromParts, err = c.evaluateParts(ctx, now)
	} else {
		input := c.facts.walk(walker{build: true})
		c.findings, err = c.p.set.Eval(ctx, strings.ToLower(c.dest), string(c.msg.Channel), input, now)
	}
	if err != nil {
		return err
	}
	return c.alive() // OPA notices a deadline only in long evaluations
}

// decide (stage 13) settles the policies' decision, caches it at both
// levels, and counts a message let through against the conversation's
// limits (count, conversation.go).
func (c *check) decide() error {
	// A reported campaign's decisions stay out of the exact cache, whose
	// key does not cover the mark: a ham report elsewhere lifts it at once.
	useExact := c.e.exact != nil && !c.explain && !c.e.reports.shared && !c.facts.Campaign.Reported
	switch c.d.Cache {
	case CacheExact:
	case CacheFacts:
		if useExact {
			c.e.exact.putExact(c.exactKey, c.exactWhole, &c.d)
		}
	default:
		d, err := c.p.decide(c.findings)
		if err != nil {
			return err
		}
		c.d = d
		c.e.facts.put(c.factKey, &c.d)
		if c.hasReadsKey {
			c.e.facts.put(c.readsKey, &c.d)
		}
		if c.fromParts {
			c.d.answeredBy(CacheFacts) // each pack's findings were cached
		}
		if useExact {
			c.e.exact.putExact(c.exactKey, c.exactWhole, &c.d)
		}
	}
	if err := c.countCampaign(); err != nil {
		return err
	}
	if err := c.count(); err != nil {
		return err
	}
	return c.recordSubject()
}

// decide turns findings into a decision: the strongest action wins
// (block > defer > review > allow) and every reason is reported. The
// decision has no id: it may be cached for other messages.
func (p *policy) decide(findings []rules.Finding) (Decision, error) {
	d := Decision{Action: Allow, Revision: p.revision, Reasons: []Reason{}}
	if len(findings) > 0 {
		d.Reasons = make([]Reason, 0, len(findings))
	}
	for _, f := range findings {
		code, known := knownCodes[f.Code]
		if !known {
			return Decision{}, fmt.Errorf("filter: rule %s reported %q, which is not a reason code", f.Rule, f.Code)
		}
		action := code.DefaultAction()
		if f.Action != "" {
			action = Action(f.Action)
		}
		if action.strength() > d.Action.strength() {
			d.Action = action
		}
		if action == Defer {
			until, err := time.Parse(time.RFC3339, f.Until)
			if err != nil {
				return Decision{}, fmt.Errorf("filter: rule %s deferred without a valid until %q", f.Rule, f.Until)
			}
			// One representation whatever the host's zone, so that a
			// decision from a cache equals one from the policies.
			_, off := until.Zone()
			until = time.Unix(until.Unix(), 0).In(fixedZone(off))
			if until.After(d.Until) {
				d.Until = until
			}
		}
		d.Reasons = append(d.Reasons, p.reason(code, f.Rule, f.Evidence))
	}
	if d.Action != Defer {
		d.Until = time.Time{}
	}
	return d, nil
}

// reason is a reason of the rule with the given id, with what the rule's
// METADATA gives it.
func (p *policy) reason(code Code, rule, evidence string) Reason {
	r := Reason{Code: code, Rule: rule, Evidence: evidence}
	if ri, ok := p.ruleInfo[rule]; ok {
		r.Rule, r.Country, r.Citation = ri.rule, ri.country, ri.citation
	}
	return r
}

// settle is the one place a check's outcome becomes its Decision, written
// to d: the stages' decision, or, when they could not decide (an error, a
// panic, the deadline), the fail mode's with ENGINE_ERROR or ENGINE_TIMEOUT.
// An invalid message gets an empty Decision with its id.
func (c *check) settle(d *Decision, err error, recovered any) error {
	if recovered != nil {
		err = fmt.Errorf("%w: %v", ErrPanic, recovered)
	}
	var id string
	if !c.nilMsg {
		id = c.msg.ID
	}
	if err == nil {
		*d = c.d
		d.ID = id
		return nil
	}
	if errors.Is(err, ErrInvalidMessage) {
		*d = Decision{ID: id}
		return err
	}
	code, evidence := EngineError, err.Error()
	timedOut := errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
	if !timedOut && !c.deadline.IsZero() && !time.Now().Before(c.deadline) {
		// A store or evaluation error at the deadline (a socket timeout,
		// say) is the deadline's doing.
		err = fmt.Errorf("%w (%w)", err, context.DeadlineExceeded)
		timedOut = true
	}
	if timedOut {
		code, evidence = EngineTimeout, "no decision before the deadline: "+evidence
	}
	*d = Decision{ID: id, Action: Block, Reasons: []Reason{{Code: code, Rule: "engine", Evidence: evidence}}}
	if c.e.opts.failMode == FailOpen {
		d.Action = Allow
	}
	if c.p != nil {
		d.Revision = c.p.revision
	}
	return err
}

// release returns what the check borrowed.
func (c *check) release() {
	if c.cancel != nil {
		c.cancel()
	}
	if c.text != nil {
		textPool.Put(c.text)
		c.text = nil
	}
	if c.scratch != nil {
		scratchPool.Put(c.scratch)
		c.scratch = nil
	}
}
