package links

import (
	_ "embed"
	"errors"
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

// ErrNotDomain reports a line of a feed or domain list that is not a domain,
// host, IP address or URL.
var ErrNotDomain = errors.New("links: not a domain or URL")

// LineError locates a bad line of a feed or domain list. Callers that know
// the file name wrap it ("policies/global/blocked_domains.txt: line 3: ...").
type LineError struct {
	Line int    // 1-based
	Text string // the line, without its comment
	Err  error  // ErrNotDomain, wrapping the parse error
}

func (e *LineError) Error() string {
	return fmt.Sprintf("line %d: %q: %v", e.Line, e.Text, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// Feed is a set of phishing domains, hosts and URL prefixes. An entry that
// is a registrable domain ("evil.com", "www.evil.com", "x.github.io" under
// the private suffix github.io) matches that domain and everything below it.
// An entry that is a host below an ordinary domain ("login.mit.edu") or below
// a platform in data/shared_hosting.txt ("x.weebly.com") matches that host
// and the hosts below it only. An entry with a path on a shared platform or
// a shortener ("bit.ly/abc", "sites.google.com/view/x") matches links with
// that URL prefix only: "bit.ly/abc" matches "bit.ly/abc" and
// "bit.ly/abc?x=1", not "bit.ly/abcd" nor the rest of bit.ly.
//
// A Feed is immutable and safe for concurrent use; to reload, load a new Feed
// and swap it in (Analyzer.WithFeed). The zero Feed and a nil *Feed match
// nothing.
type Feed struct {
	set      map[string]struct{}
	prefixes map[string][]string // host → path prefixes on shared platforms
	skipped  int
}

// LoadFeed reads a feed: one domain, host, URL or IP address per line; '#'
// starts a comment. A line that is none of these is an error (*LineError,
// naming the line). A line that names a shared platform or shortener itself
// ("bit.ly", "weebly.com") or a public suffix ("github.io") is valid but
// skipped, since it would block every user of the platform (see Skipped).
func LoadFeed(r io.Reader) (*Feed, error) {
	f := &Feed{set: map[string]struct{}{}, prefixes: map[string][]string{}}
	err := lines.Each(r, func(n int, line, _ string) error {
		key, prefix, err := feedKey(line)
		switch {
		case err != nil:
			return &LineError{Line: n, Text: line, Err: fmt.Errorf("%w: %w", ErrNotDomain, err)}
		case key == "":
			f.skipped++
		case prefix != "":
			f.prefixes[key] = append(f.prefixes[key], prefix)
		default:
			f.set[key] = struct{}{}
		}
		return nil
	})
	if le := (*LineError)(nil); errors.As(err, &le) {
		return nil, le
	}
	if err != nil {
		return nil, fmt.Errorf("links: read feed: %w", err)
	}
	return f, nil
}

// splitURL cuts a feed line or list entry into its host and its path (from
// the first '/', '?' or '#'), dropping a scheme, user information and port.
func splitURL(line string) (host, path string) {
	host = line
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host, path = host[:i], host[i:]
	}
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	if !strings.HasPrefix(host, "[") {
		if i := strings.LastIndexByte(host, ':'); i >= 0 && strings.Count(host, ":") == 1 {
			host = host[:i]
		}
	}
	return host, path
}

// feedKey returns the host or domain a feed line matches at, and the path
// prefix when the entry is a URL on a shared platform. An empty key with a
// nil error means the line is valid but skipped.
func feedKey(line string) (key, prefix string, err error) {
	host, path := splitURL(line)
	h, _, err := normalizeLenient(host)
	if err != nil {
		return "", "", err
	}
	if _, ok := parseIP(h); ok {
		return h, "", nil
	}
	if strings.IndexByte(h, '.') < 0 {
		return "", "", fmt.Errorf("%q has no dot", h)
	}
	if _, ok := sharedHosting[h]; ok {
		// A platform or shortener itself: only a path on it is an entry.
		if p := strings.TrimRight(path, "/"); p != "" {
			return h, p, nil
		}
		return "", "", nil
	}
	for p := parent(h); p != ""; p = parent(p) {
		if _, ok := sharedHosting[p]; ok {
			return h, "", nil
		}
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(h)
	if err != nil {
		return "", "", nil // a public suffix itself, such as "github.io"
	}
	if _, icann := publicsuffix.PublicSuffix(h); !icann || h == d || h == "www."+d {
		// A registrable domain (or one under a private suffix such as
		// github.io, owned by one user): all of it is the phisher's.
		return d, "", nil
	}
	// A host below an ordinary domain: often a compromised or multi-tenant
	// site (vk.com, zendesk.com, mit.edu...), so only that host matches.
	return h, "", nil
}

// Contains reports whether host (ASCII, lower case, as in Link.Host) is on
// the feed as a domain or host entry. URL-prefix entries need the path: see
// Analyzer.Analyze, which sets Link.Phishing from both.
func (f *Feed) Contains(host string) bool {
	return f.match(host, "")
}

// match reports whether a link on host with path (from its first '/', '?'
// or '#', as written) is on the feed.
func (f *Feed) match(host, path string) bool {
	if f == nil {
		return false
	}
	for h := host; h != "" && len(f.set) > 0; h = parent(h) {
		if _, ok := f.set[h]; ok {
			return true
		}
	}
	for _, p := range f.prefixes[host] {
		if strings.HasPrefix(path, p) && (len(path) == len(p) || strings.IndexByte("/?#", path[len(p)]) >= 0) {
			return true
		}
	}
	return false
}

// Len returns the number of distinct entries (domains, hosts and URL
// prefixes) in the feed.
func (f *Feed) Len() int {
	if f == nil {
		return 0
	}
	n := len(f.set)
	for _, p := range f.prefixes {
		n += len(p)
	}
	return n
}

// Skipped returns how many feed lines named a whole shared platform,
// shortener or public suffix and were left out.
func (f *Feed) Skipped() int {
	if f == nil {
		return 0
	}
	return f.skipped
}

// ReadDomainList reads one domain (or host) per line, '#' starting a
// comment, and returns the entries lower-cased, in file order. A line that is
// not a domain name is an error (*LineError). Use it for shortener and
// blocked-domain lists.
func ReadDomainList(r io.Reader) ([]string, error) {
	var out []string
	err := lines.Each(r, func(n int, entry, _ string) error {
		line := strings.ToLower(entry)
		if err := checkDomain(line); err != nil {
			return &LineError{Line: n, Text: line, Err: fmt.Errorf("%w: %w", ErrNotDomain, err)}
		}
		out = append(out, line)
		return nil
	})
	if le := (*LineError)(nil); errors.As(err, &le) {
		return nil, le
	}
	if err != nil {
		return nil, fmt.Errorf("links: read domain list: %w", err)
	}
	return out, nil
}

// checkDomain accepts a host name with at least one dot (or a bare TLD such
// as "top" in the abused-TLD list), as written in a domain list.
func checkDomain(s string) error {
	if strings.ContainsAny(s, "/:@ \t") {
		return errors.New("want a bare domain, without scheme, path or spaces")
	}
	if _, _, err := normalizeLenient(s); err != nil {
		return err
	}
	return nil
}
