package links

import (
	_ "embed"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Link risk: what a link's host and path say about it, as plain booleans that
// policies weigh (policies/global/linkrisk.rego). Every signal here is
// computed from the link alone, with no network and no state; how long the
// fleet has known the domain is the engine's (filter's first_seen fact, from
// the state store).

const (
	// minTypo is the shortest brand token matched by edit distance: shorter
	// ones ("ups", "dhl", "visa") are one edit away from ordinary words.
	minTypo = 5
	// minGlue is the shortest brand token looked for glued to lure words
	// ("uspsdelivery").
	minGlue = 4
	// longTypo is the token length from which two edits still count.
	longTypo = 10
)

//go:embed data/abused_tlds.txt
var builtinAbusedTLDs string

//go:embed data/dynamic_dns.txt
var builtinDynamicDNS string

//go:embed data/app_hosting.txt
var builtinAppHosting string

var (
	abusedTLDs = setOf(mustList(builtinAbusedTLDs))
	dynamicDNS = setOf(mustList(builtinDynamicDNS))
	freeHosts  = setOf(mustList(builtinSharedHosting))
	appHosts   = setOf(mustList(builtinAppHosting))
)

func setOf(l []string) map[string]struct{} {
	m := make(map[string]struct{}, len(l))
	for _, s := range l {
		m[s] = struct{}{}
	}
	return m
}

// lureWords are the words phishing kits glue to a brand name in a domain
// ("paypal-secure-login", "appleid-verify", "usps-redelivery") and write in
// credential-harvesting paths ("/signin/verify").
var lureWords = setOf([]string{
	"account", "accounts", "alert", "auth", "bill", "billing", "bonus", "care", "center", "centre",
	"check", "claim", "confirm", "confirmation", "customer", "delivery", "fee", "fine", "gift",
	"help", "helpdesk", "id", "kyc", "locked", "login", "logon", "member", "mobile", "my", "notice",
	"official", "online", "package", "parcel", "pay", "payment", "portal", "prize", "rebate",
	"recovery", "redelivery", "refund", "renew", "reset", "reward", "secure", "security", "service",
	"services", "signin", "signon", "support", "suspend", "suspended", "tax", "team", "toll", "track",
	"tracking", "unlock", "update", "user", "verification", "verify", "wallet", "web", "webscr",
	"shipping", "shipment", "courier", "address", "penalty", "airdrop", "invoice", "unpaid", "overdue",
	"pending", "reschedule", "refunds", "rewards", "bonuses", "prizes", "claims", "fines", "tolls",
	"card", "cards", "alerts", "membership", "benefit", "benefits", "statement",
})

// credentialWords are path words that ask for credentials or payment.
var credentialWords = setOf([]string{
	"account", "auth", "billing", "confirm", "kyc", "login", "logon", "otp", "password", "passwd",
	"pay", "payment", "recovery", "reset", "secure", "signin", "signon", "suspend", "unlock",
	"update", "validate", "verify", "verification", "wallet", "webscr", "wp-login",
})

// risk fills the link-risk fields of l, a link on a host name (not an IP
// literal) whose public suffix is ps (icann: from the list's ICANN section).
// rawHost is the host as written, before lower-casing; rest is everything
// after the host (port, path, query, fragment).
func (a *Analyzer) risk(l *Link, ps string, icann bool, rawHost, rest string) {
	host, domain := l.Host, l.Domain
	if len(ps) >= len(host) {
		return // a public suffix itself
	}
	tld := ps[strings.LastIndexByte(ps, '.')+1:]
	_, l.Risk.AbusedTLD = abusedTLDs[tld]
	l.Risk.TLDCountry = tldCountry(tld)
	if l.Punycode {
		l.Risk.Scripts = labelScripts(l.UnicodeHost, strings.Count(ps, ".")+1)
	}
	appHosted := false
	if !l.Shortener {
		switch {
		case hasParentIn(host, dynamicDNS):
			l.Risk.DynamicDNS = true
		case a.freeHosted(host, ps, icann):
			appHosted = hasParentIn(host, appHosts)
			l.Risk.FreeHosting = !appHosted
		}
	}
	if !strings.HasSuffix(domain, ps) || len(domain) <= len(ps) {
		return
	}
	reg := domain[:len(domain)-len(ps)-1]
	// A shortener's name is short by design, and a known service: its
	// label says nothing about who registered it. Neither does a hosting
	// platform's: it names its customers' sites itself, and machine-made
	// is how ("d2x7kq9vb1c4mz.cloudfront.net", a project ID's random
	// suffix "shop-4f1b2.web.app", "pub-<hex>.r2.dev"), for a bank's
	// notices as for a phishing kit, so its shape is no signal.
	platformNamed := l.Shortener || l.Risk.FreeHosting || appHosted
	l.Risk.RandomLabel = !platformNamed && randomLabel(reg)
	// Shape is read on the Unicode form: punycode adds digits and hyphens
	// of its own.
	ureg := reg
	if l.Punycode {
		ureg = label(toUnicode(domain))
	}
	if l.Punycode && ureg != reg {
		l.Risk.ASCIILookalike = asciiLookalike(ureg, len(tld) == 2)
	}
	digits := 0
	for i := 0; i < len(ureg); i++ {
		if isDigit(ureg[i]) {
			digits++
		}
	}
	l.Risk.DigitHeavy = digits >= 4 && !platformNamed
	l.Risk.HyphenHeavy = !platformNamed && (strings.Count(ureg, "-") >= 2 || strings.Count(l.UnicodeHost, "-") >= 3)
	p := pathOf(rest)
	l.Risk.CredentialPath = anyWord(p, credentialWords)
	l.Risk.NonStandardPort = nonStandardPort(rest)
	l.Risk.DeceptiveHost = deceptiveHost(host[:len(host)-len(domain)], reg)
	l.Risk.ChatInvite = chatInvite(host, p)
	l.Risk.KitPath = kitPath(p)
	l.Risk.RedirectPath = redirectPath(p)
	if l.Punycode {
		// Lure words written with diacritics ("vérification-compte")
		// read as their skeleton.
		if skel := skeleton(ureg); asciiName(skel) {
			l.Risk.LureWords = lureLabel(skel)
		}
	} else {
		l.Risk.LureWords = lureLabel(reg)
	}

	b := a.brands
	if b == nil {
		return
	}
	if _, own := b.domains[domain]; own {
		return
	}
	// The brand named in a subdomain: "login.paypal.com.secure-verify.co.uk".
	// A notice service gives each paying business its own subdomain
	// ("dtac.onelink.me"): there the brand's name is the account's.
	if sub := host[:len(host)-len(domain)]; sub != "" && !onNoticeService(host) {
		for lab := range strings.SplitSeq(strings.TrimSuffix(sub, "."), ".") {
			if strings.HasPrefix(lab, "xn--") {
				lab = skeleton(toUnicode(lab)) // "ṁyetherẇallet" reads "myetherwallet"
			}
			if br := b.namedIn(lab); br != "" {
				l.Risk.BrandOf, l.Risk.BrandInSubdomain = br, true
				break
			}
		}
	}
	// The registrable label: look-alike, typo- or combo-squat.
	if br, kind := b.squat(reg, rawLabel(rawHost, host, domain, reg), toUnicode(domain)); br != "" && l.HomographOf == "" {
		// A look-alike is reported as a homograph (IDN_HOMOGRAPH), the
		// squats as brand signals.
		switch kind {
		case squatLookalike:
			l.HomographOf = br
		case squatTypo:
			l.Risk.Typosquat = true
		case squatCombo:
			l.Risk.Combosquat = true
		}
		if kind != squatLookalike && l.Risk.BrandOf == "" {
			l.Risk.BrandOf = br
		}
	}
	if br := b.inPath(p); br != "" {
		l.Risk.BrandInPath = true
		if l.Risk.BrandOf == "" {
			l.Risk.BrandOf = br
		}
	}
}

// namedIn returns the brand one subdomain label names: the label, or one of
// its hyphen-separated parts, is a brand token of four characters or more
// ("paypal", "paypal-login"), or a token glued to a lure word ("appleid").
func (b *brandIndex) namedIn(lab string) string {
	for lab != "" {
		part := lab
		if i := strings.IndexByte(lab, '-'); i >= 0 {
			part, lab = lab[:i], lab[i+1:]
		} else {
			lab = ""
		}
		if br, ok := b.tokens[part]; ok && len(part) >= 4 {
			return br
		}
		if br := b.glued(part); br != "" {
			return br
		}
	}
	return ""
}

// glued returns the brand when part is a token of four characters or more
// with lure words or digits glued before or after it ("paypallogin",
// "secureapple", "uspsdeliverycare", "amazon24").
func (b *brandIndex) glued(part string) string {
	if len(part) <= minGlue {
		return ""
	}
	// Tokens are indexed by their first and last minGlue bytes, so only
	// the few that can start or end part are compared.
	for _, t := range b.gluePrefix[part[:minGlue]] {
		if len(t.name) < len(part) && strings.HasPrefix(part, t.name) {
			if rest := part[len(t.name):]; allDigits(rest) || lureRun(rest, 3) > 0 {
				return t.brand
			}
		}
	}
	for _, t := range b.glueSuffix[part[len(part)-minGlue:]] {
		if len(t.name) < len(part) && strings.HasSuffix(part, t.name) {
			if rest := part[:len(part)-len(t.name)]; allDigits(rest) || lureRun(rest, 3) > 0 {
				return t.brand
			}
		}
	}
	return ""
}

// lureRun returns how many lure words s is made of, written together
// ("deliverycare" → 2), trying at most max words; 0 when s is not made of
// them.
func lureRun(s string, max int) int {
	n, _ := lureSplit(s, max)
	return n
}

// lureSplit is lureRun that also counts the words of the split that are
// not weak ones (weakLure).
func lureSplit(s string, max int) (n, strong int) {
	if s == "" || max == 0 {
		return 0, 0
	}
	if _, ok := lureWords[s]; ok {
		return 1, strongLure(s)
	}
	for i := len(s) - 1; i >= 2; i-- {
		if _, ok := lureWords[s[:i]]; ok {
			if n, st := lureSplit(s[i:], max-1); n > 0 {
				return n + 1, st + strongLure(s[:i])
			}
		}
	}
	return 0, 0
}

func strongLure(w string) int {
	if _, weak := weakLure[w]; weak {
		return 0
	}
	return 1
}

// lureLabel reports whether a registrable label is made of lure words and
// nothing else, two at least, not counting the weak ones ("my", "online",
// "card"): "secure-account-verify", "parcel-redelivery", "trackparcel".
func lureLabel(reg string) bool {
	strong := 0
	for part := range strings.SplitSeq(reg, "-") {
		n, st := lureSplit(part, 3)
		if n == 0 {
			return false
		}
		strong += st
	}
	return strong >= 2
}

// weakLure are lure words that ordinary names use too.
var weakLure = setOf([]string{"my", "online", "mobile", "web", "id", "service", "services", "center",
	"centre", "team", "user", "member", "help", "care", "customer", "official", "portal", "pay",
	"card", "cards", "membership", "benefit", "benefits", "statement"})

type squatKind int

const (
	squatNone squatKind = iota
	squatLookalike
	squatTypo
	squatCombo
)

// squat decides whether a registrable label imitates a brand. reg is the
// ASCII label ("xn--appe-..." for an IDN), raw the label as written (for a
// capital I read as l), udomain the Unicode form of the domain.
func (b *brandIndex) squat(reg, raw, udomain string) (string, squatKind) {
	if strings.HasPrefix(reg, "xn--") {
		// A non-ASCII label: its skeleton one edit from a brand token
		// ("appıe" → "appie" ~ "apple") is a look-alike the skeleton
		// table alone misses, and so is one that spells a token with
		// letters the table has no ASCII prototype for ("əməzon").
		// The skeleton table writes "m" as "rn": fold it back, as the
		// tokens are written.
		skel := visualFold(skeleton(label(udomain)))
		if br, ok := b.tokens[skel]; ok {
			return br, squatLookalike
		}
		if br := b.near(skel, 1); br != "" {
			return br, squatLookalike
		}
		if br := b.wildcard(skel); br != "" {
			return br, squatLookalike
		}
		if asciiName(skel) {
			// Latin with diacritics reads as its ASCII skeleton:
			// "société-général" is squatted like "societe-general".
			return b.squat(skel, skel, "")
		}
		return "", squatNone
	}
	if raw != reg && strings.ContainsAny(raw, "abcdefghijklmnopqrstuvwxyz") {
		// Written in mixed case: a capital I where a brand has an l
		// ("paypaI") looks the same in most fonts. In capitals only
		// ("PAYPAI") it does not.
		if br, ok := b.tokens[strings.ReplaceAll(strings.ToLower(strings.ReplaceAll(raw, "I", "l")), "-", "")]; ok {
			return br, squatLookalike
		}
	}
	flat := strings.ReplaceAll(reg, "-", "")
	if br, ok := b.tokens[flat]; ok {
		if flat != reg {
			return br, squatCombo // "emirates-nbd" for emiratesnbd.com
		}
		return "", squatNone // the brand's name on a TLD it does not list
	}
	if v := visualFold(flat); v != flat {
		if br, ok := b.tokens[v]; ok {
			return br, squatTypo // "vvhatsapp", "rnicrosoft", "paypa1"
		}
	}
	// Hyphen parts: a brand with a lure word ("paypal-secure-login",
	// "secure-paypal") or a part with digits ("jf245-fedex", "usps-us53": a
	// kit's serial, as "amazon24" is glued), or a typo of one.
	if strings.IndexByte(reg, '-') >= 0 {
		hasLure, brand, typo := false, "", false
		for part := range strings.SplitSeq(reg, "-") {
			if lureRun(part, 3) > 0 { // "login", "mybilling"
				hasLure = true
				continue
			}
			if br, ok := b.tokens[part]; ok && brand == "" {
				brand = br
				continue
			}
			if br := b.glued(part); br != "" && brand == "" {
				brand = br
				continue
			}
			if strings.ContainsAny(part, "0123456789") {
				hasLure = true
				continue
			}
			if len(part) >= minTypo && brand == "" {
				if br := b.near(visualFold(part), maxEdits(len(part))); br != "" {
					brand, typo = br, true
				}
			}
		}
		switch {
		case brand != "" && typo:
			return brand, squatTypo
		case brand != "" && hasLure:
			return brand, squatCombo
		case brand == "" && len(flat) >= longTypo:
			// A long brand split by hyphens and misspelt:
			// "societe-general" for societegenerale.
			if br := b.near(flat, 2); br != "" {
				return br, squatTypo
			}
		}
		return "", squatNone
	}
	if br := b.glued(flat); br != "" {
		return br, squatCombo
	}
	if len(flat) >= minTypo {
		if br := b.near(visualFold(flat), maxEdits(len(flat))); br != "" {
			return br, squatTypo
		}
	}
	return "", squatNone
}

// wildcard returns the brand whose token a non-ASCII label's skeleton
// spells when each character left outside ASCII (one the confusable table
// has no ASCII prototype for: "ə", "ɒ", "ƅ", "ɾ", "ɢ") is read as any letter:
// "əməzon", "faceƅooƙ", "instagɾam". At most a third of the label may be
// read so, and the token must be minTypo long, so that a native word is not
// read as a brand.
func (b *brandIndex) wildcard(skel string) string {
	n, wild := 0, 0
	for _, r := range skel {
		n++
		if r >= utf8.RuneSelf {
			wild++
		}
	}
	if wild == 0 || n < minTypo || 3*wild > n {
		return ""
	}
	for _, t := range b.typo {
		if len(t.name) > n {
			break
		}
		if len(t.name) == n && wildMatch(skel, t.name) {
			return t.brand
		}
	}
	return ""
}

// wildMatch reports whether s spells the ASCII token t, reading every
// non-ASCII rune of s as any one letter of t.
func wildMatch(s, t string) bool {
	i := 0
	for _, r := range s {
		if i >= len(t) || r < utf8.RuneSelf && byte(r) != t[i] {
			return false
		}
		i++
	}
	return i == len(t)
}

// asciiName reports whether s is a host label of a-z, 0-9 and '-'.
func asciiName(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || isDigit(c) || c == '-') {
			return false
		}
	}
	return s != ""
}

