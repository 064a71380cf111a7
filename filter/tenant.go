package filter

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/internal/dlt"
	"github.com/msgfilter/msgfilter/internal/links"
)

// Tenant is the configuration of one customer of the gateway, matched by
// Message.Tenant. Tenant names are case-insensitive ("ACME" is tenant
// "acme"), in messages, in WithTenant and in the conversation state.
// Its lists add to the packs' lists. The zero Tenant adds nothing.
type Tenant struct {
	// BlockedNetworks are source addresses the tenant's traffic may not come
	// from (SOURCE_IP_BLOCKED).
	BlockedNetworks *geo.CIDRSet
	// BlockedDomains are link domains the tenant may not send
	// (DOMAIN_BLOCKED); a domain blocks its subdomains too.
	BlockedDomains []string
	// Senders, when non-empty, is the tenant's sender registry: an
	// alphanumeric sender ID or short code not in it is SENDER_NOT_REGISTERED.
	Senders []string

	// RateLimit, when above zero, caps the messages of one sender of this
	// tenant per RateWindow (RATE_LIMIT), overriding the packs' rate_limit.
	RateLimit  int
	RateWindow time.Duration
	// FloodRecipients, when above zero, caps the distinct recipients of one
	// message template from one sender within FloodWindow
	// (DUPLICATE_FLOOD), overriding the packs' duplicate_flood.
	FloodRecipients int
	FloodWindow     time.Duration

	// OptOutScope is what a recipient's opt-out or opt-in covers (the
	// default: OptOutBrand, every sender of the tenant).
	OptOutScope OptOutScope

	// DLTTemplates, when non-empty, is the tenant's registry of Indian DLT
	// content templates: an SMS to India from this tenant whose body fits
	// none of its header's templates is TEMPLATE_NOT_REGISTERED (the
	// dlt facts). It adds to the India pack's dlt_templates.jsonl.
	DLTTemplates []DLTTemplate

	// Brands are protected brands the tenant adds to the packs' (its own
	// bank, shop or app): in the tenant's messages, a link that imitates
	// one is IDN_HOMOGRAPH or SUSPICIOUS_LINK. New checks them.
	Brands []Brand

	// Model makes the content model's rules (FRAUD_SUSPECTED,
	// SPAM_SUSPECTED) stricter for the tenant's messages, never laxer.
	Model ModelThresholds
}

// ModelThresholds are a tenant's thresholds of the content model's rules
// (policies/global/model.rego), named as the keys of a pack's data.json
// "model". A rule uses the lowest threshold set for it by the global pack,
// the destination's pack and the tenant: a tenant's threshold above the
// packs' changes nothing. Zero leaves a threshold to the packs; a value
// outside (0, 1] makes New fail with a *TenantError. The zero value sets
// none.
type ModelThresholds struct {
	// FraudReview holds a message for review (FRAUD_SUSPECTED) when its
	// fraud score reaches it (fraud_review); FraudBlock blocks it
	// (fraud_block).
	FraudReview, FraudBlock float64
	// SpamReview holds a message declared transactional, otp or service
	// for review (SPAM_SUSPECTED) when its spam and fraud scores together
	// reach it (spam_review); SpamBlock blocks it (spam_block).
	SpamReview, SpamBlock float64
	// Corroborated holds a message for review when its model score reaches
	// it and a weak lure phrase (FRAUD_LURE) or a risky link
	// (SUSPICIOUS_LINK) backs the score (corroborated).
	Corroborated float64
}

// modelThreshold is one field of ModelThresholds: its Go name, its
// data.json key and its value.
type modelThreshold struct {
	field, key string
	v          float64
}

func (m ModelThresholds) fields() [len(modelThresholdNames)]modelThreshold {
	return [...]modelThreshold{{"Model.FraudReview", "fraud_review", m.FraudReview}, {"Model.FraudBlock", "fraud_block", m.FraudBlock},
		{"Model.SpamReview", "spam_review", m.SpamReview}, {"Model.SpamBlock", "spam_block", m.SpamBlock},
		{"Model.Corroborated", "corroborated", m.Corroborated}}
}

// TenantError reports a Tenant that New refused: the tenant's name (as
// given to WithTenant), the field at fault ("Model.FraudReview",
// "DLTTemplates", ...) and why.
type TenantError struct {
	Tenant string
	Field  string
	Err    error
}

func (e *TenantError) Error() string {
	return fmt.Sprintf("filter: tenant %q: %s: %v", e.Tenant, e.Field, e.Err)
}

func (e *TenantError) Unwrap() error { return e.Err }

// Brand is a protected brand, as an entry of a pack's brands.json.
type Brand struct {
	// Name is the brand as people know it.
	Name string
	// Country is the ISO 3166-1 alpha-2 market where it matters most, ""
	// for a global brand (informational).
	Country string
	// Domains are the registrable domains the brand owns, primary first.
	Domains []string
	// Tokens are the names looked for in other domains' labels and paths;
	// empty means the primary domain's label.
	Tokens []string
	// Word marks a name that is an ordinary word: only look-alikes of the
	// whole domain count.
	Word bool
}

