package filter

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/internal/bodyphones"
	"github.com/msgfilter/msgfilter/internal/links"
	"github.com/msgfilter/msgfilter/internal/terms"
)

// FactsSchema is the version of the facts document. It changes when a field
// changes meaning or is removed; adding a field keeps the version.
const FactsSchema = 1

// Facts is the document the policies see as input: everything Go learned
// about a message, and nothing raw (no body, no lists). policies/README.md
// documents every field for rule authors.
type Facts struct {
	Schema       int               `json:"schema"`
	Message      MessageFacts      `json:"message"`
	Time         TimeFacts         `json:"time"`
	Sender       SenderFacts       `json:"sender"`
	Recipient    RecipientFacts    `json:"recipient"`
	Source       SourceFacts       `json:"source"`
	Content      ContentFacts      `json:"content"`
	Links        []LinkFacts       `json:"links"`
	Conversation ConversationFacts `json:"conversation"`
	Campaign     CampaignFacts     `json:"campaign"`
	DLT          DLTFacts          `json:"dlt"`
}

// CampaignFacts describe the campaign the message belongs to: the
// near-duplicates of its body across the fleet's senders, tenants and
// recipients (campaign.go).
type CampaignFacts struct {
	// Reported is true when a near-duplicate of the body was reported as
	// fraud or spam (and not since as ham), from the state store.
	Reported bool `json:"reported"`
}

// DLTFacts are the result of matching the body against the sender's
// registered DLT content templates (India; internal/dlt). Checked is false
// where no registry applies: another destination or channel, or no
// registry configured (the pack's dlt_templates.json, the tenant's
// DLTTemplates).
type DLTFacts struct {
	Checked bool `json:"checked"`
	// Header is the sender's header without operator-circle prefix or type
	// suffix ("VM-HDFCBK-S" → "HDFCBK"); "" when not checked.
	Header string `json:"header"`
	// Matched is whether the body fits a template registered for Header.
	Matched bool `json:"matched"`
	// TemplateID is the DLT id of the template it fits, "" for none.
	TemplateID string `json:"template_id"`
}

// RecipientFacts describe the destination number. The number itself stays
// out of the policies' input: no rule needs it, and it would make every
// message's facts unique, defeating the fact cache.
type RecipientFacts struct {
	Country    string         `json:"country"`
	NumberType geo.NumberType `json:"number_type"`
	// Zone is the IANA zone of the recipient number (the country's own
	// where the number spans several), "" when libphonenumber knows none.
	Zone string `json:"zone"`
	// Region is the ISO 3166-2 subdivision of the number where
	// libphonenumber's geocoding names one: US states ("US-FL"), "" otherwise.
	Region string `json:"region"`
}

// SenderFacts classify the sender (see geo.Sender).
type SenderFacts struct {
	geo.Sender
	// Registered is set when a sender registry applies (the destination
	// pack's senders.txt or the tenant's Senders): whether the sender is in
	// it. Absent without a registry. E.164 senders are never checked
	// against a registry: their origin and number type are.
	Registered *bool `json:"registered,omitempty"`
}

// SourceFacts describe the address the message was submitted from.
type SourceFacts struct {
	Present bool `json:"present"` // the message had a source_ip
	geo.IPInfo
	// Blocked is true when the address is on the global pack's, the
	// destination pack's or the tenant's blocked_networks list.
	Blocked bool `json:"blocked"`
	// IP is the address, given only when Blocked, as evidence: other
	// addresses stay out of the facts so that the fact cache can work.
	IP string `json:"ip,omitempty"`
}

