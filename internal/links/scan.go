package links

import (
	"bytes"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"
)

// span locates one link candidate in a body by byte offsets.
type span struct {
	start, end         int // the link as written: body[start:end]
	hostStart, hostEnd int // the host as written, without brackets
	userinfo           bool
	numeric            bool // host given as numbers only: an IP literal
	// app is the web domain of a messaging app's own scheme
	// ("whatsapp://chat?code=..." opens WhatsApp: "whatsapp.com"); the
	// authority as written (hostStart:hostEnd) is then the app's command,
	// not a host. "" for a web link.
	app string
}

// next finds the first link candidate at or after byte i of s. It returns the
// candidate, the offset to resume scanning from, and whether one was found.
// It does not allocate: every test before a candidate is accepted reads s in
// place, which is what keeps the no-link path cheap.
func next(s string, i int) (span, int, bool) {
	for ; i < len(s); i++ {
		i = quiet(s, i)
		if i >= len(s) {
			break
		}
		c := s[i]
		if !trigger[c] {
			continue
		}
		var (
			sp  span
			end int
			ok  bool
		)
		switch c {
		case '.':
			if i == 0 || i+1 >= len(s) || !hostByte(s[i-1]) || !hostByte(s[i+1]) {
				continue
			}
			if end, ok := numberDots(s, i); ok {
				i = end - 1 // as schemeless would answer, at length
				continue
			}
			sp, end, ok = schemeless(s, i, 1)
		case ':':
			if !strings.HasPrefix(s[i:], "://") {
				continue
			}
			sp, end, ok = withScheme(s, i)
		case '[':
			if i+1 >= len(s) || !(isHex(s[i+1]) || s[i+1] == ':') {
				continue
			}
			sp, end, ok = bracketed(s, i)
		case 0xE3, 0xEF:
			n := idnDot(s, i)
			if n == 0 || i == 0 || i+n >= len(s) || !hostByte(s[i-1]) || !hostByte(s[i+n]) {
				continue
			}
			sp, end, ok = schemeless(s, i, n)
		default:
			continue
		}
		if ok {
			return sp, end, true
		}
		if end > i {
			i = end - 1
		}
	}
	return span{}, len(s), false
}

// numberDots reports whether the host run around the dot s[dot] is ASCII
// digits and dots only, with neither a path nor a port after it ('/' or
// ':'), and returns the run's end. Such a run (an amount "4901.35", a
// version "1.2.3") is no link: schemeless refuses it, since no top-level
// domain is digits (isTLD) and an IPv4 literal needs a path or port after
// it (trimToTLD), and resumes at its end (hostRight). An amount is in every
// other templated body; schemeless cost it ten times this.
// TestNumberDotsAsSchemeless holds it to schemeless.
func numberDots(s string, dot int) (end int, ok bool) {
	i := dot
	for i > 0 && (isDigit(s[i-1]) || s[i-1] == '.') {
		i--
	}
	if i > 0 && (hostASCII(s[i-1]) || s[i-1] >= utf8.RuneSelf) {
		return 0, false // the run goes on in letters, '-', '_' or another script
	}
	j := dot + 1
	for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
		j++
	}
	if j < len(s) && (hostASCII(s[j]) || s[j] >= utf8.RuneSelf || s[j] == '/' || s[j] == ':') {
		return 0, false
	}
	return j, true
}

// trigger marks the bytes where a link can show itself: a label dot, the
// ':' of "://", the '[' of an IPv6 literal, and the lead bytes of the
// ideographic and full-width full stops.
var trigger = [256]bool{'.': true, ':': true, '[': true, 0xE3: true, 0xEF: true}

// quiet returns the first trigger byte at or after i, found 8-byte word
// by 8-byte word without reading bytes one by one: most of a body holds
// none, and next read each. In the tail of s shorter than a word it
// returns where the tail starts, which next reads byte by byte; it never
// skips a trigger. The lowest flag of the words' tests is always a true
// one (byteFlags), so the trigger it returns is exact: next reads no byte
// before it, where it used to read each byte of the word and test the
// rest of the word again.
func quiet(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		m := byteFlags(x, '.') | byteFlags(x, ':') | byteFlags(x, '[')
		if x&0x8080808080808080 != 0 { // the full stops' lead bytes are not ASCII
			m |= byteFlags(x, 0xE3) | byteFlags(x, 0xEF)
		}
		if m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	return i
}

