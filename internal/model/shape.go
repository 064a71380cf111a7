package model

// shape is a property of the original text that words do not show: the
// structure of a lure (a link, a shortener, money, a number to call) rather
// than its vocabulary, which is what carries over to regions and languages
// the training data never saw.
type shape uint8

const (
	shapeLink        shape = iota + 1 // a URL or a bare domain
	shapeLinkScheme                   // written with http(s):// or www.
	shapeShortener                    // a public link shortener
	shapeIPLink                       // a link to an IP address
	shapeTLD                          // the link's top-level domain (span: the TLD)
	shapeEmail                        // an e-mail address
	shapeMoney                        // a currency sign or code
	shapeMoneyAmount                  // a currency next to an amount
	shapePhone                        // a run of 9 or more digits (separators allowed)
	shapeCode                         // a standalone run of 4 to 8 digits
	shapeUSSD                         // a USSD code: *123*4#
	shapeCapsMany                     // share of capitals among >= 10 letters: 30-59 %, 60 % or more
	shapeCapsMost
	shapeBang0 // exclamation marks: none, one, several
	shapeBang1
	shapeBangMany
	shapePhonePrefix  // the first three digits of a phone number (span: up to the third digit)
	shapeLinkAndMoney // a link in a message that also speaks of money
	shapeLinkAndPhone // a link and a phone number
	shapeLinkEarly    // the first link is in the first 40 bytes
	shapeHostHyphen   // the link's host has a hyphen (brand-secure-login.com)
	shapeHostDigit    // the link's host has a digit
	shapeHostDeep     // the link's host has three labels or more besides www
	shapeLinkPath     // the link has a path

	// Kinds of lure words (lure.go), in any of the languages listed there.
	shapeLureUrgent     // urgency, suspension, blocking
	shapeLureCredential // passwords, log-ins, verification
	shapeLurePrize      // prizes, bonuses, winners
	shapeLureAction     // click, tap, download, install
	shapeLureLoan       // loans
	shapeLureGamble     // betting and casinos
	shapeLinkAndLure    // a link in a message with lure words of any kind

	// Numbers that are not phone numbers, and prices that are not
	// one-off (FeatureVersion 3).
	shapeLongNumber // a run of 14 or more digits: longer than a phone number (references, serials)
	shapeMaskedNum  // a masked account or card number: XX3784, ****1234
	shapeDecimal    // an amount with two decimals: 2,244.35, 500.00
	shapePricePer   // a price per unit or period: 150p/msg, £1.50/wk, 5บ/น
	shapeStarCode   // a service code dialled with a star and no #: *1234

	// What the engine's link analysis (internal/links) says of the body's
	// links (FeatureVersion 4, Features.Links): how a phishing link is
	// made, which no word of one language carries.
	shapeLinkImitates  // a link imitates a brand: homograph, typo- or combo-squat, brand in a subdomain or path, a domain spelt before its own
	shapeLinkBrandText // the text names a protected brand and a link is on none of its domains
	shapeLinkAbusedTLD // a link on a TLD phishing uses out of proportion
	shapeLinkLookalike // a link's host in look-alike or mixed scripts, or punycode
	shapeLinkRiskLure  // one of those beside lure words
	shapeLinkRiskMany  // two kinds of those or more
	numShapes
)