func maxEdits(n int) int {
	if n >= longTypo {
		return 2
	}
	return 1
}

// near returns the brand whose token is within k edits of s (restricted
// Damerau-Levenshtein: insertions, deletions, substitutions and adjacent
// transpositions), or "". Tokens under minTypo are never considered, and the
// token's own length decides whether two edits are allowed.
func (b *brandIndex) near(s string, k int) string {
	if len(s) < minTypo-1 || len(s) > 64 {
		return ""
	}
	// Both ends changed is not how squats are made: compare the tokens
	// that start as s does, then those that end as s does (and start
	// otherwise).
	if br := nearIn(b.typoFirst[s[0]], s, k, 0); br != "" {
		return br
	}
	return nearIn(b.typoLast[s[len(s)-1]], s, k, s[0])
}

// nearIn is near over ts (sorted by length), skipping the tokens that
// start with skip (0: none).
func nearIn(ts []token, s string, k int, skip byte) string {
	for _, t := range ts {
		kt := min(k, maxEdits(len(t.name)))
		if len(t.name) > len(s)+kt {
			break
		}
		if len(t.name) < len(s)-kt || t.name == s || t.name[0] == skip {
			continue
		}
		if editDistance(s, t.name, kt) <= kt {
			return t.brand
		}
	}
	return ""
}