// byteFlags sets the high bit of the bytes of x that are b: the classic
// test for a zero byte in x^b repeated. A word without b gets no flag (a
// borrow only ever runs from a zero byte), and the lowest flag is always
// a byte that is b; flags above it may be false (a borrow from it), so
// only the lowest is read.
func byteFlags(x uint64, b byte) uint64 {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	v := x ^ lo*uint64(b)
	return (v - lo) &^ v & hi
}

// schemeless tries a link without a scheme around the label separator at
// s[dot:dot+n]: "www.example.com", "bit.ly/x", "192.0.2.1/login".
func schemeless(s string, dot, n int) (span, int, bool) {
	start := hostLeft(s, dot)
	end := hostRight(s, dot+n)
	if start > 0 {
		switch s[start-1] {
		case '@', '\\', '.', '-', '_':
			// An e-mail address or a run the scanner already refused.
			return span{}, end, false
		case '/':
			// "and/or.com" is a path; "http:/x.com" and "http//x.com" are
			// mistyped schemes in front of a real link.
			if start < 2 || (s[start-2] != ':' && s[start-2] != '/') {
				return span{}, end, false
			}
		}
	}
	if end < len(s) && s[end] == '@' {
		return span{}, end, false // the local part of an e-mail address
	}
	for start < end && (s[start] == '-' || s[start] == '_') {
		start++
	}
	hostEnd, numeric, ok := trimToTLD(s, start, end)
	if !ok {
		return span{}, end, false
	}
	p := hostEnd
	if p == end {
		p = portAndPath(s, p)
	}
	if p == hostEnd && !numeric && !hasPrefixFold(s[start:hostEnd], "www.") {
		// A bare "word.word" is most often a missing space after a full stop
		// ("days.so", "home.love"): without a path or "www." the TLD must be
		// one that links are really written with.
		i, n := lastSep(s[start:hostEnd])
		if !bareTLD(s[start+i+n:hostEnd]) && !machineName(s[start:start+i]) {
			return span{}, end, false
		}
	}
	urlEnd := trimTrailing(s, start, p)
	if urlEnd < hostEnd {
		urlEnd = hostEnd
	}
	return span{start: start, end: urlEnd, hostStart: start, hostEnd: hostEnd, numeric: numeric}, max(p, end), true
}

// trimToTLD finds the longest prefix of the host run s[start:end] whose last
// label is a top-level domain, so that "example.com.Thanks" yields
// "example.com". A run of four numbers is an IPv4 literal when followed by a
// port or path, which keeps version numbers out.
func trimToTLD(s string, start, end int) (hostEnd int, numeric, ok bool) {
	h := s[start:end]
	if len(h) > 253+3 {
		// Longer than any DNS name: only its start can be a host, which a
		// phone links when a long run is glued after it with a dot
		// ("evil.com.xxxx..."), and reading no more keeps this loop linear.
		i, _ := lastSep(h[:253+3+1])
		if i <= 0 {
			return 0, false, false
		}
		h = h[:i]
	}
	pathFollows := len(h) == end-start && end < len(s) && (s[end] == '/' || s[end] == ':')
	// Sentence punctuation and hyphens at the end are not part of the host.
	for len(h) > 0 {
		if h[len(h)-1] == '.' || h[len(h)-1] == '-' || h[len(h)-1] == '_' {
			h = h[:len(h)-1]
			pathFollows = false
			continue
		}
		if n := idnDotBefore(h, len(h)); n > 0 {
			h = h[:len(h)-n]
			pathFollows = false
			continue
		}
		break
	}
	if pathFollows && isIPv4(h) {
		return start + len(h), true, true
	}
	whole := len(h) == end-start // what follows the run (pathAfter) marks the whole run, not a prefix
	for first := true; ; first = false {
		i, n := lastSep(h)
		if i <= 0 {
			return 0, false, false
		}
		tld := h[i+n:]
		// A hyphen glued after a TLD ends the host, as a phone links it
		// ("evil.com-now"): no label with a hyphen is a TLD but an A-label.
		if k := strings.IndexByte(tld, '-'); first && k > 0 && !hasPrefixFold(tld, "xn--") {
			h, tld, whole = h[:i+n+k], tld[:k], false
		}
		// A capital first is rare: sentence stays out of the common way.
		if (tld == "" || tld[0] < 'A' || tld[0] > 'Z' || !sentence(h, i, n, schemeBefore(s, start) || whole && pathAfter(s, end))) &&
			isTLD(tld) && validLabels(h[:i]) {
			return start + len(h), false, true
		}
		h, whole = h[:i], false
	}
}