var shapeNames = [numShapes]string{
	shapeLink:           "link",
	shapeLinkScheme:     "link with scheme or www",
	shapeShortener:      "link shortener",
	shapeIPLink:         "link to an IP address",
	shapeTLD:            "link TLD",
	shapeEmail:          "e-mail address",
	shapeMoney:          "currency",
	shapeMoneyAmount:    "amount of money",
	shapePhone:          "phone number",
	shapeCode:           "4-8 digit code",
	shapeUSSD:           "USSD code",
	shapeCapsMany:       "many capitals",
	shapeCapsMost:       "mostly capitals",
	shapeBang0:          "no exclamation mark",
	shapeBang1:          "one exclamation mark",
	shapeBangMany:       "several exclamation marks",
	shapePhonePrefix:    "phone number prefix",
	shapeLinkAndMoney:   "link and money",
	shapeLinkAndPhone:   "link and phone number",
	shapeLinkEarly:      "link at the start",
	shapeHostHyphen:     "hyphen in the link's host",
	shapeHostDigit:      "digit in the link's host",
	shapeHostDeep:       "link host with subdomains",
	shapeLinkPath:       "link with a path",
	shapeLureUrgent:     "urgency words",
	shapeLureCredential: "credential words",
	shapeLurePrize:      "prize words",
	shapeLureAction:     "click or download words",
	shapeLureLoan:       "loan words",
	shapeLureGamble:     "betting words",
	shapeLinkAndLure:    "link and lure words",
	shapeLongNumber:     "number of 14+ digits",
	shapeMaskedNum:      "masked account number",
	shapeDecimal:        "amount with decimals",
	shapePricePer:       "price per unit",
	shapeStarCode:       "star code",
	shapeLinkImitates:   "link imitating a brand",
	shapeLinkBrandText:  "brand named beside a link not its own",
	shapeLinkAbusedTLD:  "link on an abused TLD",
	shapeLinkLookalike:  "link in look-alike letters",
	shapeLinkRiskLure:   "risky link and lure words",
	shapeLinkRiskMany:   "link with several risk signs",
}

// shorteners are well-known public link shorteners (written from common
// knowledge; the shortener list in ../shared is not ours to ship).
var shorteners = [...]string{
	"bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd",
	"cutt.ly", "lin.ee", "s.id", "rb.gy", "shorturl.at", "tiny.cc", "t.ly",
	"rebrand.ly", "buff.ly", "v.gd", "tiny.one", "shorte.st", "tsel.me",
}

// commonTLDs count a bare "name.tld" as a link without a scheme or a path.
var commonTLDs = [...]string{
	"com", "net", "org", "info", "biz", "ly", "me", "co", "io", "xyz", "top",
	"in", "th", "uk", "us", "link", "site", "online", "club", "cc", "gd", "ee",
	"to", "id", "app", "shop", "vip", "live", "icu", "buzz", "tk", "ml", "ga",
	"cf", "gq", "cn", "ru", "sg", "my", "ph", "vn", "de", "fr", "tw", "hk",
	"ae", "ir", "tr", "am", "ws", "pw", "cyou", "sbs", "win", "click", "mobi",
}

func lower(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func isAlnum(b byte) bool {
	return isDigit(b) || (b|0x20 >= 'a' && b|0x20 <= 'z')
}

func isHostByte(b byte) bool { return isAlnum(b) || b == '-' || b == '.' }

// equalFold reports whether b equals the lower-case ASCII s, ignoring case.
func equalFold(b, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		if lower(b[i]) != s[i] {
			return false
		}
	}
	return true
}

func hasPrefixFold(b, s string) bool { return len(b) >= len(s) && equalFold(b[:len(s)], s) }

func (f *Features) addShape(s shape) {
	f.add(feature{hash: mix(seedShape ^ uint32(s)*fnvPrime), kind: kindShape, shape: s})
}

