package filter

import (
	"slices"
	"strings"
	"time"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/internal/links"
)

// Tenant is the configuration of one customer of the gateway, matched by
// Message.Tenant. Its lists add to the packs' lists. The zero Tenant adds
// nothing.
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

	// Brands are protected brands the tenant adds to the packs' (its own
	// bank, shop or app): in the tenant's messages, a link that imitates
	// one is IDN_HOMOGRAPH or SUSPICIOUS_LINK. New checks them.
	Brands []Brand
}

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

// tenant is a Tenant prepared for lookups.
type tenant struct {
	blockedNetworks *geo.CIDRSet
	blockedDomains  map[string]bool
	senders         map[string]bool
	limits          Tenant // only the limit fields are read
	brands          []links.Brand
}

func (t Tenant) compile() *tenant {
	c := &tenant{blockedNetworks: t.BlockedNetworks}
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
	return c
}