// www reports whether h starts with "www.", in any case. It is
// hasPrefixFold(h, "www."), without a call for each sentence that looks
// like a host ("Hello.World").
func www(h string) bool {
	return len(h) >= 4 && h[3] == '.' && h[0]|0x20 == 'w' && h[1]|0x20 == 'w' && h[2]|0x20 == 'w'
}

// schemeBefore reports whether the run at s[start] follows a scheme's
// slashes, as schemeless admits them ("http:/x.Info", "http//x.Info",
// "//x.Info"): a host, as "www." marks one.
func schemeBefore(s string, start int) bool {
	return start >= 2 && s[start-1] == '/' && (s[start-2] == ':' || s[start-2] == '/')
}

// pathAfter reports whether a path starts at s[p], after a port or not
// ("/track", ":8443/login"), which marks the run before it as a host. A
// port alone does not: "Anda.Info:123" is a sentence and a short code. A
// query or fragment marks it as a path does ("?id=5", "#/login", as path
// reads them), but only with a '=' or '/' in its first 64 bytes, before
// the next space: "Need more.Info?Call us" and "us.Click#win" are a
// sentence and a hash tag. (The bound keeps a body of many "a.Info?b"
// linear.)
func pathAfter(s string, p int) bool {
	p, ok := port(s, p)
	if !ok {
		return false
	}
	if p >= len(s) {
		return false
	}
	switch s[p] {
	case '/':
		return true
	case '?', '#':
		for q := p + 1; q < min(len(s), p+65) && pathByte(s[q]); q++ {
			if s[q] == '=' || s[q] == '/' {
				return true
			}
		}
	}
	return false
}

// titleCase reports whether an ASCII label is written as a sentence starts
// a word: one capital, then lower case ("Com", "Click").
func titleCase(label string) bool {
	if len(label) < 2 || label[0] < 'A' || label[0] > 'Z' {
		return false
	}
	for i := 1; i < len(label); i++ {
		if label[i] < 'a' || label[i] > 'z' {
			return false
		}
	}
	return true
}

// sentence reports whether the last label of the host run h, after the
// separator h[i:i+n], is in the title case a sentence starts a word with
// and the first word of a sentence after a full stop written without a
// space ("thanks.Click here", "Prof.Dr.Ir", "PT.Bank"), not a top-level
// domain. (Any other case, "COm" or "coM", is no sentence's, and is a TLD
// as it would be in lower case.) A title-case TLD ends a host when "www."
// before it or a path after it marks the host (path), when it is a TLD no
// sentence starts with (sentenceFree: "Com"), or when two labels of three
// characters or more come before it, the last not in title case
// ("shop.example.Ir") unless it is the country's second level
// ("Shop-Example.Co.Uk", secondLevel), where sentences leave one word,
// initials ("a.m.In", "Prof.Dr.Ir") or another sentence's first word
// ("waiting.Thanks.Click"); never right after a label that is a TLD
// itself, but for that second level: "example.com.Live music" is a host,
// then the next sentence.
func sentence(h string, i, n int, path bool) bool {
	tld, before := h[i+n:], h[:i]
	if !titleCase(tld) {
		return false
	}
	j, m := lastSep(before)
	last := before[max(j+m, 0):]
	if !www(h) && !path && !sentenceFree(tld) {
		if j < 0 || ((len(last) < 3 || titleCase(last)) && !secondLevel(last, tld)) {
			return true
		}
		k, l := lastSep(before[:j])
		if len(before[max(k+l, 0):j]) < 3 {
			return true
		}
	}
	return isTLD(last) && !secondLevel(last, tld)
}

