package filter

// What the fleet's traffic as a whole says about a message, from a store
// that implements state.Fleet (Memory and redisstore.Store do):
//
//   - first seen: how long ago the fleet first carried each link's
//     registrable domain (links[].first_seen). A store whose history is
//     younger than firstSeenWarmup when it first records a domain cannot
//     tell an old domain from a new one: that domain stays unknown, and
//     unknown is not fresh. A domain never seen by a warm store is new now.
//   - campaigns: the near-duplicate fingerprint of the normalized body
//     (internal/campaign: MinHash band keys, links removed, digit runs one
//     token), so one changed word or a rotated sender or link does not make
//     another campaign. A message is counted with its campaign's first
//     message (its representative) when the store confirms it by
//     signature (state.Campaigns: band keys alone miss a pair in 50), else
//     it starts its own. Each campaign counts its distinct recipients per
//     window in one set, across senders, tenants and recipients:
//     DUPLICATE_FLOOD past the packs' campaign_flood bound, decided by Go
//     from the store's answer like the other limits (conversation.go),
//     only for messages let through; a store that does not implement
//     state.Campaigns counts none. A campaign reported as fraud or spam
//     (reportCampaign) is campaign.reported, which global/reported-content
//     blocks.
//
// The store is read in stage classify (after extract, which finds the
// links) under the check's deadline, in one call. Both facts keep the
// caches correct: the fact cache keys on them (the walk), and within one
// minute (the exact cache's resolution) they do not change for one message:
// ages are counted in whole minutes of the clock and bucketed. A report
// (Engine.Report) changes the exact cache's key with a local store, and
// with a shared one the exact cache is not consulted (model.go); a
// reported campaign's decisions are never put in it, so a ham report lifts
// the mark at once.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	campaigns "github.com/msgfilter/msgfilter/internal/campaign" // "campaign" names a test message
	"github.com/msgfilter/msgfilter/internal/links"
	"github.com/msgfilter/msgfilter/internal/textnorm"
	"github.com/msgfilter/msgfilter/rules"
	"github.com/msgfilter/msgfilter/state"
)

// firstSeenWarmup is how long a store records domains before a domain it
// has never seen counts as new: the fleet's regular domains show up within
// a day.
const firstSeenWarmup = 24 * time.Hour

// ageBuckets are the bounds first_seen.age_minutes is rounded down to.
var ageBuckets = [...]int{0, 5, 15, 60, 180, 360, 720, 1440, 2880, 10080, 43200}

// ruleCampaignFlood is the rule whose METADATA Go cites for a campaign
// over its bound (policies/global/campaign.rego).
const ruleCampaignFlood = "global/campaign-flood"

// fleet returns the engine's store as a state.Fleet, or nil.
func (e *Engine) fleet() state.Fleet {
	if e.conv == nil {
		return nil
	}
	return e.conv.fleet
}

// campaigns returns the engine's store as a state.Campaigns, or nil.
func (e *Engine) campaigns() state.Campaigns {
	if e.conv == nil {
		return nil
	}
	return e.conv.campaigns
}

// campaign (part of stage 8, classify) fingerprints the normalized body and
// reads, in one store call, when the links' domains were first seen and
// whether the campaign was reported.
func (c *check) campaign() error {
	fl := c.e.fleet()
	if fl == nil {
		return nil
	}
	if c.print == nil { // stage state may have computed it (subject.go)
		c.print = c.campaignBands()
	}
	var bands []uint64
	if c.print != nil {
		bands = c.print.bands[:]
	}
	// The distinct domains, found by a scan or, past a few links, a map: a
	// 64 KiB body can carry a thousand.
	var domains []string
	var index map[string]int
	if len(c.facts.Links) > 8 {
		index = make(map[string]int, len(c.facts.Links))
	}
	find := func(d string) int {
		if index != nil {
			if j, ok := index[d]; ok {
				return j
			}
			return -1
		}
		return slices.Index(domains, d)
	}
	for i := range c.facts.Links {
		// A domain no store holds (over 256 bytes, longer than DNS allows)
		// stays unknown rather than cost the campaign its reported mark.
		if l := &c.facts.Links[i]; !l.IPLiteral && len(l.Domain) <= state.MaxFieldLen && find(l.Domain) < 0 {
			if index != nil {
				index[l.Domain] = len(domains)
			}
			domains = append(domains, l.Domain)
		}
	}
	if len(domains) > state.MaxFleetItems {
		domains = domains[:state.MaxFleetItems] // the rest stay unknown
	}
	seen := make([]time.Time, len(domains))
	obs, err := c.observe(fl, domains, bands, seen)
	if err != nil {
		return fmt.Errorf("filter: reading campaign and link history: %w", err)
	}
	c.facts.Campaign.Reported = obs.Reported
	for i := range c.facts.Links {
		l := &c.facts.Links[i]
		if j := find(l.Domain); j >= 0 && j < len(domains) && !l.IPLiteral {
			l.FirstSeen = firstSeenFacts(seen[j], obs.Since, c.now)
		}
	}
	return nil
}