// shapes scans the original text once, byte by byte.
func (f *Features) shapes(src string) {
	b := src
	var links, money, phone, code, ussd, email, bang, upper, letters int
	var long, masked, decimal, pricePer, starCode bool
	linkStart := -1
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '!':
			bang++
		case c >= 'A' && c <= 'Z':
			upper++
			letters++
		case c >= 'a' && c <= 'z', c >= 0xC0:
			// a lower-case ASCII letter or the first byte of a non-ASCII
			// character (most are letters without case): capitals are a
			// share of all the letters
			letters++
		}
		switch c {
		case '$':
			money++
			if i+1 < len(b) && isDigit(b[i+1]) {
				f.addShape(shapeMoneyAmount)
			}
		case 0xC2: // £ ¥
			if i+1 < len(b) && (b[i+1] == 0xA3 || b[i+1] == 0xA5) {
				money++
				if i+2 < len(b) && isDigit(b[i+2]) {
					f.addShape(shapeMoneyAmount)
				}
			}
		case 0xE2: // € ₹
			if i+2 < len(b) && b[i+1] == 0x82 && (b[i+2] == 0xAC || b[i+2] == 0xB9) {
				money++
				if i+3 < len(b) && isDigit(b[i+3]) {
					f.addShape(shapeMoneyAmount)
				}
			}
		case 0xE0: // ฿
			if i+2 < len(b) && b[i+1] == 0xB8 && b[i+2] == 0xBF {
				money++
			}
		case '@':
			// name@host.tld: "@18:05" in a bank alert is a time
			if i > 0 && isAlnum(b[i-1]) && emailHost(b[i+1:]) {
				email++
			}
		case 'x', 'X', '*':
			if (i == 0 || !isAlnum(b[i-1])) && maskedNumber(b[i:]) {
				masked = true
			}
			if c != '*' {
				break
			}
			// *123*4# or *155#; *123*4 with another terminator is the
			// same code mistyped
			j, stars := i+1, 0
			for j < len(b) && (isDigit(b[j]) || b[j] == '*') {
				if b[j] == '*' && j+1 < len(b) && isDigit(b[j+1]) {
					stars++
				}
				j++
			}
			switch {
			case j > i+2 && j < len(b) && b[j] == '#', j > i+2 && isDigit(b[i+1]) && stars > 0:
				ussd++
				i = j
			case j-i >= 4 && j-i <= 7 && isDigit(b[i+1]) && (i == 0 || !isAlnum(b[i-1]) && b[i-1] != '*') && (j == len(b) || !isAlnum(b[j])):
				// *1234 dialled as it is: a premium or subscription
				// service's code
				starCode = true
			}
		case '.':
			if i > 0 && isAlnum(b[i-1]) && i+2 < len(b) && isAlnum(b[i+1]) {
				if end, ok := f.link(b, i); ok {
					if linkStart < 0 {
						linkStart = i
					}
					links++
					i = end - 1
				}
			}
		}
		if isDigit(c) && (i == 0 || !isAlnum(b[i-1])) {
			if i == 0 || b[i-1] != '.' && b[i-1] != ',' {
				d, p := numberShape(b, i)
				decimal, pricePer = decimal || d, pricePer || p
			}
			// a number: digits with single separators between them
			plus := i > 0 && b[i-1] == '+'
			n, j := 0, i
			for j < len(b) {
				if isDigit(b[j]) {
					n++
					j++
					continue
				}
				if (b[j] == ' ' || b[j] == '-' || b[j] == '.' || b[j] == ')' || b[j] == '(') && j+1 < len(b) && isDigit(b[j+1]) && n < 16 {
					j++
					continue
				}
				break
			}
			alone := j >= len(b) || !isAlnum(b[j])
			switch {
			case n >= 14 && !(plus && n <= 15) && alone:
				// no phone number has 14 digits without a +: a
				// reference, a serial, a card or account number
				long = true
			case n >= 9 && alone:
				phone++
				f.phonePrefix(b, i)
			case n >= 4 && n <= 8 && alone:
				code++
			}
			if j > i {
				i = j - 1
			}
		}
	}
	money += f.moneyWords
	if links > 0 {
		f.addShape(shapeLink)
		if money > 0 {
			f.addShape(shapeLinkAndMoney)
		}
		if phone > 0 {
			f.addShape(shapeLinkAndPhone)
		}
		if f.lure != 0 {
			// A link alone is what business notices carry too: with
			// lure words around it, it is what smishing carries.
			f.addShape(shapeLinkAndLure)
		}
		if linkStart < 40 {
			f.addShape(shapeLinkEarly)
		}
	}
	if money > 0 {
		f.addShape(shapeMoney)
	}
	if phone > 0 {
		f.addShape(shapePhone)
	}
	if code > 0 {
		f.addShape(shapeCode)
	}
	if ussd > 0 {
		f.addShape(shapeUSSD)
	}
	if email > 0 {
		f.addShape(shapeEmail)
	}
	for _, x := range [...]struct {
		on bool
		s  shape
	}{{long, shapeLongNumber}, {masked, shapeMaskedNum}, {decimal, shapeDecimal}, {pricePer, shapePricePer}, {starCode, shapeStarCode}} {
		if x.on {
			f.addShape(x.s)
		}
	}
	// Only shouting counts: the share of capitals below that, like the
	// length, separates the corpora's personal chat from everything else
	// rather than spam from business messages.
	if letters >= 10 {
		switch r := upper * 100 / letters; {
		case r >= 60:
			f.addShape(shapeCapsMost)
		case r >= 30:
			f.addShape(shapeCapsMany)
		}
	}
	switch {
	case bang == 0:
		f.addShape(shapeBang0)
	case bang == 1:
		f.addShape(shapeBang1)
	default:
		f.addShape(shapeBangMany)
	}
}

