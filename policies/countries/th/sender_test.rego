package msgfilter.countries.th_sender_test

import data.msgfilter.countries.th

# A transactional SMS at noon from a Thai mobile number.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "TH", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "+66812345678", "kind": "e164", "country": "TH", "number_type": "mobile", "valid": true, "reason": ""},
	"recipient": {"e164": "+10000000000", "country": "TH", "number_type": "mobile"},
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

with_sender(fields) := object.union(base, {"sender": object.union(base.sender, fields)})

# th/sender-origin-mismatch

test_thai_number_allowed if {
	count(th.reasons) == 0 with input as base
}

test_foreign_number_origin_mismatch if {
	th.reasons == {{
		"code": "SENDER_ORIGIN_MISMATCH",
		"rule": "th/sender-origin-mismatch",
		"evidence": "+6591234567",
	}} with input as with_sender({"raw": "+6591234567", "country": "SG"})
}

# Sender IDs have no origin to compare: not this rule's business.
test_alphanumeric_sender_allowed if {
	count(th.reasons) == 0 with input as with_sender({"raw": "KBANK", "kind": "alphanumeric", "country": "US", "number_type": ""})
}

# The pack's data switches the rule: without domestic_numeric_senders it is silent.
test_foreign_number_allowed_without_data_flag if {
	count(th.reasons) == 0 with input as with_sender({"raw": "+6591234567", "country": "SG"})
		with data.countries.th.domestic_numeric_senders as false
}
