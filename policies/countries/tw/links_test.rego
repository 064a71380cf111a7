package msgfilter.countries.tw_links_test

import data.msgfilter.countries.tw

# A transactional SMS at noon: the pack's other rules stay silent.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "TW", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "ACMECO", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+10000000000", "country": "TW", "number_type": "mobile"},
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

shortener_reasons(rs) := {r | some r in rs; r.code == "URL_SHORTENER"}

# tw/url-shortener

test_public_shortener_blocked if {
	rs := tw.reasons with input as with_links([link("https://bit.ly/3xYz", "bit.ly", {"shortener": true})])
	shortener_reasons(rs) == {{"code": "URL_SHORTENER", "rule": "tw/url-shortener", "evidence": "https://bit.ly/3xYz"}}
	count(rs) == 1
}

# Ham twin: the full link to the same page.
test_full_link_allowed if {
	count(tw.reasons) == 0 with input as with_links([link("https://www.acme.example/orders/42", "www.acme.example", {})])
}

test_no_link_allowed if {
	count(tw.reasons) == 0 with input as base
}
