package msgfilter.countries.in_links_test

import data.msgfilter.countries["in"] as india

# A transactional SMS from HDFC Bank's header at noon.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "IN", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "VM-HDFCBK", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+10000000000", "country": "IN", "number_type": "mobile"},
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

whitelist_reasons(rs) := {r | some r in rs; r.code == "URL_NOT_WHITELISTED"}

# in/url-not-whitelisted

test_link_to_registered_domain_allowed if {
	count(whitelist_reasons(india.reasons)) == 0 with input as with_links([link("https://www.hdfcbank.com/personal", "www.hdfcbank.com", {"sender_registered": true})])
}

test_link_to_unregistered_domain_not_whitelisted if {
	rs := india.reasons with input as with_links([link("https://hdfc-kyc-update.example/login", "hdfc-kyc-update.example", {"sender_registered": false})])
	whitelist_reasons(rs) == {{"code": "URL_NOT_WHITELISTED", "rule": "in/url-not-whitelisted", "evidence": "https://hdfc-kyc-update.example/login"}}
}

# Only the unregistered link of two is reported.
test_mixed_links_report_the_unregistered_one if {
	rs := india.reasons with input as with_links([
		link("https://www.hdfcbank.com/personal", "www.hdfcbank.com", {"sender_registered": true}),
		link("bit.ly/abc", "bit.ly", {"sender_registered": false, "shortener": true}),
	])
	{r.evidence | some r in whitelist_reasons(rs)} == {"bit.ly/abc"}
}

# Without a registry (sender_registered absent) the rule cannot judge.
test_link_without_registry_allowed if {
	count(whitelist_reasons(india.reasons)) == 0 with input as with_links([link("https://example.com", "example.com", {})])
}
