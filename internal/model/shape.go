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
			if i > 0 && isAlnum(b[i-1]) && i+1 < len(b) && isAlnum(b[i+1]) {
				email++
			}
		case '*':
			// *123*4# or *155#
			j := i + 1
			for j < len(b) && (isDigit(b[j]) || b[j] == '*') {
				j++
			}
			if j > i+2 && j < len(b) && b[j] == '#' {
				ussd++
				i = j
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
			// a number: digits with single separators between them
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

// moneyWords are currency codes written as words, matched as whole tokens
// of the Words form where no sign was found.
var moneyWords = [...]string{"rs", "inr", "usd", "gbp", "eur", "rm", "php", "idr", "rp", "aed", "thb", "sgd", "myr"}

func isMoneyWord(tok []byte) bool {
	if len(tok) < 2 || len(tok) > 3 {
		return false
	}
	for _, w := range moneyWords {
		if string(tok) == w {
			return true
		}
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
