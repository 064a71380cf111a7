package filter

// Building a revision: everything a check reads that can change without a
// restart, derived once from a policy source and the files read beside it.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"math"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/internal/bodyphones"
	"github.com/msgfilter/msgfilter/internal/dlt"
	"github.com/msgfilter/msgfilter/internal/lines"
	"github.com/msgfilter/msgfilter/internal/links"
	"github.com/msgfilter/msgfilter/internal/optout"
	"github.com/msgfilter/msgfilter/internal/terms"
	"github.com/msgfilter/msgfilter/rules"
	"github.com/msgfilter/msgfilter/state"
)

// policy is one loaded policy revision with everything derived from it. It is
// swapped whole, so a check never sees half a reload.
type policy struct {
	set       *rules.Set
	global    packConfig                // the global pack
	countries map[string]*packConfig    // upper-case country → its pack
	byCode    [26 * 26]*packConfig      // the same by countryIndex: pack runs several times a check
	channels  map[string]*packConfig    // channel → its pack
	content   map[string]*terms.Matcher // destination → its content terms and the opt_out ones (outgoing instructions)
	optOuts   *optout.Detector          // opt-out and opt-in words of the global lists: inbound revocations
	links     *links.Analyzer
	// tenantLinks are the analyzers of tenants with brands of their own.
	tenantLinks map[string]*links.Analyzer
	phones      *bodyphones.Finder // caches number parses across messages
	ipdb        *geo.IPDB          // nil without WithGeoIP; per revision, so a reload re-opens it

	generation uint64 // unique per load: part of every cache key
	// templateRun is the runs of digits the template cache masks (the
	// zero rule: no template cache), templateAnchors the Words forms next
	// to which a term can match part of one (template.go).
	templateRun     maskRule
	templateAnchors [][]byte
	ruleInfo        map[string]*ruleInfo // rule id → what its reasons carry
	reads           *readsTable          // each query's read program, for the fact cache's key (facts_value.go)

	// revision names what decides: the rules' revision, plus a digest of
	// the files read beside them (phishing feed, shortener lists, GeoIP
	// databases) when there are any, so that Decision.Revision changes when
	// a reload only brings a new feed.
	revision string

	// featureFloor is the lowest model threshold of any destination or
	// tenant: a template entry, shared by all, names the model's features
	// from it (classify).
	featureFloor float64

	// noPackLimits are the limits by channelIndex of a destination
	// without a pack, without a tenant's (limitsFor).
	noPackLimits [len(channels)]state.Limits
}

// packConfig is what Go reads of one pack, once, when the pack loads: the
// keys of its data.json that Go acts on, and its lookup files.
type packConfig struct {
	zone   *time.Location // time_zone; nil without one
	quiet  []namedSpec    // quiet_hours, by name (localtime.go)
	limits packLimits     // rate_limit, duplicate_flood, session_max_messages, session_minutes
	// resolved are a country pack's limits by channelIndex, without a
	// tenant's (policy.limitsFor).
	resolved [len(channels)]state.Limits
	terms    []terms.Term // terms/*.jsonl, content categories only

	blockedNetworks *geo.CIDRSet               // blocked_networks.txt
	blockedDomains  map[string]bool            // blocked_domains.txt
	senders         map[string]bool            // senders.txt, upper case; nil: no registry
	senderDomains   map[string]map[string]bool // sender_domains.json, upper-case sender → domains; nil: no registry
	campaign        *campaignLimit             // campaign_flood; nil when the pack does not set it
	sameSubject     map[string]int             // same_subject_limit: region → messages per 24 h; nil without
	dlt             *dlt.Registry              // dlt_templates.jsonl (country packs); nil: no registry

	// protocol overrides the gateway statuses of reason codes (the global
	// pack's protocol_mapping); nil without any.
	protocol map[Code]ProtocolStatus

	// modelFloor is the lowest threshold of data.json's "model" (when
	// hasModel): below it no model rule fires, so the model's evidence
	// features need not be named (classify, model.go).
	modelFloor float64
	hasModel   bool
	// thresholds are data.json's "model" thresholds of the model's rules
	// (check.modelThresholds).
	thresholds ModelThresholdFacts
	// model and modelLow are, for a country pack, its thresholds resolved
	// with the global pack's (the stricter of each) and the lowest of them,
	// once at load (policy.modelThresholds).
	model    ModelThresholdFacts
	modelLow float64
}