// editDistance is the optimal string alignment distance between a and b,
// giving up with k+1 once every cell of a row exceeds k. Both are at most 64
// bytes; it does not allocate.
func editDistance(a, b string, k int) int {
	var rows [3][65]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > k {
			return k + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// visualFold replaces the ASCII sequences that read as another letter at a
// glance: "rn"→"m", "vv"→"w", "cl"→"d", "0"→"o", "1"→"l", "3"→"e", "5"→"s".
func visualFold(s string) string {
	// The replacer copies s even when nothing in it reads as another
	// letter, which is most labels.
	if !strings.ContainsAny(s, "0135") && !strings.Contains(s, "rn") && !strings.Contains(s, "vv") && !strings.Contains(s, "cl") {
		return s
	}
	return visualReplacer.Replace(s)
}

var visualReplacer = strings.NewReplacer("rn", "m", "vv", "w", "cl", "d", "0", "o", "1", "l", "3", "e", "5", "s")

// rawLabel returns the registrable label as written, when the host was
// written in ASCII with capitals; otherwise the lower-case label.
func rawLabel(rawHost, host, domain, reg string) string {
	if len(rawHost) != len(host) || !strings.EqualFold(rawHost, host) || rawHost == host {
		return reg
	}
	end := len(host) - (len(domain) - len(reg))
	return rawHost[end-len(reg) : end]
}

// inPath returns the brand a path names as one of its words (four
// characters or more), or "".
func (b *brandIndex) inPath(p string) string {
	if w, ok := findWord(p, 4, b.tokens); ok {
		return b.tokens[w]
	}
	return ""
}

// pathOf returns the path, query and fragment of rest (which may start with
// a port).
func pathOf(rest string) string {
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		return rest[i:]
	}
	return ""
}

// anyWord reports whether a word of p (split at every non-alphanumeric
// byte, lower-cased) is in set.
func anyWord[V any](p string, set map[string]V) bool {
	_, ok := findWord(p, 1, set)
	return ok
}

// findWord returns the first alphanumeric word of p, lower-cased, of at
// least minLen bytes, that is a key of set. Words longer than 32 bytes are
// skipped. Only a hit allocates: the lookups convert the buffer in place.
func findWord[V any](p string, minLen int, set map[string]V) (string, bool) {
	var buf [32]byte
	n, long := 0, false
	for i := 0; i <= len(p); i++ {
		if i < len(p) && isAlnum(p[i]) {
			if n == len(buf) {
				long = true
				continue
			}
			c := p[i]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[n] = c
			n++
			continue
		}
		if n >= minLen && !long {
			if _, ok := set[string(buf[:n])]; ok {
				return string(buf[:n]), true
			}
		}
		n, long = 0, false
	}
	return "", false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// freeHosted reports whether host is a user's site on a hosting platform: a
// host under a private suffix of the Public Suffix List ("x.pages.dev"), or
// below a platform of data/shared_hosting.txt. A platform's own home page is
// not, and neither is a brand's own service ("mail.google.com"), except
// where the list names the service host itself because users publish under
// its path ("sites.google.com/view/x").
func (a *Analyzer) freeHosted(host, ps string, icann bool) bool {
	if !icann && strings.IndexByte(ps, '.') > 0 && host != ps {
		return true
	}
	for h := host; h != ""; h = parent(h) {
		if _, ok := freeHosts[h]; !ok {
			continue
		}
		if h == host {
			return strings.Count(h, ".") >= 2
		}
		if host == "www."+h {
			return false
		}
		if a.brands != nil {
			if _, own := a.brands.domains[h]; own {
				return false
			}
		}
		return true
	}
	return false
}

func hasParentIn(host string, set map[string]struct{}) bool {
	for h := parent(host); h != ""; h = parent(h) {
		if _, ok := set[h]; ok {
			return true
		}
	}
	return false
}

// randomLabel reports whether a registrable label looks machine-made rather
// than chosen by people: no a, e, i, o or u in six letters or more
// ("psjzzw", "tmgcrg") or in five characters or more of letters and digits
// ("c1t8s", "r7j2j": smishing kits register such names by the thousand), a
// run of five consonants or more that no word boundary explains
// ("xkqzrtw"; "appsflyer" and "northgrid" are two words), few vowels in a
// long label, or letters and digits interleaved ("a8x3k9"). Shorter labels
// are never random: acronyms of up to five letters ("kkpfg", "fwdth") are
// what companies register. The abbreviations infrastructure names are made
// of ("cdn", "dns", "ssl": "edgecastdns", "trbcdn") read as one syllable.
func randomLabel(l string) bool {
	if len(l) < 5 || len(l) > 63 || strings.HasPrefix(l, "xn--") {
		return false
	}
	var buf [63]byte
	l = syllabify(buf[:0], l)
	if len(l) < 5 {
		return false
	}
	if vowelless(l) {
		return true
	}
	if len(l) < 7 {
		return false
	}
	var letters, vowels, switches int
	prevDigit := false
	runStart := -1 // start of the current run of consonants, -1 outside one
	for i := 0; i <= len(l); i++ {
		c := byte('-')
		if i < len(l) {
			c = l[i]
		}
		consonant := c >= 'a' && c <= 'z' && strings.IndexByte("aeiouy", c) < 0
		if !consonant && runStart >= 0 {
			if i-runStart >= 5 && !compoundRun(l[runStart:i], runStart == 0 || !isAlpha(l[runStart-1])) {
				return true
			}
			runStart = -1
		}
		if i == len(l) {
			break
		}
		switch {
		case isDigit(c):
			if i > 0 && !prevDigit && l[i-1] != '-' {
				switches++
			}
			prevDigit = true
			continue
		case c == '-':
			prevDigit = false
			continue
		}
		if i > 0 && prevDigit {
			switches++
		}
		prevDigit = false
		letters++
		if consonant {
			if runStart < 0 {
				runStart = i
			}
		} else {
			vowels++
		}
	}
	return switches >= 3 || letters >= 8 && vowels*6 < letters
}

// infraAbbrevs are the abbreviations companies build infrastructure host
// names from ("vecdnlb", "namebrightdns", "aliyuncsslbintl"): each reads as
// one syllable, not as a run of consonants.
var infraAbbrevs = [...]string{"cdn", "dns", "ssl", "sdk", "smtp", "vpn"}

// syllabify returns l with each infrastructure abbreviation written as the
// one vowel "a", built in buf; l itself, without copying, when it has none.
func syllabify(buf []byte, l string) string {
	has := false
	for _, a := range infraAbbrevs {
		has = has || strings.Contains(l, a)
	}
	if !has {
		return l
	}
	for i := 0; i < len(l); {
		n := 0
		for _, a := range infraAbbrevs {
			if strings.HasPrefix(l[i:], a) {
				n = len(a)
				break
			}
		}
		if n > 0 {
			buf = append(buf, 'a')
			i += n
			continue
		}
		buf = append(buf, l[i])
		i++
	}
	return string(buf)
}

// compoundRun reports whether a run of consonants is where two words meet:
// the end of one (an English coda, "pps", "rth", "ght") and the start of
// the next (an onset, "fl", "gr", "str"): "appsflyer", "northgrid". At the
// start of a label (initial) the first part may be an acronym of up to four
// letters instead: "sbcglobal", "mtgglobals", "nflxvideo". Keyboard mashes
// and generated names ("dwxxqd", "sdfmwkl") split into neither.
func compoundRun(run string, initial bool) bool {
	for i := 0; i <= len(run); i++ {
		head, tail := run[:i], run[i:]
		if _, ok := onsets[tail]; !ok && tail != "" {
			continue
		}
		if initial && len(head) <= 4 {
			return true
		}
		if coda(head) {
			return true
		}
	}
	return false
}

// coda reports whether s ends an English word: a consonant, a doubled one,
// one of the clusters written at the end of English words, each maybe with
// a plural s ("apps", "nights").
func coda(s string) bool {
	s = strings.TrimSuffix(s, "s")
	if len(s) <= 1 || len(s) == 2 && s[0] == s[1] {
		return true
	}
	_, ok := codas[s]
	return ok
}

// onsets are the consonant clusters English words start with (single
// consonants among them); codas the clusters they end with (English
// phonotactics, as spelt).
var (
	onsets = setOf([]string{"b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "q", "r", "s", "t",
		"v", "w", "x", "z", "bl", "br", "ch", "cl", "cr", "dr", "dw", "fl", "fr", "gl", "gn", "gr", "kl", "kn",
		"kr", "ph", "pl", "pr", "sc", "sh", "sk", "sl", "sm", "sn", "sp", "st", "sw", "th", "tr", "tw", "wh",
		"wr", "chr", "phr", "sch", "scr", "shr", "spl", "spr", "str", "thr"})
	codas = setOf([]string{"ch", "ck", "ct", "ft", "gh", "ght", "ld", "lf", "lk", "lm", "lp", "lt", "mb",
		"mp", "nch", "nd", "ng", "nk", "nt", "ph", "pt", "rb", "rc", "rch", "rd", "rf", "rg", "rk", "rl",
		"rm", "rn", "rp", "rst", "rt", "rth", "sh", "sk", "sp", "st", "tch", "th", "wl", "wn", "ngth", "nth",
		"lth", "xt", "nx", "rld", "rns"})
)

// vowelless reports whether l is made of consonants (y among them) and
// digits only: six letters or more, or five characters or more with digits
// between letters ("c1t8s", "gm55z"; a number at the end is a series,
// "cdn90", "ttdns2").
func vowelless(l string) bool {
	letters := 0
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case isDigit(c):
		case c >= 'a' && c <= 'z' && strings.IndexByte("aeiou", c) < 0:
			letters++
		default:
			return false
		}
	}
	return letters >= 6 || letters >= 2 && digitsBetweenLetters(l)
}