// LinkFacts describe one link of the body.
type LinkFacts struct {
	// URL is the link exactly as written in the body.
	URL string `json:"url"`
	// Host is the IDNA ASCII form, lower case; IP literals in canonical form.
	Host string `json:"host"`
	// UnicodeHost is Host with punycode labels decoded.
	UnicodeHost string `json:"unicode_host"`
	// Domain is the registrable domain (eTLD+1, ASCII) or, for an IP literal
	// or a bare public suffix, the host itself.
	Domain string `json:"domain"`
	// IPLiteral is set when the host is an IPv4 or IPv6 address, including
	// the numeric forms browsers read as IPv4 ("http://3221225985/").
	IPLiteral bool `json:"ip_literal"`
	// Shortener is set when the host is, or is below, a URL shortener.
	Shortener bool `json:"shortener"`
	// Punycode is set when any label of Host starts with "xn--".
	Punycode bool `json:"punycode"`
	// MixedScript is set when one label mixes scripts, such as Latin and
	// Cyrillic, other than the mixes Japanese, Chinese and Korean use.
	MixedScript bool `json:"mixed_script"`
	// Userinfo is set when the link carries a user name before '@', as in
	// "https://paypal.com@evil.example"; Host is then the real host.
	Userinfo bool `json:"userinfo"`
	// HomographOf is the protected brand domain the link imitates, or "".
	HomographOf string `json:"homograph_of"`
	// Phishing is set when the host is on the phishing feed.
	Phishing bool `json:"phishing"`
	// Blocked is true when the link's domain, or a parent of its host, is
	// on the global, destination or tenant blocked_domains list.
	Blocked bool `json:"blocked"`
	// SenderRegistered is set when the destination pack has a
	// sender_domains registry: whether the link's domain is registered for
	// this sender. Absent without a registry.
	SenderRegistered *bool `json:"sender_registered,omitempty"`

	// Link risk: what the host and path say about the link, weighed by
	// policies/global/linkrisk.rego (policies/README.md describes each).
	// BrandOf is the primary domain of the protected brand the link names
	// or imitates without being on its domains, or else the brand the text
	// names (BrandInText), "" for none.
	BrandOf          string `json:"brand_of"`
	BrandInSubdomain bool   `json:"brand_in_subdomain"`
	BrandInPath      bool   `json:"brand_in_path"`
	BrandInText      bool   `json:"brand_in_text"`
	Typosquat        bool   `json:"typosquat"`
	Combosquat       bool   `json:"combosquat"`
	ASCIILookalike   bool   `json:"ascii_lookalike"`
	LureWords        bool   `json:"lure_words"`
	AbusedTLD        bool   `json:"abused_tld"`
	FreeHosting      bool   `json:"free_hosting"`
	DynamicDNS       bool   `json:"dynamic_dns"`
	RandomLabel      bool   `json:"random_label"`
	DigitHeavy       bool   `json:"digit_heavy"`
	HyphenHeavy      bool   `json:"hyphen_heavy"`
	CredentialPath   bool   `json:"credential_path"`
	NonStandardPort  bool   `json:"non_standard_port"`
	DeceptiveHost    bool   `json:"deceptive_host"`
	ChatInvite       bool   `json:"chat_invite"`
	KitPath          bool   `json:"kit_path"`
	RedirectPath     bool   `json:"redirect_path"`
	// Scripts are the scripts of the host's non-ASCII letters left of the
	// public suffix ("Cyrillic", "Han"), empty for an ASCII host;
	// TLDCountry is the country of a country-code TLD ("de", "ru" for
	// .рф), "" for a generic one. Rego compares them with
	// data.global.expected_scripts.
	Scripts    featureNames `json:"scripts"`
	TLDCountry string       `json:"tld_country"`
	// FirstSeen is how long ago the fleet's traffic first carried the
	// link's registrable domain, from the state store (campaign.go).
	FirstSeen FirstSeenFacts `json:"first_seen"`
}

// FirstSeenFacts is how long the fleet has known a link's domain. Known is
// false without a store that keeps sightings, for an IP literal, and for a
// domain first recorded while the store's history was younger than a day
// (it was in the traffic before anyone looked): unknown is not fresh.
type FirstSeenFacts struct {
	Known bool `json:"known"`
	// AgeMinutes is the age, rounded down to a bucket bound (0, 5, 15,
	// 60, 180, 360, 720, 1440, 2880, 10080, 43200), so that facts repeat
	// and the fact cache works; 0 when not Known.
	AgeMinutes int `json:"age_minutes"`
}

