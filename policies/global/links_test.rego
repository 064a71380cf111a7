package msgfilter.global_links_test

import data.msgfilter.global

# A transactional SMS to Germany with one ordinary link: no global rule fires.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "DE", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "PAYPAL", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+4915123456789", "country": "DE", "number_type": "mobile"},
	"source": {"present": false, "country": "", "asn": 0, "reserved": false, "found": false, "blocked": false},
	"content": {"opt_out_text": false, "categories": {}, "phone_numbers": []},
	"links": [plain_link],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

plain_link := {
	"url": "https://www.paypal.com/signin",
	"host": "www.paypal.com",
	"unicode_host": "www.paypal.com",
	"domain": "paypal.com",
	"ip_literal": false,
	"shortener": false,
	"punycode": false,
	"mixed_script": false,
	"userinfo": false,
	"homograph_of": "",
	"phishing": false,
	"blocked": false,
}

with_link(fields) := object.union(base, {"links": [object.union(plain_link, fields)]})

codes(rs) := {r.code | some r in rs}

test_plain_link_allowed if {
	count(global.reasons) == 0 with input as base
}

test_no_links_allowed if {
	count(global.reasons) == 0 with input as object.union(base, {"links": []})
}

# global/phishing-domain

test_phishing_link_blocked if {
	global.reasons == {{
		"code": "PHISHING_DOMAIN",
		"rule": "global/phishing-domain",
		"evidence": "http://secure-login.paypa1-verify.com/x",
	}} with input as with_link({
		"url": "http://secure-login.paypa1-verify.com/x",
		"host": "secure-login.paypa1-verify.com",
		"unicode_host": "secure-login.paypa1-verify.com",
		"domain": "paypa1-verify.com",
		"phishing": true,
	})
}

# Ham twin: the same look of URL on a domain that is not on the feed.
test_unlisted_domain_allowed if {
	count(global.reasons) == 0 with input as with_link({
		"url": "http://secure-login.example-shop.com/x",
		"host": "secure-login.example-shop.com",
		"unicode_host": "secure-login.example-shop.com",
		"domain": "example-shop.com",
	})
}

# Every link is judged: a phishing link after a good one still blocks.
test_second_link_phishing_blocked if {
	bad := object.union(plain_link, {"url": "evil.example.net", "host": "evil.example.net", "domain": "example.net", "phishing": true})
	codes(global.reasons) == {"PHISHING_DOMAIN"} with input as object.union(base, {"links": [plain_link, bad]})
}

# global/idn-homograph

test_cyrillic_paypal_homograph_blocked if {
	global.reasons == {{
		"code": "IDN_HOMOGRAPH",
		"rule": "global/idn-homograph",
		"evidence": "https://www.pаypal.com/signin",
	}} with input as with_link({
		"url": "https://www.pаypal.com/signin",
		"host": "www.xn--pypal-4ve.com",
		"unicode_host": "www.pаypal.com",
		"domain": "xn--pypal-4ve.com",
		"punycode": true,
		"mixed_script": true,
		"homograph_of": "paypal.com",
	})
}

# Ham twin: the brand's own domain is not a homograph of itself.
test_real_paypal_not_homograph if {
	not "IDN_HOMOGRAPH" in codes(global.reasons) with input as base
}

# Punycode alone is no homograph: a genuine German IDN is fine.
test_genuine_idn_allowed if {
	count(global.reasons) == 0 with input as with_link({
		"url": "https://www.bücher.de",
		"host": "www.xn--bcher-kva.de",
		"unicode_host": "www.bücher.de",
		"domain": "xn--bcher-kva.de",
		"punycode": true,
	})
}

# global/ip-literal-url

test_ip_literal_link_reviewed if {
	rs := global.reasons with input as with_link({
		"url": "http://192.0.2.44/login",
		"host": "192.0.2.44",
		"unicode_host": "192.0.2.44",
		"domain": "192.0.2.44",
		"ip_literal": true,
	})
	rs == {{"code": "IP_LITERAL_URL", "rule": "global/ip-literal-url", "evidence": "http://192.0.2.44/login"}}
}

# Ham twin: digits in a host name are not an IP address.
test_digits_in_host_name_allowed if {
	count(global.reasons) == 0 with input as with_link({
		"url": "https://192-0-2-44.example.com/login",
		"host": "192-0-2-44.example.com",
		"unicode_host": "192-0-2-44.example.com",
		"domain": "example.com",
	})
}

# global/domain-blocked

test_blocked_domain_blocked if {
	global.reasons == {{
		"code": "DOMAIN_BLOCKED",
		"rule": "global/domain-blocked",
		"evidence": "https://promo.rival.example/deal",
	}} with input as with_link({
		"url": "https://promo.rival.example/deal",
		"host": "promo.rival.example",
		"unicode_host": "promo.rival.example",
		"domain": "rival.example",
		"blocked": true,
	})
}

test_unblocked_domain_allowed if {
	count(global.reasons) == 0 with input as with_link({
		"url": "https://promo.partner.example/deal",
		"host": "promo.partner.example",
		"unicode_host": "promo.partner.example",
		"domain": "partner.example",
	})
}

# One link can be several things at once; each is reported.
test_phishing_homograph_reports_both if {
	codes(global.reasons) == {"PHISHING_DOMAIN", "IDN_HOMOGRAPH"} with input as with_link({
		"url": "https://www.pаypal.com/signin",
		"host": "www.xn--pypal-4ve.com",
		"unicode_host": "www.pаypal.com",
		"domain": "xn--pypal-4ve.com",
		"homograph_of": "paypal.com",
		"phishing": true,
	})
}