// emailHost reports whether b starts with a host name ending in a
// dot and a TLD of letters: the part of an e-mail address after the @.
func emailHost(b string) bool {
	dot, end := -1, 0
	for end < len(b) && isHostByte(b[end]) {
		if b[end] == '.' && end+1 < len(b) && isAlnum(b[end+1]) {
			dot = end
		}
		end++
	}
	if dot <= 0 {
		return false
	}
	tld := 0
	for k := dot + 1; k < end && b[k] != '.'; k++ {
		if isDigit(b[k]) || b[k] == '-' {
			return false
		}
		tld++
	}
	return tld >= 2
}

// maskedNumber reports whether b starts with a masked account or card
// number: two or more of x, X or * and 2 to 6 digits (XX3784, ****1234),
// or one x and 4 digits (x9945), not followed by a letter or digit.
func maskedNumber(b string) bool {
	m := 0
	for m < len(b) && (b[m] == 'x' || b[m] == 'X' || b[m] == '*') {
		m++
	}
	d := m
	for d < len(b) && isDigit(b[d]) {
		d++
	}
	if d < len(b) && isAlnum(b[d]) {
		return false
	}
	switch n := d - m; {
	case m >= 2:
		return n >= 2 && n <= 6
	case m == 1:
		return n == 4 && b[0] != '*'
	}
	return false
}

// numberShape reads the number starting at b[i] and reports whether it is
// an amount with two decimals (1,234.50) or a price
// per unit or period (150p/msg, £1.50/wk, 5บ/น, 2,999 / month, 99p per
// week): the shapes of bank alerts on one side and of premium
// subscriptions on the other.
func numberShape(b string, i int) (decimal, pricePer bool) {
	j := i
	for j < len(b) && isDigit(b[j]) {
		j++
	}
	// thousands groups and decimals
	for j+3 < len(b) && b[j] == ',' && isDigit(b[j+1]) && isDigit(b[j+2]) && isDigit(b[j+3]) && (j+4 == len(b) || !isDigit(b[j+4])) {
		j += 4
	}
	if j+1 < len(b) && (b[j] == '.' || b[j] == ',') && isDigit(b[j+1]) {
		k := j + 1
		for k < len(b) && isDigit(b[k]) {
			k++
		}
		// not a date or a version: 12.09.19
		more := k+1 < len(b) && (b[k] == '.' || b[k] == ',') && isDigit(b[k+1])
		decimal = k-j == 3 && b[j] == '.' && !more
		j = k
	}
	// a unit of money after the number (p, บ., .-), a space, a unit, /
	// or "per", and a unit (letters, or digits and letters: /15วัน)
	k := j
	if k < len(b) && b[k] == ' ' {
		k++
	}
	for u := k; k < len(b) && k-u < 12 && (b[k] >= 0x80 || b[k]|0x20 >= 'a' && b[k]|0x20 <= 'z' || b[k] == '.' || b[k] == '-'); k++ {
	}
	if k < len(b) && b[k] == ' ' {
		k++
	}
	switch {
	case k < len(b) && b[k] == '/':
		k++
	case k+3 < len(b) && equalFold(b[k:k+4], "per "):
		k += 4
	default:
		return decimal, false
	}
	if k < len(b) && b[k] == ' ' {
		k++
	}
	for k < len(b) && isDigit(b[k]) {
		k++
	}
	pricePer = k < len(b) && (b[k] >= 0xC0 || b[k]|0x20 >= 'a' && b[k]|0x20 <= 'z')
	return decimal, pricePer
}