// modelThresholds returns the model rules' thresholds of a destination,
// the global pack's made stricter by the destination's pack, and the
// lowest of them (+Inf for none): resolved at load.
func (p *policy) modelThresholds(country string) (ModelThresholdFacts, float64) {
	if pc := p.pack(country); pc != &noPack {
		return pc.model, pc.modelLow
	}
	return p.global.thresholds, p.global.floor()
}

// floor returns the pack's lowest model threshold, +Inf without one.
func (pc *packConfig) floor() float64 {
	if !pc.hasModel {
		return math.Inf(1)
	}
	return pc.modelFloor
}

// packData is the part of a pack's data.json that Go reads; the rest is for
// the Rego rules alone.
type packData struct {
	TimeZone           string                    // time_zone
	RateLimit          *dataRate                 // rate_limit
	DuplicateFlood     *dataFlood                // duplicate_flood
	SessionMaxMessages *nonNegative              // session_max_messages
	SessionMinutes     *nonNegative              // session_minutes
	Model              map[string]float64        // model: thresholds of policies/global/model.rego
	SameSubjectLimit   map[string]nonNegative    // same_subject_limit: region → messages per 24 h
	ProtocolMapping    map[string]ProtocolStatus // protocol_mapping (global pack): statuses by code
}

// Files a pack may carry beside its Rego, which Go turns into lookups when
// the pack loads (policies/README.md documents them).
const (
	termsGlob          = "terms/*.jsonl"        // term lists, one per language
	blockedNetworksTxt = "blocked_networks.txt" // CIDRs or IPs: SOURCE_IP_BLOCKED
	blockedDomainsTxt  = "blocked_domains.txt"  // domains: DOMAIN_BLOCKED
	shortenersTxt      = "shorteners.txt"       // extra URL shortener domains (global pack)
	sendersTxt         = "senders.txt"          // registered sender IDs: SENDER_NOT_REGISTERED
	senderDomainsJSON  = "sender_domains.json"  // sender → registered link domains: URL_NOT_WHITELISTED
	brandsJSON         = "brands.json"          // protected brands: IDN_HOMOGRAPH, SUSPICIOUS_LINK
	dltTemplatesJSONL  = "dlt_templates.jsonl"  // DLT content templates (India): TEMPLATE_NOT_REGISTERED
)

// phoneCacheSize bounds the phone numbers a policy remembers parsing:
// templated messages repeat the same call-back numbers.
const phoneCacheSize = 1 << 14

// pack returns the destination's pack config, or an empty one.
func (p *policy) pack(country string) *packConfig {
	if i, ok := countryIndex(country); ok && p.byCode[i] != nil {
		return p.byCode[i]
	}
	return &noPack
}

// countryIndex numbers the two upper-case letters a pack's country is.
func countryIndex(cc string) (int, bool) {
	if len(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' {
		return 0, false
	}
	return int(cc[0]-'A')*26 + int(cc[1]-'A'), true
}

var noPack packConfig

// analyzer returns the link analyzer for a tenant as a message names it
// (in any case, as the tenant's other settings: tenantID): the packs'
// brands, and the tenant's own when it has some.
func (p *policy) analyzer(tenant string) *links.Analyzer {
	if a, ok := p.tenantLinks[tenantID(tenant)]; ok {
		return a
	}
	return p.links
}

// matcher returns the content matcher for a destination.
func (p *policy) matcher(country string) *terms.Matcher {
	if m, ok := p.content[country]; ok {
		return m
	}
	return p.content[""]
}