// secondLevel reports whether sld.tld, in any case, is a country's own
// public suffix ("Co.Uk", "com.Br", "Co.Id"): a label that is short or in
// title case there is the country's second level, not a sentence's word,
// and the host goes on to the country code, as the browser opens it.
// Only the second levels such suffixes are made of reach the public
// suffix list, so "Prof.Dr.Ir" and "a.m.In" allocate nothing.
func secondLevel(sld, tld string) bool {
	if len(tld) != 2 || len(sld) < 2 || len(sld) > 3 {
		return false
	}
	var buf [6]byte
	for i := 0; i < len(sld); i++ {
		buf[i] = sld[i] | 0x20
	}
	switch string(buf[:len(sld)]) {
	case "co", "com", "net", "org", "ac", "gov", "edu", "or", "go", "ne", "gob", "mil", "nic", "ltd", "plc", "sch":
	default:
		return false
	}
	n := len(sld)
	buf[n] = '.'
	buf[n+1], buf[n+2] = tld[0]|0x20, tld[1]|0x20
	d := string(buf[:n+3])
	ps, icann := publicsuffix.PublicSuffix(d)
	return icann && ps == d
}

// sentenceFree reports whether a TLD in title case is one SMS links are
// written with that starts few sentences in the languages of the packs,
// unlike "Info", "Click", "Net" (English, Dutch) or "Biz" (Turkish "we"),
// which need "www.", a path or two labels before them. "Com" is a
// sentence's first word in Portuguese and Catalan ("with", "how"); it is
// here because .com is the TLD links are written with most, and a plain
// link found in such a sentence costs nothing where links are allowed. It
// does not allocate.
func sentenceFree(tld string) bool {
	var buf [4]byte
	if len(tld) > len(buf) {
		return false
	}
	for i := 0; i < len(tld); i++ {
		buf[i] = tld[i] | 0x20 // ASCII letters only: titleCase held
	}
	switch string(buf[:len(tld)]) {
	case "com", "org", "gov", "mobi", "aero", "xyz", "icu", "cyou", "sbs", "cfd":
		return true
	}
	return false
}

// validLabels reports whether every label of h is non-empty.
func validLabels(h string) bool {
	for h != "" {
		i, n := lastSep(h)
		if i < 0 {
			return true
		}
		if i+n == len(h) {
			return false
		}
		h = h[:i]
	}
	return false
}

// withScheme tries "scheme://authority/path" where s[colon:] starts "://".
func withScheme(s string, colon int) (span, int, bool) {
	start := colon
	for start > 0 && isAlpha(s[start-1]) {
		start--
	}
	a := colon + 3
	app := appScheme(s[start:colon])
	if app == "" && !knownScheme(s[start:colon]) {
		// A scheme glued to the word before it: "experiencehttp://x.com".
		switch {
		case colon-start > 5 && knownScheme(s[colon-5:colon]):
			start = colon - 5
		case colon-start > 4 && knownScheme(s[colon-4:colon]):
			start = colon - 4
		default:
			return span{}, a, false
		}
	}
	// The authority runs to the first '/', '?' or '#'.
	p := a
	for p < len(s) {
		c := s[p]
		if c < utf8.RuneSelf {
			if c == '/' || c == '?' || c == '#' || !authorityByte(c) {
				break
			}
			p++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[p:])
		// A letter of a script written without spaces right after ASCII
		// starts the text the link is glued to ("example.com获取"), except
		// after a dot, where it starts a label ("web.安全检测.com").
		if !hostRune(r) || (p > a && s[p-1] < utf8.RuneSelf && s[p-1] != '.' && noSpaceScript(r)) {
			break
		}
		p += size
	}
	// Scanning resumes at the glued text, not at its dot.
	glued := gluedAfterDot(s, a, p)
	resume := a
	if glued < p {
		p, resume = glued, glued
	}
	authEnd := trimTrailing(s, a, p)
	end := authEnd
	if authEnd == p {
		end = trimTrailing(s, a, path(s, p))
	}
	auth := s[a:authEnd]
	sp := span{start: start, end: end, hostStart: a, app: app}
	if app != "" {
		// The app's command ("chat", "join", "ti") is no host: no user
		// info, brackets or port to read.
		sp.hostEnd = authEnd
		if sp.hostEnd <= sp.hostStart {
			return span{}, max(end, a), false
		}
		return sp, max(end, resume), true
	}
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		sp.userinfo = true
		sp.hostStart = a + at + 1
		auth = auth[at+1:]
	}
	if strings.HasPrefix(auth, "[") {
		j := strings.IndexByte(auth, ']')
		if j < 0 {
			return span{}, max(end, a), false
		}
		sp.hostStart++
		sp.hostEnd = sp.hostStart + j - 1
	} else {
		j := strings.IndexByte(auth, ':')
		if j < 0 {
			j = len(auth)
		}
		sp.hostEnd = sp.hostStart + j
	}
	if sp.hostEnd <= sp.hostStart {
		return span{}, max(end, a), false
	}
	sp.numeric = numericHost(s[sp.hostStart:sp.hostEnd])
	return sp, max(end, resume), true
}