func linkFacts(l links.Link) LinkFacts {
	r := &l.Risk
	return LinkFacts{
		URL: l.URL, Host: l.Host, UnicodeHost: l.UnicodeHost, Domain: l.Domain,
		IPLiteral: l.IPLiteral, Shortener: l.Shortener, Punycode: l.Punycode, MixedScript: l.MixedScript,
		Userinfo: l.Userinfo, HomographOf: l.HomographOf, Phishing: l.Phishing,
		BrandOf: r.BrandOf, BrandInSubdomain: r.BrandInSubdomain, BrandInPath: r.BrandInPath, BrandInText: r.BrandInText,
		Typosquat: r.Typosquat, Combosquat: r.Combosquat, ASCIILookalike: r.ASCIILookalike,
		LureWords: r.LureWords, AbusedTLD: r.AbusedTLD, FreeHosting: r.FreeHosting, DynamicDNS: r.DynamicDNS,
		RandomLabel: r.RandomLabel, DigitHeavy: r.DigitHeavy, HyphenHeavy: r.HyphenHeavy,
		CredentialPath: r.CredentialPath, NonStandardPort: r.NonStandardPort, DeceptiveHost: r.DeceptiveHost,
		ChatInvite: r.ChatInvite, KitPath: r.KitPath, RedirectPath: r.RedirectPath, Scripts: r.Scripts, TLDCountry: r.TLDCountry,
	}
}

// MessageFacts are the message's own fields that rules may branch on.
type MessageFacts struct {
	Channel Channel `json:"channel"`
	Kind    Kind    `json:"kind"`
	Country string  `json:"country"` // destination, ISO 3166-1 alpha-2, upper case
	Tenant  string  `json:"tenant"`
	Length  int     `json:"length"` // body length in characters (code points)
	// Template, TemplateCategory and Tag are as in the message ("" none).
	Template         string `json:"template"`
	TemplateCategory string `json:"template_category"`
	Tag              string `json:"tag"`
	// Encoding ("gsm7" or "ucs2") and Segments are how the body travels as
	// an SMS (internal/smsenc), whatever the channel.
	Encoding string `json:"encoding"`
	Segments int    `json:"segments"`
}

// TimeFacts is the message time in the recipient's zone, to the minute:
// minutes are the resolution of every time rule, and coarser facts repeat
// more, which the fact cache needs.
type TimeFacts struct {
	Local   string `json:"local"`   // "2006-01-02T15:04" wall clock
	Date    string `json:"date"`    // "2006-01-02"
	Weekday string `json:"weekday"` // "monday".."sunday"
	Minute  int    `json:"minute"`  // minutes since local midnight
	// Zone is the IANA zone of the local time: the recipient number's (see
	// check.localTime), else the destination pack's time_zone, else "UTC".
	Zone string `json:"zone"`
	// QuietUntil holds, for each quiet-hours spec that holds the message
	// back now, when it may go (see QuietUntil).
	QuietUntil QuietUntil `json:"quiet_until"`
}

// ContentFacts are what Go found in the body.
type ContentFacts struct {
	// OptOutText is true when the body tells the recipient how to opt out
	// (a STOP keyword).
	OptOutText bool `json:"opt_out_text"`
	// OptOutInstruction is true when the body tells the recipient how to
	// refuse further messages in any words of the global opt_out lists
	// ("To unsubscribe visit ...", "Abmelden unter ...") or with STOP.
	OptOutInstruction bool `json:"opt_out_instruction"`
	// Categories are the term categories found in the body with the
	// destination's term lists (global + country).
	Categories Categories `json:"categories"`
	// BidiOverflow is true when the body's bidi controls nest deeper than
	// maxBidiNesting (textnorm.Text.BidiDepth): how a phone displays it
	// may differ from how the filter reads it.
	BidiOverflow bool `json:"bidi_overflow"`
	// PhoneNumbers are the valid phone numbers written in the body.
	PhoneNumbers []PhoneNumberFacts `json:"phone_numbers"`
	// Model is the content model's verdict on the body.
	Model ModelFacts `json:"model"`
}

// ModelFacts are the content model's probabilities that the body is spam
// (unsolicited marketing) or fraud (phishing, smishing, scams), reports
// included (Engine.Report), truncated to two decimals, with the features that
// weighed most.
type ModelFacts struct {
	Spam  float64 `json:"spam"`
	Fraud float64 `json:"fraud"`
	// Unwanted is Spam + Fraud, exact to the two decimals (as Rego would
	// sum them): the score the rules compare for the kinds that declare
	// no marketing. Given as a fact rather than summed in Rego so that the
	// fact cache's policy-aware key decides the comparison (Go cannot
	// decide a sum OPA makes in arbitrary precision), and messages with
	// other scores on the same side of the threshold share a decision.
	Unwanted float64       `json:"unwanted"`
	Features ModelFeatures `json:"features"`
	// Thresholds are what the model's rules compare the scores with.
	Thresholds ModelThresholdFacts `json:"thresholds"`
}

