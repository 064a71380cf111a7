package msgfilter.countries.ir_links_test

import data.msgfilter.countries.ir

# A transactional SMS at noon without a link: no link rule fires.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "IR", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "ACMECO", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+10000000000", "country": "IR", "number_type": "mobile"},
	"source": {"present": false, "country": "", "asn": 0, "reserved": false, "found": false, "blocked": false},
	"content": {"opt_out_text": true, "categories": {}, "phone_numbers": []},
	"links": [],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

link(url, host, fields) := object.union(
	{
		"url": url, "host": host, "unicode_host": host, "domain": host,
		"ip_literal": false, "shortener": false, "punycode": false, "mixed_script": false,
		"userinfo": false, "homograph_of": "", "phishing": false, "blocked": false,
	},
	fields,
)

with_links(ls) := object.union(base, {"links": ls})

link_codes(rs) := {r.code | some r in rs; r.code in {"URL_NOT_ALLOWED", "PHONE_NUMBER_NOT_ALLOWED"}}

test_no_link_allowed if {
	count(link_codes(ir.reasons)) == 0 with input as base
}

# ir/url-not-allowed

test_any_link_not_allowed if {
	rs := ir.reasons with input as with_links([link("https://www.example.com/track?id=1", "www.example.com", {})])
	rs == {{"code": "URL_NOT_ALLOWED", "rule": "ir/url-not-allowed", "evidence": "https://www.example.com/track?id=1"}}
}

# Each link is reported with its own evidence.
test_two_links_two_reasons if {
	rs := ir.reasons with input as with_links([
		link("example.com", "example.com", {}),
		link("http://192.0.2.1/x", "192.0.2.1", {"ip_literal": true}),
	])
	{r.evidence | some r in rs; r.code == "URL_NOT_ALLOWED"} == {"example.com", "http://192.0.2.1/x"}
}