// gluedAfterDot returns where the authority s[a:p] ends when text of a
// script written without spaces follows a dot: withScheme reads
// "web.安全检测.com" as one host, but in "evil.com.获取奖金" the last label is
// no top-level domain, so the text begins at its first such letter ("获")
// and the host is evil.com, as feeds and block lists name it.
func gluedAfterDot(s string, a, p int) int {
	auth := s[a:p]
	host := auth[strings.LastIndexByte(auth, '@')+1:]
	if j := strings.LastIndexByte(host, ':'); j >= 0 && !strings.HasPrefix(host, "[") {
		host = host[:j]
	}
	i, n := lastSep(host)
	if i < 0 || isTLD(host[i+n:]) {
		return p
	}
	for j, r := range auth {
		if j > 0 && r >= utf8.RuneSelf && noSpaceScript(r) {
			return a + j
		}
	}
	return p
}

// bracketed tries a bare IPv6 literal such as "[2001:db8::1]/login".
func bracketed(s string, open int) (span, int, bool) {
	j := strings.IndexByte(s[open:min(len(s), open+48)], ']')
	if j < 0 {
		return span{}, open + 1, false
	}
	inner := s[open+1 : open+j]
	if strings.IndexByte(inner, ':') < 0 {
		return span{}, open + j + 1, false
	}
	if ip, ok := parseIP(inner); !ok || !ip.Is6() {
		return span{}, open + j + 1, false
	}
	p := portAndPath(s, open+j+1)
	end := trimTrailing(s, open, p)
	if end < open+j+1 {
		end = open + j + 1
	}
	return span{start: open, end: end, hostStart: open + 1, hostEnd: open + j, numeric: true}, p, true
}

// appScheme returns the web domain of the messaging app whose own URL
// scheme s is, or "". The phone opens such a link in the app as it opens
// the app's web link: "whatsapp://chat?code=X" is the group invite
// "https://chat.whatsapp.com/X" (WhatsApp's, Telegram's and LINE's
// documentation of their deep links).
func appScheme(s string) string {
	switch strings.ToLower(s) {
	case "whatsapp":
		return "whatsapp.com"
	case "tg":
		return "t.me"
	case "line":
		return "line.me"
	}
	return ""
}

func knownScheme(s string) bool {
	switch strings.ToLower(s) {
	case "http", "https", "ftp", "hxxp", "hxxps":
		return true
	}
	return false
}

// portAndPath consumes an optional ":port" and an optional path, query or
// fragment starting at p, returning where they end.
func portAndPath(s string, p int) int {
	q, ok := port(s, p)
	if !ok {
		return p
	}
	return path(s, q)
}

// port returns where an optional ":port" at s[p] ends (p without one),
// and false for a colon without digits, which is no port.
func port(s string, p int) (int, bool) {
	if p >= len(s) || s[p] != ':' {
		return p, true
	}
	q := p + 1
	for q < len(s) && isDigit(s[q]) {
		q++
	}
	return q, q > p+1
}

