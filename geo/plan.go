package geo

import (
	"regexp"
	"strconv"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// The numbering plans of libphonenumber's metadata, matched the way the
// library's GetNumberType and GetRegionCodeForNumber match them, but with
// each pattern compiled once: the library builds "^(?:" + pattern + ")$"
// anew for every pattern it tries (two strings as long as the pattern,
// kilobytes for large plans), which was most of what a gateway allocated
// for each new recipient.

// plan is one numbering plan (a region's, or a non-geographic calling
// code's) with its patterns compiled on first use. It is safe for
// concurrent use.
type plan struct {
	meta    *phonenumbers.PhoneMetadata
	once    sync.Once
	leading *regexp.Regexp // prefix match of the leading digits; nil when the plan has none
	descs   [numDescs]desc
}

// desc is one PhoneNumberDesc: the national number pattern, matched
// whole, and the possible lengths (none: any length).
type desc struct {
	lengths []int32
	re      *regexp.Regexp // nil: the pattern is empty and matches no number
}

// The descriptions in the order getNumberTypeHelper tries them.
const (
	descGeneral = iota
	descPremiumRate
	descTollFree
	descSharedCost
	descVoIP
	descPersonal
	descPager
	descUAN
	descVoicemail
	descFixedLine
	descMobile
	numDescs
)

// plans are the metadata's plans by region and, for non-geographic calling
// codes (region "001"), by calling code. It is built once, on first use.
var plans = sync.OnceValue(func() (t struct {
	regions map[string]*plan
	nonGeo  map[int]*plan
}) {
	t.regions, t.nonGeo = map[string]*plan{}, map[int]*plan{}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return t // every number is then invalid, as with the library
	}
	for _, m := range coll.GetMetadata() {
		if m.GetId() == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY {
			t.nonGeo[int(m.GetCountryCode())] = &plan{meta: m}
		} else {
			t.regions[m.GetId()] = &plan{meta: m}
		}
	}
	return t
})

// compiled returns p with its patterns compiled.
func (p *plan) compiled() *plan {
	p.once.Do(func() {
		m := p.meta
		for i, d := range [numDescs]*phonenumbers.PhoneNumberDesc{
			m.GetGeneralDesc(), m.GetPremiumRate(), m.GetTollFree(), m.GetSharedCost(), m.GetVoip(),
			m.GetPersonalNumber(), m.GetPager(), m.GetUan(), m.GetVoicemail(), m.GetFixedLine(), m.GetMobile(),
		} {
			p.descs[i].lengths = d.GetPossibleLength()
			if pat := d.GetNationalNumberPattern(); pat != "" {
				p.descs[i].re = compilePattern("^(?:" + pat + ")$")
			}
		}
		if ld := m.GetLeadingDigits(); ld != "" {
			p.leading = compilePattern("^(?:" + ld + ")")
		}
	})
	return p
}

// compilePattern compiles a metadata pattern; one the library could not
// compile either (it panics there) matches nothing here.
func compilePattern(s string) *regexp.Regexp {
	re, err := regexp.Compile(s)
	if err != nil {
		return nil
	}
	return re
}

// matches is the library's isNumberMatchingDesc.
func (d *desc) matches(national string) bool {
	if d.re == nil {
		return false
	}
	if len(d.lengths) > 0 {
		n, ok := int32(len(national)), false
		for _, l := range d.lengths {
			if l == n {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return d.re.MatchString(national)
}

// numberType is the library's getNumberTypeHelper.
func (p *plan) numberType(national string) phonenumbers.PhoneNumberType {
	d := &p.compiled().descs
	if !d[descGeneral].matches(national) {
		return phonenumbers.UNKNOWN
	}
	for i, t := range [...]phonenumbers.PhoneNumberType{
		descPremiumRate: phonenumbers.PREMIUM_RATE, descTollFree: phonenumbers.TOLL_FREE,
		descSharedCost: phonenumbers.SHARED_COST, descVoIP: phonenumbers.VOIP,
		descPersonal: phonenumbers.PERSONAL_NUMBER, descPager: phonenumbers.PAGER,
		descUAN: phonenumbers.UAN, descVoicemail: phonenumbers.VOICEMAIL,
	} {
		if i != descGeneral && d[i].matches(national) {
			return t
		}
	}
	same := p.meta.GetSameMobileAndFixedLinePattern()
	switch {
	case d[descFixedLine].matches(national):
		if same || d[descMobile].matches(national) {
			return phonenumbers.FIXED_LINE_OR_MOBILE
		}
		return phonenumbers.FIXED_LINE
	case !same && d[descMobile].matches(national):
		return phonenumbers.MOBILE
	}
	return phonenumbers.UNKNOWN
}

// classifyDigits classifies the digits of an E.164 number (without its
// "+") as the library's GetRegionCodeForNumber and GetNumberType do for
// the number it parses from them, without allocating. cc is 0 when no
// prefix is a calling code; national is the rest; region is ""
// when the calling code is unknown or no region of it claims the number.
// The calling code is the one prefix of one to three digits that names a
// plan (calling codes are prefix-free), the rest is the national
// significant number, leading zeros included, as the library keeps them.
func classifyDigits(digits string) (cc int, national, region string, t phonenumbers.PhoneNumberType) {
	for n := 1; n <= 3 && n < len(digits); n++ {
		c, err := strconv.Atoi(digits[:n])
		if err != nil {
			return 0, "", "", phonenumbers.UNKNOWN
		}
		regions := phonenumbers.GetRegionCodesForCountryCode(c)
		if len(regions) == 0 {
			continue
		}
		national = digits[n:]
		ps := plans()
		switch {
		case len(regions) == 1:
			region = regions[0]
		default: // the library's getRegionCodeForNumberFromRegionList
			for _, r := range regions {
				p := ps.regions[r]
				if p == nil {
					continue
				}
				if p.compiled().leading != nil {
					if p.leading.MatchString(national) {
						region = r
						break
					}
				} else if p.numberType(national) != phonenumbers.UNKNOWN {
					region = r
					break
				}
			}
		}
		var p *plan
		if region == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY {
			p = ps.nonGeo[c]
		} else {
			p = ps.regions[region]
		}
		if p == nil {
			return c, national, region, phonenumbers.UNKNOWN
		}
		return c, national, region, p.numberType(national)
	}
	return 0, "", "", phonenumbers.UNKNOWN
}