// isMoneyWord reports whether tok is a currency code written as a word,
// matched as a whole token of the Words form where no sign was found. A
// switch rather than a loop over a list: it runs for every token of a
// first sighting.
func isMoneyWord(tok []byte) bool {
	switch string(tok) {
	case "rs", "inr", "usd", "gbp", "eur", "rm", "php", "idr", "rp", "aed", "thb", "sgd", "myr":
		return true
	}
	return false
}

// phonePrefix adds the first three digits of the number at b[i:]: toll-free
// (0800, 1800), premium-rate (09...) and mobile prefixes say more about a
// number than its presence.
func (f *Features) phonePrefix(b string, i int) {
	h := uint32(2166136261)
	n, k := 0, i
	for ; k < len(b) && n < 3; k++ {
		if isDigit(b[k]) {
			h = fnvByte(h, b[k])
			n++
		}
	}
	f.add(feature{hash: mix(h ^ seedShape ^ uint32(shapePhonePrefix)<<8), kind: kindShape, shape: shapePhonePrefix,
		start: int32(i), end: int32(k)})
}

// link looks at the dot at b[dot] and, when it belongs to a link, adds the
// link's features and returns the end of the link.
func (f *Features) link(b string, dot int) (end int, ok bool) {
	start := dot
	for start > 0 && isHostByte(b[start-1]) {
		start--
	}
	end = dot
	for end < len(b) && isHostByte(b[end]) {
		end++
	}
	hostEnd := end
	for hostEnd > start && b[hostEnd-1] == '.' || hostEnd > start && b[hostEnd-1] == '-' {
		hostEnd--
	}
	host := b[start:hostEnd]
	lastDot := -1
	for k := len(host) - 1; k >= 0; k-- {
		if host[k] == '.' {
			lastDot = k
			break
		}
	}
	if lastDot <= 0 || lastDot == len(host)-1 {
		return dot + 1, false
	}
	tld := host[lastDot+1:]
	scheme := (start >= 3 && b[start-3:start] == "://") || hasPrefixFold(host, "www.")
	path := end < len(b) && b[end] == '/'
	ip := true
	for k := 0; k < len(host); k++ {
		if c := host[k]; !isDigit(c) && c != '.' {
			ip = false
		}
	}
	known := false
	for _, t := range commonTLDs {
		if equalFold(tld, t) {
			known = true
			break
		}
	}
	if !ip && !known && !scheme && !path {
		return dot + 1, false
	}
	if !ip {
		for k := 0; k < len(tld); k++ {
			if isDigit(tld[k]) {
				return dot + 1, false // "1.50" is a price, not a link
			}
		}
	}
	if scheme {
		f.addShape(shapeLinkScheme)
	}
	if path {
		f.addShape(shapeLinkPath)
	}
	if !ip {
		labels, hyphen, digit := 1, false, false
		for k := 0; k < len(host); k++ {
			switch c := host[k]; {
			case c == '.':
				labels++
			case c == '-':
				hyphen = true
			case isDigit(c):
				digit = true
			}
		}
		if hasPrefixFold(host, "www.") {
			labels--
		}
		if hyphen {
			f.addShape(shapeHostHyphen)
		}
		if digit {
			f.addShape(shapeHostDigit)
		}
		if labels >= 3 {
			f.addShape(shapeHostDeep)
		}
	}
	if ip {
		f.addShape(shapeIPLink)
	} else {
		h := uint32(2166136261)
		for k := 0; k < len(tld); k++ {
			h = fnvByte(h, lower(tld[k]))
		}
		f.add(feature{hash: mix(h ^ seedShape ^ uint32(shapeTLD)), kind: kindShape, shape: shapeTLD,
			start: int32(start + lastDot + 1), end: int32(hostEnd)})
		bare := host
		if hasPrefixFold(bare, "www.") {
			bare = bare[4:]
		}
		for _, s := range shorteners {
			if equalFold(bare, s) {
				f.addShape(shapeShortener)
				break
			}
		}
	}
	// skip the path
	for end < len(b) && b[end] > ' ' {
		end++
	}
	return end, true
}