// digitsBetweenLetters reports whether a run of digits in l has letters on
// both sides ("u33s", "c1t").
func digitsBetweenLetters(l string) bool {
	afterLetter := false // in a run of digits that follows a letter
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case isDigit(c):
			afterLetter = afterLetter || i > 0 && isAlpha(l[i-1])
		case isAlpha(c):
			if afterLetter {
				return true
			}
		default:
			afterLetter = false
		}
	}
	return false
}

// asciiLookalike reports whether a non-ASCII label's skeleton is plain ASCII
// (a-z, 0-9, '-'): it reads as an ASCII name. Latin letters with diacritics
// count only outside a country-code TLD (ccTLD false).
func asciiLookalike(ulabel string, ccTLD bool) bool {
	skel := skeleton(ulabel)
	if skel == ulabel {
		return false
	}
	for i := 0; i < len(skel); i++ {
		if c := skel[i]; !(c >= 'a' && c <= 'z' || isDigit(c) || c == '-') {
			return false
		}
	}
	latin := true
	for _, r := range ulabel {
		if r >= utf8.RuneSelf && unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			latin = false
			break
		}
	}
	return !latin || !ccTLD
}

// tldCountry returns the country of a country-code TLD (ASCII form), lower
// case, or "" for a generic TLD.
func tldCountry(tld string) string {
	if len(tld) == 2 && tld[0] >= 'a' && tld[0] <= 'z' && tld[1] >= 'a' && tld[1] <= 'z' {
		if tld == "uk" {
			return "gb" // the one ccTLD that is not its country's ISO code
		}
		return tld
	}
	return idnCountries[tld]
}