// path consumes a path, query or fragment starting at p. It stops at the
// first byte that cannot appear in a URL as typed, including any non-ASCII
// byte: in running text a non-ASCII letter after a path is the next word.
func path(s string, p int) int {
	if p >= len(s) || (s[p] != '/' && s[p] != '?' && s[p] != '#') {
		return p
	}
	for p < len(s) && pathByte(s[p]) {
		p++
	}
	return p
}

// trimTrailing drops punctuation that ends a sentence or closes a bracket the
// link did not open.
func trimTrailing(s string, lo, hi int) int {
	for hi > lo {
		switch s[hi-1] {
		case '.', ',', ';', ':', '!', '?', '\'', '"', '*':
			hi--
			continue
		case ')':
			if strings.Count(s[lo:hi], "(") < strings.Count(s[lo:hi], ")") {
				hi--
				continue
			}
		case ']':
			if strings.Count(s[lo:hi], "[") < strings.Count(s[lo:hi], "]") {
				hi--
				continue
			}
		}
		if n := idnDotBefore(s[lo:hi], hi-lo); n > 0 {
			hi -= n
			continue
		}
		break
	}
	return hi
}

// hostLeft returns where the host run ending before s[i] starts.
func hostLeft(s string, i int) int {
	for i > 0 {
		c := s[i-1]
		if c < utf8.RuneSelf {
			if !hostASCII(c) {
				break
			}
			if i < len(s) && s[i] >= utf8.RuneSelf {
				if r, _ := utf8.DecodeRuneInString(s[i:]); noSpaceScript(r) {
					break
				}
			}
			i--
			continue
		}
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !hostRune(r) || (i < len(s) && s[i] < utf8.RuneSelf && s[i] != '.' && noSpaceScript(r)) {
			break
		}
		i -= size
	}
	return i
}

// hostRight returns where the host run starting at s[i] ends. A script
// written without spaces next to ASCII ends the run: "请访问example.com获取".
func hostRight(s string, i int) int {
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if !hostASCII(c) {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !hostRune(r) || (i > 0 && s[i-1] < utf8.RuneSelf && s[i-1] != '.' && noSpaceScript(r)) {
			break
		}
		i += size
	}
	return i
}

// lastSep returns the index and width of the last label separator in h, or
// -1: '.', or one of the dots UTS #46 maps to '.'.
func lastSep(h string) (int, int) {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i] == '.' {
			return i, 1
		}
		if h[i] >= utf8.RuneSelf && utf8.RuneStart(h[i]) {
			if n := idnDot(h, i); n > 0 {
				return i, n
			}
		}
	}
	return -1, 0
}

// idnDot returns the width of an ideographic or full-width full stop at s[i].
func idnDot(s string, i int) int {
	if i+3 > len(s) {
		return 0
	}
	switch s[i : i+3] {
	case "\u3002", "\uff0e", "\uff61":
		return 3
	}
	return 0
}

// idnDotBefore returns the width of an IDN dot ending at s[i], or 0.
func idnDotBefore(s string, i int) int {
	if i < 3 {
		return 0
	}
	return idnDot(s, i-3)
}

func isIPv4(h string) bool {
	parts := 0
	for h != "" {
		j := strings.IndexByte(h, '.')
		if j < 0 {
			j = len(h)
		}
		p := h[:j]
		if len(p) == 0 || len(p) > 3 {
			return false
		}
		v := 0
		for k := 0; k < len(p); k++ {
			if !isDigit(p[k]) {
				return false
			}
			v = v*10 + int(p[k]-'0')
		}
		if v > 255 {
			return false
		}
		parts++
		if j == len(h) {
			break
		}
		h = h[j+1:]
	}
	return parts == 4
}