// citation returns the METADATA of a rule; none for a zero Engine's nil
// policy.
func (p *policy) citation(rule string) (rules.Citation, bool) {
	if p == nil {
		return rules.Citation{}, false
	}
	return p.set.Citation(rule)
}

// loadPolicy compiles a policy source and everything Go derives from it.
func (e *Engine) loadPolicy(ctx context.Context, fsys fs.FS) (*policy, error) {
	set, err := rules.Load(ctx, fsys)
	if err != nil {
		return nil, err
	}
	inputs := sha256.New()
	p := &policy{
		set:        set,
		countries:  map[string]*packConfig{},
		channels:   map[string]*packConfig{},
		content:    map[string]*terms.Matcher{},
		phones:     bodyphones.NewFinder(phoneCacheSize),
		generation: generations.Add(1),
		ruleInfo:   map[string]*ruleInfo{},
	}
	for id, c := range set.Citations() {
		for _, code := range c.Codes {
			if _, ok := knownCodes[code]; !ok {
				return nil, &rules.PolicyError{File: c.Pack, Msg: fmt.Sprintf("rule %s reports %q, which is not a reason code (see filter.Code)", id, code)}
			}
		}
		ri := &ruleInfo{rule: id, citation: c.String()}
		if cc, ok := strings.CutPrefix(c.Pack, rules.KindCountry+"/"); ok {
			ri.country = strings.ToUpper(cc)
		}
		p.ruleInfo[id] = ri
	}
	var keywords []terms.Term
	for _, pack := range set.Packs() {
		pc, kw, err := readPackConfig(pack)
		if err != nil {
			return nil, err
		}
		switch pack.Kind {
		case rules.KindGlobal:
			p.global, keywords = *pc, kw
		case rules.KindCountry:
			cc := strings.ToUpper(pack.Code)
			if !geo.IsCountry(cc) {
				return nil, &rules.PolicyError{File: pack.Name, Msg: fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", pack.Code)}
			}
			p.countries[cc] = pc
			if i, ok := countryIndex(cc); ok {
				p.byCode[i] = pc
			}
		case rules.KindChannel:
			p.channels[pack.Code] = pc
		}
	}
	p.reads = newReadsTable(set, p.countries)
	p.featureFloor = p.global.floor()
	for _, pc := range p.countries {
		pc.model, pc.modelLow = p.global.thresholds.stricter(pc.thresholds), min(p.global.floor(), pc.floor())
		p.featureFloor = min(p.featureFloor, pc.modelLow)
	}
	for _, tn := range e.opts.tenants {
		p.featureFloor = min(p.featureFloor, tn.modelFloor())
	}
	if err := p.checkLimitRules(); err != nil {
		return nil, err
	}
	p.resolveLimitTable()
	if err := p.checkCampaignRule(); err != nil {
		return nil, err
	}
	if p.optOuts, err = optout.New(keywords); err != nil {
		return nil, &rules.PolicyError{File: "global/terms", Msg: err.Error()}
	}
	// Each content matcher also holds the opt_out terms, in their own
	// category, so that stage match scans an outgoing body once for the
	// content categories and the opt-out instruction (optout.Instructed).
	var instructions []terms.Term
	for _, t := range keywords {
		if t.Category == optout.CategoryOut {
			instructions = append(instructions, t)
		}
	}
	// One shared automaton for every destination's list (terms.CompileShared):
	// each list repeats the global terms, and a mix of destinations then
	// scans one structure that stays in the CPU cache, not one copy each.
	dests := []string{""}
	contentLists := [][]terms.Term{append(slices.Clip(p.global.terms), instructions...)}
	for cc, pc := range p.countries {
		if len(pc.terms) == 0 {
			continue
		}
		dests = append(dests, cc)
		contentLists = append(contentLists, slices.Concat(p.global.terms, pc.terms, instructions))
	}
	matchers, err := terms.CompileShared(contentLists...)
	if err != nil {
		file := "global/terms"
		if le := (*terms.ListError)(nil); errors.As(err, &le) {
			if le.List > 0 {
				file = "countries/" + strings.ToLower(dests[le.List]) + "/terms"
			}
			err = le.Err
		}
		return nil, &rules.PolicyError{File: file, Msg: err.Error()}
	}
	for i, cc := range dests {
		p.content[cc] = matchers[i]
	}
	lists := [][]terms.Term{keywords, p.global.terms}
	for _, pc := range p.countries {
		lists = append(lists, pc.terms)
	}
	p.templateRun, p.templateAnchors = templateRun(lists...)
	linkCfg, err := e.linkConfig(set, inputs)
	if err != nil {
		return nil, err
	}
	if p.links, err = links.New(linkCfg); err != nil {
		return nil, fmt.Errorf("filter: links: %w", err)
	}
	for name, tn := range e.opts.tenants {
		if len(tn.brands) == 0 {
			continue
		}
		cfg := linkCfg
		cfg.Brands = append(slices.Clip(linkCfg.Brands), tn.brands...)
		a, err := links.New(cfg)
		if err != nil {
			return nil, &TenantError{Tenant: name, Field: "Brands", Err: err}
		}
		if p.tenantLinks == nil {
			p.tenantLinks = map[string]*links.Analyzer{}
		}
		p.tenantLinks[name] = a
	}
	if p.ipdb, err = openGeoIP(e.opts.geoIPPaths, inputs); err != nil {
		return nil, err
	}
	p.revision = set.Revision()
	if e.opts.phishingFeed != "" || len(e.opts.shortenerFiles) > 0 || len(e.opts.geoIPPaths) > 0 {
		p.revision += "+" + hex.EncodeToString(inputs.Sum(nil))[:8]
	}
	return p, nil
}

// readPackConfig reads what Go needs of a pack: its data.json keys (a
// malformed limit is a load error: read as 0 it would silently turn a limit
// off everywhere), its term lists and its lookup files. keywords are the
// pack's opt-out and opt-in terms.
func readPackConfig(pack *rules.Pack) (pc *packConfig, keywords []terms.Term, err error) {
	pc = &packConfig{quiet: quietSpecs(pack.QuietHours())}
	fail := func(file string, err error) (*packConfig, []terms.Term, error) {
		return nil, nil, &rules.PolicyError{File: pack.Name + "/" + file, Msg: err.Error()}
	}
	var data packData
	for key, dst := range map[string]any{
		"time_zone": &data.TimeZone, "rate_limit": &data.RateLimit, "duplicate_flood": &data.DuplicateFlood,
		"session_max_messages": &data.SessionMaxMessages, "session_minutes": &data.SessionMinutes,
		"model": &data.Model, "protocol_mapping": &data.ProtocolMapping,
		"same_subject_limit": &data.SameSubjectLimit,
	} {
		v, ok := pack.Data[key]
		if !ok {
			continue
		}
		// One key at a time, so that the error names it.
		b, err := json.Marshal(v)
		if err == nil {
			err = json.Unmarshal(b, dst)
		}
		if err != nil {
			return fail("data.json", fmt.Errorf("%s: %w", key, err))
		}
	}
	if data.TimeZone != "" {
		if pc.zone, err = rules.LoadZone(data.TimeZone); err != nil {
			return fail("data.json", err)
		}
	}
	if r := data.RateLimit; r != nil {
		if pc.limits.rate, err = limit(r.N, r.Window, time.Second, "messages and window_seconds"); err != nil {
			return fail("data.json", fmt.Errorf("rate_limit: %w", err))
		}
	}
	if f := data.DuplicateFlood; f != nil {
		if pc.limits.flood, err = limit(f.N, f.Window, time.Minute, "recipients and window_minutes"); err != nil {
			return fail("data.json", fmt.Errorf("duplicate_flood: %w", err))
		}
	}
	for region, n := range data.SameSubjectLimit {
		if n < 1 {
			return fail("data.json", fmt.Errorf("same_subject_limit: %s: want at least 1", region))
		}
		if pc.sameSubject == nil {
			pc.sameSubject = make(map[string]int, len(data.SameSubjectLimit))
		}
		pc.sameSubject[region] = int(n)
	}
	if pc.campaign, err = readCampaignLimit(pack); err != nil {
		return fail("data.json", err)
	}
	if len(data.ProtocolMapping) > 0 {
		pc.protocol = make(map[Code]ProtocolStatus, len(data.ProtocolMapping))
		for name, s := range data.ProtocolMapping {
			c, ok := knownCodes[name]
			if !ok {
				return fail("data.json", fmt.Errorf("protocol_mapping: %s is not a reason code", name))
			}
			if s.HTTP < 100 || s.HTTP > 599 {
				return fail("data.json", fmt.Errorf("protocol_mapping: %s: http %d is not an HTTP status", name, s.HTTP))
			}
			pc.protocol[c] = s
		}
	}
	for name, t := range data.Model {
		if t < 0 || t > 1 || math.IsNaN(t) {
			return fail("data.json", fmt.Errorf("model: %s: %v is not a probability", name, t))
		}
		if !pc.hasModel || t < pc.modelFloor {
			pc.modelFloor, pc.hasModel = t, true
		}
	}
	pc.thresholds = thresholdsOf(data.Model)
	if pack.Kind == rules.KindChannel {
		pc.limits.session = int(data.SessionMaxMessages.value())
		pc.limits.sessionWindow = time.Duration(data.SessionMinutes.value()) * time.Minute
	}
	for _, name := range pack.Files(termsGlob) {
		b, _ := pack.File(name)
		list, err := terms.ParseList(bytes.NewReader(b), strings.TrimSuffix(path.Base(name), ".jsonl"))
		if err != nil {
			return fail(name, err)
		}
		for _, t := range list {
			// The opt-out words are no content category: they decide
			// inbound revocations and the opt_out_instruction fact.
			if slices.Contains(optout.Categories, t.Category) {
				keywords = append(keywords, t)
			} else {
				pc.terms = append(pc.terms, t)
			}
		}
	}
	if b, ok := pack.File(blockedNetworksTxt); ok {
		if pc.blockedNetworks, err = geo.ParseCIDRSet(pack.Name+"/"+blockedNetworksTxt, bytes.NewReader(b)); err != nil {
			return fail(blockedNetworksTxt, err)
		}
	}
	if b, ok := pack.File(blockedDomainsTxt); ok {
		domains, err := links.ReadDomainList(bytes.NewReader(b))
		if err != nil {
			return fail(blockedDomainsTxt, err)
		}
		pc.blockedDomains = setOf(domains, strings.ToLower)
	}
	if b, ok := pack.File(sendersTxt); ok {
		var senders []string
		if err := lines.Each(bytes.NewReader(b), func(_ int, entry, _ string) error {
			senders = append(senders, entry)
			return nil
		}); err != nil {
			return fail(sendersTxt, err)
		}
		pc.senders = setOf(senders, strings.ToUpper)
	}
	if b, ok := pack.File(senderDomainsJSON); ok {
		var m map[string][]string
		if err := json.Unmarshal(b, &m); err != nil {
			return fail(senderDomainsJSON, fmt.Errorf("want an object of sender → [domains]: %w", err))
		}
		pc.senderDomains = make(map[string]map[string]bool, len(m))
		for sender, domains := range m {
			pc.senderDomains[strings.ToUpper(sender)] = setOf(domains, strings.ToLower)
		}
	}
	if b, ok := pack.File(dltTemplatesJSONL); ok && pack.Kind == rules.KindCountry {
		ts, err := dlt.Parse(bytes.NewReader(b))
		if err == nil {
			pc.dlt, err = dlt.Compile(ts)
		}
		if err != nil {
			return fail(dltTemplatesJSONL, err)
		}
	}
	return pc, keywords, nil
}

// nonNegative is an integer of a pack's data.json in [0, 2^31].
type nonNegative int64

func (n *nonNegative) UnmarshalJSON(b []byte) error {
	var v json.Number
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("%s is not an integer", b)
	}
	i, err := v.Int64()
	if err != nil {
		return fmt.Errorf("%s is not an integer", b)
	}
	if i < 0 || i > 1<<31 {
		return fmt.Errorf("%d is out of range", i)
	}
	*n = nonNegative(i)
	return nil
}

