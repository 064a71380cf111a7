package filter

import (
	"strings"

	"github.com/msgfilter/msgfilter/geo"
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
}

// tenant is a Tenant prepared for lookups.
type tenant struct {
	blockedNetworks *geo.CIDRSet
	blockedDomains  map[string]bool
	senders         map[string]bool
}

func (t Tenant) compile() *tenant {
	c := &tenant{blockedNetworks: t.BlockedNetworks}
	if len(t.BlockedDomains) > 0 {
		c.blockedDomains = setOf(t.BlockedDomains, strings.ToLower)
	}
	if len(t.Senders) > 0 {
		c.senders = setOf(t.Senders, strings.ToUpper)
	}
	return c
}