// OptOutScope says which senders of a tenant an opt-out (STOP) or opt-in
// (START) covers.
type OptOutScope int

const (
	// OptOutBrand: every sender ID and number of the tenant. An opt-out
	// sent to "Fnac" also stops "FnacPromo" of the same tenant, as the
	// FCC's revocation rule and most regulators expect of a brand. The
	// default. Messages without a tenant have no brand: their opt-outs
	// cover their sender only.
	OptOutBrand OptOutScope = iota
	// OptOutSender: only the sender the recipient wrote to, for a tenant
	// that carries several brands under one account.
	OptOutSender
)

// DLTTemplate is one content template registered on India's DLT platforms
// (TRAI TCCCPR 2018): Text is fixed text with placeholders of at most 30
// characters each ({#var#}, or the typed {#numeric#}, {#alphanumeric#},
// {#url#}, {#urlott#}, {#cbn#}, {#email#}). Header is the 6-character
// header without operator-circle prefix or type suffix; Category is
// promotional, transactional, service_implicit or service_explicit.
type DLTTemplate struct {
	Header   string `json:"header"`
	ID       string `json:"id"`
	Category string `json:"category"`
	Text     string `json:"text"`
}

// tenant is a Tenant prepared for lookups.
type tenant struct {
	blockedNetworks *geo.CIDRSet
	blockedDomains  map[string]bool
	senders         map[string]bool
	limits          Tenant // only the limit fields are read
	optOutScope     OptOutScope
	dlt             *dlt.Registry // nil without DLTTemplates
	brands          []links.Brand
	// thresholds are Tenant.Model's (check.modelThresholds).
	thresholds ModelThresholdFacts
	// floor is the lowest of model, +Inf without any (modelFloor).
	floor float64
}

// modelFloor returns the lowest model threshold of t, +Inf for none or a
// nil t: below it, none of the tenant's thresholds lets a model rule fire.
func (t *tenant) modelFloor() float64 {
	if t == nil {
		return math.Inf(1)
	}
	return t.floor
}

// compile prepares t; a malformed DLT template is an error naming it.
func (t Tenant) compile(name string) (*tenant, error) {
	c := &tenant{blockedNetworks: t.BlockedNetworks, optOutScope: t.OptOutScope, floor: math.Inf(1)}
	switch t.OptOutScope {
	case OptOutBrand, OptOutSender:
	default:
		return nil, &TenantError{Tenant: name, Field: "OptOutScope", Err: fmt.Errorf("unknown opt-out scope %d", t.OptOutScope)}
	}
	for _, m := range t.Model.fields() {
		switch {
		case m.v == 0: // unset
		case m.v > 0 && m.v <= 1: // NaN is neither
			c.thresholds = c.thresholds.stricter(thresholdsOf(map[string]float64{m.key: m.v}))
			c.floor = min(c.floor, m.v)
		default:
			return nil, &TenantError{Tenant: name, Field: m.field, Err: fmt.Errorf("%v is not a probability in (0, 1]", m.v)}
		}
	}
	if len(t.DLTTemplates) > 0 {
		ts := make([]dlt.Template, len(t.DLTTemplates))
		for i, d := range t.DLTTemplates {
			ts[i] = dlt.Template(d)
		}
		reg, err := dlt.Compile(ts)
		if err != nil {
			return nil, &TenantError{Tenant: name, Field: "DLTTemplates", Err: err}
		}
		c.dlt = reg
	}
	c.limits = Tenant{RateLimit: t.RateLimit, RateWindow: t.RateWindow, FloodRecipients: t.FloodRecipients, FloodWindow: t.FloodWindow}
	if len(t.BlockedDomains) > 0 {
		c.blockedDomains = setOf(t.BlockedDomains, strings.ToLower)
	}
	if len(t.Senders) > 0 {
		c.senders = setOf(t.Senders, strings.ToUpper)
	}
	for _, b := range t.Brands {
		c.brands = append(c.brands, links.Brand{Name: b.Name, Country: b.Country,
			Domains: slices.Clone(b.Domains), Tokens: slices.Clone(b.Tokens), Word: b.Word})
	}
	return c, nil
}

// tenantID is the canonical form of a tenant name: tenant names are
// case-insensitive. A name already in lower-case ASCII, as most are, is
// its own id, told by one loop over its bytes (strings.ToLower took about
// 70 instructions for "acme", this about 50; validate finds it once a
// check).
func tenantID(name string) string {
	for i := 0; i < len(name); i++ {
		if b := name[i]; b >= utf8.RuneSelf || 'A' <= b && b <= 'Z' {
			return strings.ToLower(name)
		}
	}
	return name
}