// modelThresholdNames are the thresholds of the model's rules
// (policies/global/model.rego), as data.json's "model" and Tenant.Model
// name them, in the order of ModelThresholdFacts.
var modelThresholdNames = [...]string{"fraud_review", "fraud_block", "spam_review", "spam_block", "corroborated"}

// ModelThresholdFacts hold, for each threshold of the model's rules, the
// lowest one set by the global pack, the destination's pack (data.json's
// "model") and the tenant (Tenant.Model): a pack or a tenant can make a
// rule stricter, never laxer. They are the same for every message to a
// destination from a tenant, so Go resolves them here once instead of
// the rules taking three minimums on every evaluation. A threshold that
// none of them sets is absent, and its rule does not fire. The zero value
// sets none. The JSON form is an object of the set ones by name
// ({"fraud_review": 0.5, ...}).
type ModelThresholdFacts struct {
	v   [len(modelThresholdNames)]float64
	set [len(modelThresholdNames)]bool
}

// thresholdsOf reads the model thresholds of a data.json "model" object or
// a tenant's, by name; other names are not thresholds of a rule.
func thresholdsOf(m map[string]float64) ModelThresholdFacts {
	var t ModelThresholdFacts
	for i, name := range modelThresholdNames {
		t.v[i], t.set[i] = m[name]
	}
	return t
}

// stricter returns, for each threshold, the lowest set in t or u.
func (t ModelThresholdFacts) stricter(u ModelThresholdFacts) ModelThresholdFacts {
	for i := range t.v {
		if u.set[i] && (!t.set[i] || u.v[i] < t.v[i]) {
			t.v[i], t.set[i] = u.v[i], true
		}
	}
	return t
}

// MarshalJSON writes the set thresholds by name.
func (t ModelThresholdFacts) MarshalJSON() ([]byte, error) {
	m := make(map[string]float64, len(t.v))
	for i, name := range modelThresholdNames {
		if t.set[i] {
			m[name] = t.v[i]
		}
	}
	return json.Marshal(m)
}

// ModelFeatures name the features that weighed most towards each class
// (`word "verify"`, `link shortener`), at most three each. They are named
// only when the scores reach the lowest model threshold of the global or
// destination pack (below it no model rule fires); empty otherwise.
type ModelFeatures struct {
	Spam  featureNames `json:"spam"`
	Fraud featureNames `json:"fraud"`
}

// featureNames is a list whose JSON form is [] when empty, as the policies
// see it.
type featureNames []string

// MarshalJSON writes [] for no names.
func (n featureNames) MarshalJSON() ([]byte, error) {
	if n == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]string(n))
}

// Categories are term categories by name. Its JSON form is an object, {}
// when there are none.
type Categories map[string]CategoryFacts

// MarshalJSON writes {} for no categories.
func (c Categories) MarshalJSON() ([]byte, error) {
	if c == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(map[string]CategoryFacts(c))
}

// CategoryFacts is one term category found in the body.
type CategoryFacts struct {
	// Score is the sum of the weights of the distinct terms found; 2 or
	// more is a signal on its own.
	Score int `json:"score"`
	// Terms are the terms found, as written in their lists, sorted.
	Terms []string `json:"terms"`
	// Evidence[i] is the text of the body where Terms[i] was found first.
	Evidence []string `json:"evidence"`
}

func categoryFacts(r terms.Result) Categories {
	if len(r.Categories) == 0 {
		return nil
	}
	out := make(Categories, len(r.Categories))
	for name, c := range r.Categories {
		out[name] = CategoryFacts(c)
	}
	return out
}

// PhoneNumberFacts is a phone number written in the body.
type PhoneNumberFacts struct {
	// Text is the number as written.
	Text string `json:"text"`
	// E164 is the number in E.164 form, "+971501234567".
	E164 string `json:"e164"`
	// Region is the ISO 3166-1 alpha-2 region of the number ("AE"), or
	// "001" for non-geographic numbers.
	Region string `json:"region"`
	// Type is libphonenumber's number type ("mobile", "premium_rate",
	// "toll_free"...), "" when the metadata does not say.
	Type geo.NumberType `json:"type"`
}