// labelScripts returns the scripts of the non-ASCII letters of a Unicode
// host, leaving out its last suffixLabels labels (the public suffix), each
// once in scriptOrder order, then others by name; nil when there are none.
func labelScripts(uhost string, suffixLabels int) []string {
	end := len(uhost)
	for n := 0; n < suffixLabels && end > 0; n++ {
		end = max(strings.LastIndexByte(uhost[:end], '.'), 0)
	}
	var out []string
	for _, r := range uhost[:end] {
		if r < utf8.RuneSelf || !unicode.IsLetter(r) {
			continue
		}
		s := scriptOf(r)
		if s == "Common" || slices.Contains(out, s) {
			continue
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b string) int {
		if d := scriptRank(a) - scriptRank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return out
}

func scriptRank(s string) int {
	if i := slices.Index(scriptOrder, s); i >= 0 {
		return i
	}
	return len(scriptOrder)
}

// URL shapes the phishing-URL literature measures (Garera et al., "A
// Framework for Detection and Measurement of Phishing Attacks", WORM 2007;
// Mohammad, Thabtah and McCluskey, "An assessment of features related to
// phishing websites", 2012): each is rare in the links businesses send and
// one weak signal.

// nonStandardPort reports an explicit port other than 80 and 443 at the
// start of rest.
func nonStandardPort(rest string) bool {
	if len(rest) < 2 || rest[0] != ':' {
		return false
	}
	end := 1
	for end < len(rest) && isDigit(rest[end]) {
		end++
	}
	port := rest[1:end]
	return port != "" && port != "80" && port != "443"
}

// deceptiveHost reports a host that spells another domain before its own:
// a subdomain label that is a generic TLD after a name
// ("forestofirmino.com.br.evil.com", "paypal.com.x.evil.com"), or a label
// after a name that starts with one glued by a hyphen
// ("thomasrepro.com-vqi0.evil.com", "ezdrive.com-bejh.xin"). "www" is no
// name. sub is the host left of its registrable domain (with its trailing
// dot), reg the registrable label.
func deceptiveHost(sub, reg string) bool {
	// The labels of sub, then reg; without allocating.
	rest, inner := sub, false
	for {
		var lab string
		last := rest == ""
		if last {
			lab = reg
		} else {
			i := strings.IndexByte(rest, '.')
			if i < 0 {
				lab, rest = rest, ""
			} else {
				lab, rest = rest[:i], rest[i+1:]
			}
		}
		// Only after a name: "www.net-a-porter.com" and
		// "net-banking.example.in" spell no domain.
		if inner && !last {
			if _, ok := spelledTLDs[lab]; ok {
				return true
			}
		}
		if j := strings.IndexByte(lab, '-'); inner && j > 0 {
			if _, ok := spelledTLDs[lab[:j]]; ok {
				return true
			}
		}
		if last {
			return false
		}
		inner = inner || lab != "www" // "www" names nothing
	}
}

// spelledTLDs are the generic TLDs people recognise in a name.
var spelledTLDs = setOf([]string{"com", "net", "org", "gov", "edu"})

// kitPath reports a path where phishing kits are dropped on hijacked sites
// (WordPress and CGI directories: "/wp-content/plugins/x/login.php") or
// named by a kit's random hex token (24 hex digits or more:
// "/0ebb145bdffd37c6947bd60c251df1ba/").
func kitPath(p string) bool {
	if p == "" {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] != '/' {
			continue
		}
		for _, d := range [...]string{"/wp-content/", "/wp-admin/", "/wp-includes/", "/cgi-bin/"} {
			if hasFoldPrefix(p[i:], d) {
				return true
			}
		}
	}
	run, digits, letters := 0, 0, 0
	for i := 0; i <= len(p); i++ {
		if i < len(p) {
			if c := p[i]; isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' {
				run++
				if isDigit(c) {
					digits++
				} else {
					letters++
				}
				continue
			}
		}
		if run >= 24 && digits > 0 && letters > 0 {
			return true
		}
		run, digits, letters = 0, 0, 0
	}
	return false
}

// redirectPath reports a path or query that carries another URL
// ("/r?u=https://evil", "/x//evil.com"): the link is a redirect.
func redirectPath(p string) bool {
	if len(p) < 2 {
		return false
	}
	rest := p[1:]
	if strings.Contains(rest, "//") {
		return true
	}
	for i := 0; i+7 <= len(rest); i++ {
		if rest[i]|0x20 == 'h' && (hasFoldPrefix(rest[i:], "http%3a") || hasFoldPrefix(rest[i:], "https%3a")) {
			return true
		}
	}
	return false
}

func hasFoldPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