// numericHost reports whether a browser would read the host as an IPv4
// address: its last label is a number (decimal, octal or 0x hex), as in
// "http://3221225985/" or "http://0xC0.0xA8.0.1/".
func numericHost(h string) bool {
	h = strings.TrimSuffix(h, ".")
	last := h[strings.LastIndexByte(h, '.')+1:]
	if last == "" {
		return false
	}
	if len(last) > 2 && last[0] == '0' && last[1]|0x20 == 'x' {
		last = last[2:]
		for i := 0; i < len(last); i++ {
			if !isHex(last[i]) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(last); i++ {
		if !isDigit(last[i]) {
			return false
		}
	}
	return true
}

func hostByte(c byte) bool  { return isAlnum(c) || c >= utf8.RuneSelf }
func hostASCII(c byte) bool { return isAlnum(c) || c == '-' || c == '_' || c == '.' }

func authorityByte(c byte) bool {
	if isAlnum(c) {
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@[]%", c) >= 0
}

func pathByte(c byte) bool {
	if c <= ' ' || c >= 0x7f {
		return false
	}
	return strings.IndexByte("<>\"`{}|\\^", c) < 0
}

// hostRune reports whether a non-ASCII rune can be part of a host as typed.
func hostRune(r rune) bool {
	if r == 0x3002 || r == 0xFF0E || r == 0xFF61 {
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

// noSpaceScript reports whether r belongs to a script written without spaces
// between words, where a link is often glued to the text around it.
func noSpaceScript(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul,
		unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// machineName reports whether the last label of h is a name no sentence
// holds: six characters or more that read as machine-made (randomLabel) or
// carry a digit between letters ("poelacnewu33sdf"). Such a name is a link
// even with a TLD that is also a word ("juytrplmwsaqz.us"), where a missing
// space after a full stop ("join.us") is not.
func machineName(h string) bool {
	if i := strings.LastIndexByte(h, '.'); i >= 0 {
		h = h[i+1:]
	}
	if len(h) < 6 || len(h) > 63 {
		return false
	}
	var buf [63]byte
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case isDigit(c), c >= 'a' && c <= 'z', c == '-':
		default:
			return false
		}
		buf[i] = c
	}
	l := string(buf[:len(h)])
	return digitsBetweenLetters(l) || randomLabel(l)
}

// bareTLD reports whether a link may be written with this TLD and nothing
// else, no scheme, "www." or path: the legacy generic TLDs, the country codes
// that are not also common English words, and the new generic TLDs that
// SMS links use most, in any case and width (foldLabel). tld is a TLD
// (isTLD). It does not allocate.
func bareTLD(tld string) bool {
	var buf [63]byte
	t, ok := foldLabel(tld, &buf)
	if !ok || bytes.HasPrefix(t, []byte("xn--")) {
		return true // an IDN TLD is never a typo of an English sentence
	}
	if len(t) == 2 {
		_, word := wordCCTLDs[string(t)]
		return !word
	}
	_, ok = commonGTLDs[string(t)]
	return ok
}

// wordCCTLDs are country-code TLDs that are also English words, which a
// missing space after a full stop produces: "call me at.so see you".
var wordCCTLDs = map[string]struct{}{
	"am": {}, "as": {}, "at": {}, "be": {}, "by": {}, "do": {}, "go": {}, "is": {}, "it": {},
	"me": {}, "my": {}, "no": {}, "so": {}, "to": {}, "us": {},
}

var commonGTLDs = map[string]struct{}{
	"com": {}, "net": {}, "org": {}, "info": {}, "biz": {}, "edu": {}, "gov": {}, "mil": {}, "int": {},
	"name": {}, "pro": {}, "mobi": {}, "asia": {}, "tel": {}, "travel": {}, "jobs": {}, "aero": {},
	"xyz": {}, "top": {}, "online": {}, "site": {}, "club": {}, "shop": {}, "store": {}, "app": {},
	"dev": {}, "live": {}, "link": {}, "vip": {}, "icu": {}, "buzz": {}, "click": {}, "space": {},
	"website": {}, "tech": {}, "cloud": {}, "host": {}, "digital": {}, "email": {}, "cyou": {},
	"sbs": {}, "cfd": {}, "bond": {}, "rest": {}, "monster": {}, "quest": {}, "uno": {},
	"services": {}, "support": {}, "agency": {}, "company": {}, "finance": {}, "bank": {}, "loan": {},
	"casino": {}, "bet": {},
}