func (n *nonNegative) value() int64 {
	if n == nil {
		return 0
	}
	return int64(*n)
}

// dataRate is rate_limit in a pack's data.json: {"messages", "window_seconds"}.
// dataFlood is duplicate_flood: {"recipients", "window_minutes"}. A count of
// 0 sets "no limit".
type (
	dataRate struct {
		N      *nonNegative `json:"messages"`
		Window *nonNegative `json:"window_seconds"`
	}
	dataFlood struct {
		N      *nonNegative `json:"recipients"`
		Window *nonNegative `json:"window_minutes"`
	}
)

// limit reads a count and a window in units of unit.
func limit(n, window *nonNegative, unit time.Duration, names string) (*rateLimit, error) {
	if n.value() > 0 && window.value() == 0 {
		return nil, fmt.Errorf("want %s, both set", names)
	}
	return &rateLimit{n: int(n.value()), window: time.Duration(window.value()) * unit}, nil
}

// linkConfig gathers the shortener lists, the packs' protected brands and
// the phishing feed.
func (e *Engine) linkConfig(set *rules.Set, inputs hash.Hash) (links.Config, error) {
	var cfg links.Config
	for _, pack := range set.Packs() {
		// Every pack's brands protect every destination: a look-alike of
		// a Thai bank is as suspicious in a message to France.
		if b, ok := pack.File(brandsJSON); ok {
			brands, err := links.ParseBrands(bytes.NewReader(b))
			if err != nil {
				return cfg, &rules.PolicyError{File: pack.Name + "/" + brandsJSON, Msg: err.Error()}
			}
			cfg.Brands = append(cfg.Brands, brands...)
		}
	}
	if g := set.Pack(rules.KindGlobal); g != nil {
		if b, ok := g.File(shortenersTxt); ok {
			list, err := links.ReadDomainList(bytes.NewReader(b))
			if err != nil {
				return cfg, &rules.PolicyError{File: g.Name + "/" + shortenersTxt, Msg: err.Error()}
			}
			cfg.Shorteners = append(cfg.Shorteners, list...)
		}
	}
	for _, path := range e.opts.shortenerFiles {
		b, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("filter: shortener list: %w", err)
		}
		inputs.Write(b)
		list, err := links.ReadDomainList(bytes.NewReader(b))
		if err != nil {
			return cfg, fmt.Errorf("filter: shortener list %s: %w", path, err)
		}
		cfg.Shorteners = append(cfg.Shorteners, list...)
	}
	if e.opts.phishingFeed != "" {
		b, err := os.ReadFile(e.opts.phishingFeed)
		if err != nil {
			return cfg, fmt.Errorf("filter: phishing feed: %w", err)
		}
		inputs.Write(b)
		if cfg.Feed, err = links.LoadFeed(bytes.NewReader(b)); err != nil {
			return cfg, fmt.Errorf("filter: phishing feed %s: %w", e.opts.phishingFeed, err)
		}
	}
	return cfg, nil
}

// openGeoIP reads the databases into memory and opens them; nil paths give
// a nil *IPDB, which finds nothing.
func openGeoIP(paths []string, inputs hash.Hash) (*geo.IPDB, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	data := make([][]byte, len(paths))
	for i, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("filter: geoip: %w", &geo.DBError{Path: path, Err: err})
		}
		data[i] = b
		inputs.Write(b)
	}
	db, err := geo.OpenIPDBBytes(data[0], data[1:]...)
	if err != nil {
		return nil, fmt.Errorf("filter: geoip %s: %w", strings.Join(paths, ", "), err)
	}
	return db, nil
}

func setOf(items []string, norm func(string) string) map[string]bool {
	set := make(map[string]bool, len(items))
	for _, s := range items {
		set[norm(strings.TrimSpace(s))] = true
	}
	return set
}
