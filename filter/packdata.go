package filter

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/internal/links"
	"github.com/msgfilter/msgfilter/internal/terms"
	"github.com/msgfilter/msgfilter/rules"
)

// Files a pack may carry beside its Rego, which Go turns into lookups when
// the pack loads (policies/README.md documents them).
const (
	termsGlob          = "terms/*.json"         // term lists, one per language
	blockedNetworksTxt = "blocked_networks.txt" // CIDRs or IPs: SOURCE_IP_BLOCKED
	blockedDomainsTxt  = "blocked_domains.txt"  // domains: DOMAIN_BLOCKED
	shortenersTxt      = "shorteners.txt"       // extra URL shortener domains (global pack)
	sendersTxt         = "senders.txt"          // registered sender IDs: SENDER_NOT_REGISTERED
	senderDomainsJSON  = "sender_domains.json"  // sender → registered link domains: URL_NOT_WHITELISTED
)

// keywordCategories are matched on inbound messages, not on outgoing content.
var keywordCategories = map[string]bool{"opt_out": true, "opt_in": true}

// packLookups is what Go derived from one pack's files.
type packLookups struct {
	blockedNetworks *geo.CIDRSet
	blockedDomains  map[string]bool
	senders         map[string]bool            // upper-cased sender IDs; nil: no registry
	senderDomains   map[string]map[string]bool // upper-cased sender → domains; nil: no registry
}

// readPackLookups reads a pack's lookup files.
func readPackLookups(p *rules.Pack) (packLookups, error) {
	var l packLookups
	fail := func(file string, err error) (packLookups, error) {
		return packLookups{}, &rules.PolicyError{File: p.Name + "/" + file, Msg: err.Error()}
	}
	if b, ok := p.File(blockedNetworksTxt); ok {
		set, err := geo.ParseCIDRSet(p.Name+"/"+blockedNetworksTxt, bytes.NewReader(b))
		if err != nil {
			return fail(blockedNetworksTxt, err)
		}
		l.blockedNetworks = set
	}
	if b, ok := p.File(blockedDomainsTxt); ok {
		domains, err := links.ReadDomainList(bytes.NewReader(b))
		if err != nil {
			return fail(blockedDomainsTxt, err)
		}
		l.blockedDomains = setOf(domains, strings.ToLower)
	}
	if b, ok := p.File(sendersTxt); ok {
		l.senders = setOf(readLines(b), strings.ToUpper)
	}
	if b, ok := p.File(senderDomainsJSON); ok {
		var m map[string][]string
		if err := json.Unmarshal(b, &m); err != nil {
			return fail(senderDomainsJSON, fmt.Errorf("want an object of sender → [domains]: %w", err))
		}
		l.senderDomains = make(map[string]map[string]bool, len(m))
		for sender, domains := range m {
			l.senderDomains[strings.ToUpper(sender)] = setOf(domains, strings.ToLower)
		}
	}
	return l, nil
}

// readTerms parses every term list of a pack.
func readTerms(p *rules.Pack) ([]terms.Term, error) {
	var all []terms.Term
	for _, name := range p.Files(termsGlob) {
		b, _ := p.File(name)
		list, err := terms.ParseList(bytes.NewReader(b))
		if err != nil {
			return nil, &rules.PolicyError{File: p.Name + "/" + name, Msg: err.Error()}
		}
		all = append(all, list...)
	}
	return all, nil
}

// splitKeywords separates inbound keyword terms (opt-out, opt-in) from
// content terms.
func splitKeywords(ts []terms.Term) (content, keywords []terms.Term) {
	for _, t := range ts {
		if keywordCategories[t.Category] {
			keywords = append(keywords, t)
		} else {
			content = append(content, t)
		}
	}
	return content, keywords
}

// readLines returns the non-empty lines of b without '#' comments.
func readLines(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

func setOf(items []string, norm func(string) string) map[string]bool {
	set := make(map[string]bool, len(items))
	for _, s := range items {
		set[norm(strings.TrimSpace(s))] = true
	}
	return set
}
