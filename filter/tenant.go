package filter

import (
	"fmt"
	"strings"
	"time"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/internal/dlt"
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
}

// compile prepares t; a malformed DLT template is an error naming it.
func (t Tenant) compile(name string) (*tenant, error) {
	c := &tenant{blockedNetworks: t.BlockedNetworks, optOutScope: t.OptOutScope}
	switch t.OptOutScope {
	case OptOutBrand, OptOutSender:
	default:
		return nil, fmt.Errorf("filter: tenant %q: unknown opt-out scope %d", name, t.OptOutScope)
	}
	if len(t.DLTTemplates) > 0 {
		ts := make([]dlt.Template, len(t.DLTTemplates))
		for i, d := range t.DLTTemplates {
			ts[i] = dlt.Template(d)
		}
		reg, err := dlt.Compile(ts)
		if err != nil {
			return nil, fmt.Errorf("filter: tenant %q: %w", name, err)
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
	return c, nil
}

// tenantID is the canonical form of a tenant name: tenant names are
// case-insensitive.
func tenantID(name string) string { return strings.ToLower(name) }