// observe reads the fleet's history under the check's deadline (see
// storeCtx).
func (c *check) observe(fl state.Fleet, domains []string, bands []uint64, seen []time.Time) (state.Observation, error) {
	ctx, err := c.storeCtx()
	if err != nil {
		return state.Observation{}, err
	}
	return fl.Observe(ctx, domains, bands, c.now, seen)
}

// firstSeenFacts turns a first sighting into facts: ages in whole minutes
// of the clock, rounded down to a bucket.
func firstSeenFacts(first, since, now time.Time) FirstSeenFacts {
	first, since, now = first.Truncate(time.Minute), since.Truncate(time.Minute), now.Truncate(time.Minute)
	if first.Sub(since) < firstSeenWarmup {
		return FirstSeenFacts{}
	}
	age := int(max(now.Sub(first), 0) / time.Minute)
	b := 0
	for _, bound := range ageBuckets {
		if age >= bound {
			b = bound
		}
	}
	return FirstSeenFacts{Known: true, AgeMinutes: b}
}

// campaignPrint is a body's campaign fingerprint as the fleet store takes
// it: its band keys and its signature. It is on the heap, and never written
// once made, so that a check (or a template entry) hands slices of it to
// the store's interfaces without copying it, and without moving the check
// to the heap.
type campaignPrint struct {
	bands [campaigns.Bands]uint64
	sig   [campaigns.Hashes]uint64
}

// campaignBands fingerprints the body's normalized words with its links
// masked, so that rotating a link changes nothing; nil for a body without
// words. It reads the check's normalized body (stage normalize) when there
// is one, so that a first sighting is normalized once; before normalize
// (stage state), on an exact-cache hit and for a report, it normalizes the
// body itself. Both ways give one fingerprint: the words of the body as
// written, every normalized byte that came from a link's text masked
// (maskLinks).
func (c *check) campaignBands() *campaignPrint {
	body, t := c.msg.Body, c.text
	var urls []string
	if t != nil {
		for i := range c.facts.Links {
			urls = append(urls, c.facts.Links[i].URL)
		}
	} else {
		for _, l := range uniqueLinks(c.p.links.Analyze(body)) {
			urls = append(urls, l.URL)
		}
		t = textPool.Get().(*textnorm.Text)
		defer textPool.Put(t)
		t.Reset(body)
	}
	words := t.Bytes(textnorm.Words)
	if len(urls) > 0 {
		var small [512]byte
		words = maskLinks(append(small[:0], words...), t, body, urls)
	}
	// Of keeps nothing of its argument: the bytes need no copy.
	fp := campaigns.Of(unsafe.String(unsafe.SliceData(words), len(words)))
	if fp.Empty() {
		return nil
	}
	return &campaignPrint{bands: fp.Bands(), sig: fp.Signature()}
}

