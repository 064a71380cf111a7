package bodyphones

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file keeps scan's enoughDigits, candidate, shape and otp as they were before
// their ASCII fast paths (main f175e43, bodyphones.go, identifiers renamed
// with "old"): the reference TestScanMatchesOld and FuzzScanMatchesOld hold
// the new code to, number for number and verdict for verdict.

func oldScan(body, defaultRegion string, c *Finder, byShape bool) (out []Number, shaped bool) {
	if !oldEnoughDigits(body) {
		return nil, true
	}
	region := strings.ToUpper(defaultRegion)
	if region == "" {
		region = "ZZ"
	}
	for i, tried := 0, 0; i < len(body) && len(out) < MaxNumbers && tried < maxCandidates; tried++ {
		start, end, ok := oldCandidate(body, i)
		if !ok {
			break
		}
		i = end
		n, found, shapedHere := oldCheck(body, start, end, region, c, byShape)
		if byShape && !shapedHere {
			return nil, false
		}
		if found {
			out = append(out, n)
		}
	}
	return out, true
}

func oldCandidate(s string, i int) (start, end int, ok bool) {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf && !isDigit(c) && c != '+' && c != '(' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		startsHere := unicode.IsDigit(r) ||
			((r == '+' || r == '(') && i+size < len(s) && startsDigit(s[i+size:]))
		if !startsHere {
			i += size
			continue
		}
		if i > 0 && unicode.IsDigit(r) {
			p := rune(s[i-1])
			if p >= utf8.RuneSelf {
				p, _ = utf8.DecodeLastRuneInString(s[:i])
			}
			if unicode.IsLetter(p) || p == '_' || p == '/' || p == '.' || p == ',' {
				i = skipDigits(s, i)
				continue
			}
		}
		start = i
		end = i
		seps := 0
		for j := i; j < len(s); {
			r, size := utf8.DecodeRuneInString(s[j:])
			switch {
			case unicode.IsDigit(r):
				end = j + size
				seps = 0
			case j == start && (r == '+' || r == '('):
			case r == ' ' || r == '-' || r == '.' || r == '/' || r == '(' || r == ')' || r == '\u00a0':
				if seps++; seps > 3 {
					return start, end, true
				}
			default:
				return start, end, true
			}
			j += size
		}
		return start, end, true
	}
	return 0, len(s), false
}

func oldCheck(body string, start, end int, region string, c *Finder, byShape bool) (n Number, found, shaped bool) {
	for try := 0; try < maxTries && end > start; try++ {
		text := body[start:end]
		digits, groups := oldShape(text)
		if digits < minDigits {
			return Number{}, false, true
		}
		if byShape {
			if digits <= maxDigits && !oldOTP(text, groups) && !amount(body, start, end) {
				return Number{}, false, false
			}
		} else if digits <= maxDigits && !oldOTP(text, groups) && !impossible(text, region) && !amount(body, start, end) && !date(text) {
			if n, ok := c.parse(text, region); ok {
				return n, true, false
			}
		}
		j := lastIndex(text, false)
		if j < 0 {
			return Number{}, false, true
		}
		end = start + lastIndex(text[:j+1], true) + 1
	}
	return Number{}, false, true
}

func oldShape(text string) (digits, groups int) {
	in := false
	for _, r := range text {
		if unicode.IsDigit(r) {
			digits++
			if !in {
				groups++
				in = true
			}
		} else {
			in = false
		}
	}
	return digits, groups
}

func oldOTP(text string, groups int) bool {
	if groups != 1 || strings.HasPrefix(text, "+") {
		return false
	}
	n := 0
	for _, r := range text {
		if unicode.IsDigit(r) {
			n++
		}
	}
	return n <= 8
}

func oldEnoughDigits(s string) bool {
	n := 0
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			if n++; n >= minDigits {
				return true
			}
		} else if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if ascii {
		return false
	}
	n = 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			if n++; n >= minDigits {
				return true
			}
		}
	}
	return false
}