func phoneFacts(ns []bodyphones.Number) []PhoneNumberFacts {
	out := make([]PhoneNumberFacts, len(ns)) // [] rather than null: rules iterate it
	for i, n := range ns {
		out[i] = PhoneNumberFacts{Text: n.Text, E164: n.E164, Region: n.Region, Type: n.Type}
	}
	return out
}

// ConversationFacts describe the recipient's side of the conversation.
type ConversationFacts struct {
	// HasInbound is true when the recipient's last message to this sender is
	// known.
	HasInbound bool `json:"has_inbound"`
	// InboundAgeMinutes is the whole minutes since that message (0 without
	// one). A 24-hour window is open while it is below 1440.
	InboundAgeMinutes int `json:"inbound_age_minutes"`
	// OptedOut is true when the recipient's newest opt-out or opt-in (any
	// channel) to the tenant's brand, or to this sender where opt-outs are
	// per sender (see OptOutScope), was an opt-out. From the state store.
	OptedOut bool `json:"opted_out"`
	// SessionMessages is how many messages the sender sent in the session
	// the recipient's last inbound message opened, from the state store,
	// once it reached the channel's session_max_messages; 0 below it, so
	// that a conversation's facts repeat and the caches work.
	SessionMessages int `json:"session_messages"`
	// SameSubject is how many promotional messages of this campaign the
	// recipient got in 24 hours, from the state store, where the
	// destination pack's same_subject_limit covers the recipient's region
	// and the count reached that limit; absent otherwise, so that the
	// facts repeat and the caches work (see subject.go).
	SameSubject SameSubjectFacts `json:"same_subject_24h,omitzero"`
}

// SameSubjectFacts are the messages of one campaign sent to one recipient
// in the last 24 hours.
type SameSubjectFacts struct {
	Count int `json:"count"`
	// Reopens is when the oldest of them leaves the 24 hours (RFC 3339, in
	// the engine clock's zone, rounded up to the second).
	Reopens string `json:"reopens"`
}

func timeFacts(now time.Time, loc *time.Location) TimeFacts {
	t := now.In(loc)
	return TimeFacts{
		Local:   t.Format("2006-01-02T15:04"),
		Date:    t.Format(time.DateOnly),
		Weekday: strings.ToLower(t.Weekday().String()),
		Minute:  t.Hour()*60 + t.Minute(),
		Zone:    loc.String(),
	}
}

// registered reports whether an alphanumeric or short-code sender is in the
// destination's or the tenant's registry; nil when neither has one.
func registered(s *geo.Sender, packRegistry map[string]bool, tn *tenant) *bool {
	if s.Kind != geo.KindAlphanumeric && s.Kind != geo.KindShortCode {
		return nil
	}
	var tenantRegistry map[string]bool
	if tn != nil {
		tenantRegistry = tn.senders
	}
	if packRegistry == nil && tenantRegistry == nil {
		return nil
	}
	id := strings.ToUpper(s.Raw)
	ok := packRegistry[id] || tenantRegistry[id]
	return &ok
}

// domainListed reports whether host or one of its parent domains is in set.
func domainListed(host string, set map[string]bool) bool {
	if len(set) == 0 {
		return false
	}
	for {
		if set[host] {
			return true
		}
		_, parent, ok := strings.Cut(host, ".")
		if !ok || !strings.Contains(parent, ".") {
			return false
		}
		host = parent
	}
}

// hasOptOutText reports whether body contains the word STOP in any case, the
// opt-out keyword regulators and carriers require (e.g. "STOP au 36111").
func hasOptOutText(body string) bool {
	for i := 0; i+4 <= len(body); i++ {
		if body[i]|0x20 != 's' || !strings.EqualFold(body[i:i+4], "stop") {
			continue
		}
		before := i == 0 || !isWordByte(body[i-1]) && body[i-1] != '-' // "non-stop" is no opt-out
		after := i+4 == len(body) || !isWordByte(body[i+4])
		if before && after {
			return true
		}
	}
	return false
}

func isWordByte(b byte) bool {
	return b >= 0x80 || b == '_' || ('0' <= b && b <= '9') || ('a' <= b|0x20 && b|0x20 <= 'z')
}