// maskLinks writes a space over every byte of words (t's Words form, or a
// copy of it) that came from an occurrence of one of urls in body, and
// returns words. A word written against a link ("Visit:https://...")
// keeps its own letters, as if the link had been cut out of the body
// before normalizing: the fingerprint does not depend on how the link was
// glued to the text.
func maskLinks(words []byte, t *textnorm.Text, body string, urls []string) []byte {
	var spans [][2]int
	for _, u := range urls {
		for off := 0; u != ""; {
			i := strings.Index(body[off:], u)
			if i < 0 {
				break
			}
			spans = append(spans, [2]int{off + i, off + i + len(u)})
			off += i + len(u)
		}
	}
	// inLink reports whether original bytes [s, e) overlap a link: all
	// (1), none (0) or some (-1).
	inLink := func(s, e int) int {
		for _, sp := range spans {
			if s >= sp[0] && e <= sp[1] {
				return 1
			}
			if s < sp[1] && e > sp[0] {
				return -1
			}
		}
		return 0
	}
	for i := 0; i < len(words); {
		if words[i] == ' ' {
			i++
			continue
		}
		end := i + 1
		for end < len(words) && words[end] != ' ' {
			end++
		}
		s, e := t.Span(textnorm.Words, i, end)
		switch inLink(s, e) {
		case 1:
			for j := i; j < end; j++ {
				words[j] = ' '
			}
		case -1: // a word against a link: byte by byte
			for j := i; j < end; j++ {
				if s, e := t.Span(textnorm.Words, j, j+1); inLink(s, e) != 0 {
					words[j] = ' '
				}
			}
		}
		i = end
	}
	return words
}

// countCampaign (part of stage decide) counts a message let through against
// its campaign's recipients-per-window bound, under the check's deadline;
// over the bound, the decision becomes a block with DUPLICATE_FLOOD. It
// runs before count, so a message the campaign refuses counts against no
// conversation limit.
func (c *check) countCampaign() error {
	cs, m := c.e.campaigns(), &c.msg
	if cs == nil || c.d.Action != Allow && c.d.Action != Review {
		return nil
	}
	l := c.p.campaignLimitFor(c.dest, m.Kind)
	if l.n == 0 {
		return nil
	}
	if c.print == nil { // an exact-cache hit
		if c.print = c.campaignBands(); c.print == nil {
			return nil
		}
	}
	ctx, err := c.storeCtx()
	if err != nil {
		return err
	}
	// Counted with its campaign's representative, confirmed by signature
	// (internal/campaign), in one call.
	out, err := cs.CountCampaign(ctx, c.print.bands[:], c.print.sig[:], campaigns.Confirm, c.rcpt.E164, l.n, l.window, c.now)
	if errors.Is(err, state.ErrInvalid) {
		return nil // a recipient no store holds
	}
	if err != nil {
		return fmt.Errorf("filter: counting campaign: %w", err)
	}
	if out.Allowed {
		return nil
	}
	d := &c.d
	d.Reasons = slices.Clip(d.Reasons) // appending must not write into a cached decision's array
	d.Action, d.Until = Block, time.Time{}
	d.Reasons = append(d.Reasons, c.p.reason(DuplicateFlood, ruleCampaignFlood,
		fmt.Sprintf("%d recipients of near-duplicates of this message within %s, at most %d", out.Count, l.window, l.n)))
	return nil
}

// reportCampaign records a report on m's campaign: fraud or spam marks the
// band keys of m and of its campaign's representative reported (one store
// round trip more, off the check path), so its near-duplicates get
// campaign.reported (REPORTED_CONTENT); ham clears the marks. It is the
// campaign half of a report (Engine.Report calls it, after the model's
// half, whose report generation keeps the exact cache from serving
// decisions made before: a local store's generation is in the exact key,
// and with a shared store the exact cache is not consulted).
func (e *Engine) reportCampaign(ctx context.Context, m *Message, label string) error {
	p := e.policy.Load()
	if p == nil {
		return ErrZeroEngine
	}
	if m == nil {
		return invalid("message", "", "nil message")
	}
	if !utf8.ValidString(m.Body) {
		return invalid("body", "", "invalid UTF-8")
	}
	if len(m.Body) > e.opts.maxBodyBytes {
		return invalid("body", "", "longer than "+strconv.Itoa(e.opts.maxBodyBytes)+" bytes")
	}
	var reported bool
	switch label {
	case "fraud", "spam":
		reported = true
	case "ham":
	default:
		return invalid("label", label, "want fraud, spam or ham")
	}
	fl := e.fleet()
	if fl == nil {
		return ErrNoStore
	}
	c := check{e: e, p: p, msg: *m, ctx: ctx}
	fp := c.campaignBands()
	if fp == nil {
		return nil // no words: no campaign to mark
	}
	now := m.Time
	if now.IsZero() {
		now = e.opts.clock()
	}
	// Marked under the campaign's representative's bands too, which every
	// message counted with it shares one of (state.Campaigns): the check
	// path reads the marks under the message's own bands in the one call it
	// makes anyway. Resolving refreshes the representative, or makes the
	// reported message one, as checking it did.
	keys := fp.bands[:]
	if cs, ok := fl.(state.Campaigns); ok {
		rep, err := cs.Resolve(ctx, keys, fp.sig[:], campaigns.Confirm, now)
		if err != nil {
			return fmt.Errorf("filter: resolving campaign: %w", err)
		}
		for _, b := range rep {
			if !slices.Contains(keys, b) {
				keys = append(keys, b)
			}
		}
	}
	if err := fl.MarkReported(ctx, keys, reported, now); err != nil {
		return fmt.Errorf("filter: marking campaign: %w", err)
	}
	return nil
}

