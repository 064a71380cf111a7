package links

import (
	_ "embed"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/msgfilter/msgfilter/internal/lines"
)

//go:embed data/shared_hosting.txt
var builtinSharedHosting string

// sharedHosting holds the platforms and shorteners whose subdomains or paths
// belong to unrelated users: a feed entry on one names that host or path only.
var sharedHosting = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, d := range append(mustList(builtinSharedHosting), mustList(builtinShorteners)...) {
		m[d] = struct{}{}
	}
	return m
}()

// Feed is a set of phishing domains and hosts. An entry that is a registrable
// domain ("evil.com", "www.evil.com", "x.github.io" under the private suffix
// github.io) matches that domain and everything below it. Any other entry
// matches its own host and the hosts below it only: "x.weebly.com" (a
// platform in data/shared_hosting.txt) never flags weebly.com, and
// "login.mit.edu" never flags mit.edu. Entries that name a shortener or a
// platform itself ("bit.ly/abc") are skipped: links are matched by host, and
// the whole platform is not phishing.
//
// A Feed is immutable and safe for concurrent use; to reload, load a new Feed
// and swap it in (Analyzer.WithFeed). The zero Feed and a nil *Feed match
// nothing.
type Feed struct {
	set     map[string]struct{}
	skipped int
}

// LoadFeed reads a feed: one domain, host, URL or IP address per line; '#'
// starts a comment. Lines that hold no usable host, or name a shared-hosting
// platform or public suffix itself, are skipped (see Skipped). The only
// errors are read errors.
func LoadFeed(r io.Reader) (*Feed, error) {
	f := &Feed{set: map[string]struct{}{}}
	err := lines.Each(r, func(_ int, line, _ string) error {
		if key, ok := feedKey(line); ok {
			f.set[key] = struct{}{}
		} else {
			f.skipped++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("links: read feed: %w", err)
	}
	return f, nil
}

// feedKey returns the host or domain a feed line matches at.
func feedKey(line string) (string, bool) {
	host := line
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	if !strings.HasPrefix(host, "[") {
		if i := strings.LastIndexByte(host, ':'); i >= 0 && strings.Count(host, ":") == 1 {
			host = host[:i]
		}
	}
	h, _, err := normalizeLenient(host)
	if err != nil {
		return "", false
	}
	if _, ok := parseIP(h); ok {
		return h, true
	}
	if _, ok := sharedHosting[h]; ok {
		return "", false // a platform or shortener itself: the entry named a path on it
	}
	for p := parent(h); p != ""; p = parent(p) {
		if _, ok := sharedHosting[p]; ok {
			return h, true
		}
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(h)
	if err != nil {
		return "", false // a public suffix itself, such as "github.io"
	}
	if _, icann := publicsuffix.PublicSuffix(h); !icann || h == d || h == "www."+d {
		// A registrable domain (or one under a private suffix such as
		// github.io, owned by one user): all of it is the phisher's.
		return d, true
	}
	// A host below an ordinary domain: often a compromised or multi-tenant
	// site (vk.com, zendesk.com, mit.edu...), so only that host matches.
	return h, true
}

// Contains reports whether host (ASCII, lower case, as in Link.Host) is on
// the feed.
func (f *Feed) Contains(host string) bool {
	if f == nil || len(f.set) == 0 {
		return false
	}
	for h := host; h != ""; h = parent(h) {
		if _, ok := f.set[h]; ok {
			return true
		}
	}
	return false
}

// Len returns the number of distinct keys (domains and hosts) in the feed.
func (f *Feed) Len() int {
	if f == nil {
		return 0
	}
	return len(f.set)
}

// Skipped returns how many feed lines held no usable entry.
func (f *Feed) Skipped() int {
	if f == nil {
		return 0
	}
	return f.skipped
}

// ReadDomainList reads one domain per line, '#' starting a comment, and
// returns the entries lower-cased, in file order. Use it for extra shortener
// or brand lists.
func ReadDomainList(r io.Reader) ([]string, error) {
	var out []string
	err := lines.Each(r, func(_ int, entry, _ string) error {
		out = append(out, strings.ToLower(entry))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("links: read domain list: %w", err)
	}
	return out, nil
}