// uniqueLinks drops repeated links (the same URL as written): a 64 KiB
// body can repeat one link a thousand times, and the policies need it once.
func uniqueLinks(ls []links.Link) []links.Link {
	if len(ls) < 2 {
		return ls
	}
	out := ls[:0:0]
	var seen map[string]bool
	if len(ls) > 8 {
		seen = make(map[string]bool, len(ls))
	}
	for _, l := range ls {
		if seen != nil {
			if seen[l.URL] {
				continue
			}
			seen[l.URL] = true
		} else if slices.ContainsFunc(out, func(o links.Link) bool { return o.URL == l.URL }) {
			continue
		}
		out = append(out, l)
	}
	return out
}

// campaignLimit is campaign_flood of a pack's data.json: at most n
// recipients of one campaign per window, for the kinds not exempt.
type campaignLimit struct {
	n      int
	window time.Duration
	exempt kindSet // resolved at load: a bit test per check, not a search
}

// kindSet is a set of the four message kinds, one bit each.
type kindSet uint8

// kindBit is k's bit in a kindSet, 0 for no kind.
func kindBit(k Kind) kindSet {
	switch k {
	case Transactional:
		return 1
	case Promotional:
		return 2
	case OTP:
		return 4
	case Service:
		return 8
	}
	return 0
}

// dataCampaign is campaign_flood in a pack's data.json.
type dataCampaign struct {
	N      *nonNegative `json:"recipients"`
	Window *nonNegative `json:"window_minutes"`
	Exempt []Kind       `json:"exempt_kinds"`
}

// readCampaignLimit reads a pack's campaign_flood, nil without one.
func readCampaignLimit(pack *rules.Pack) (*campaignLimit, error) {
	v, ok := pack.Data["campaign_flood"]
	if !ok {
		return nil, nil
	}
	var d dataCampaign
	if err := remarshal(v, &d); err != nil {
		return nil, fmt.Errorf("campaign_flood: %w", err)
	}
	r, err := limit(d.N, d.Window, time.Minute, "recipients and window_minutes")
	if err != nil {
		return nil, fmt.Errorf("campaign_flood: %w", err)
	}
	var exempt kindSet
	for _, k := range d.Exempt {
		b := kindBit(k)
		if b == 0 {
			return nil, fmt.Errorf("campaign_flood: exempt_kinds: %q is not a message kind", k)
		}
		exempt |= b
	}
	return &campaignLimit{n: r.n, window: r.window, exempt: exempt}, nil
}

// remarshal decodes a value of a pack's data into dst.
func remarshal(v any, dst any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}

// campaignLimitFor resolves the campaign bound of one message: the
// destination pack's campaign_flood, else the global pack's; none for an
// exempt kind.
func (p *policy) campaignLimitFor(country string, kind Kind) campaignLimit {
	l := p.pack(country).campaign
	if l == nil {
		l = p.global.campaign
	}
	if l == nil || l.exempt&kindBit(kind) != 0 || l.window < time.Millisecond {
		return campaignLimit{}
	}
	return *l
}

// checkCampaignRule refuses a revision that sets a campaign bound no rule
// cites.
func (p *policy) checkCampaignRule() error {
	packs := map[string]*packConfig{rules.KindGlobal: &p.global}
	for cc, pc := range p.countries {
		packs[rules.KindCountry+"/"+strings.ToLower(cc)] = pc
	}
	for name, pc := range packs {
		if pc.campaign != nil && pc.campaign.n > 0 {
			if _, ok := p.ruleInfo[ruleCampaignFlood]; !ok {
				return &rules.PolicyError{File: name + "/data.json", Msg: "campaign_flood is set, but no rule carries the METADATA of " + ruleCampaignFlood}
			}
		}
	}
	return nil
}
