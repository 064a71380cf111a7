package msgfilter.countries.am_sender_test

import data.msgfilter.countries.am

# A transactional SMS at noon from a registered sender ID.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "AM", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "Ameriabank", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": "", "registered": true},
	"recipient": {"e164": "+10000000000", "country": "AM", "number_type": "mobile"},
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

registry_reasons(rs) := {r | some r in rs; r.code == "SENDER_NOT_REGISTERED"}

# am/sender-not-registered

test_registered_sender_allowed if {
	count(registry_reasons(am.reasons)) == 0 with input as base
}

test_unregistered_sender_not_registered if {
	rs := am.reasons with input as with_sender({"raw": "Ameria-Bonus", "registered": false})
	registry_reasons(rs) == {{"code": "SENDER_NOT_REGISTERED", "rule": "am/sender-not-registered", "evidence": "Ameria-Bonus"}}
}

# E.164 senders are not checked against the registry: Go leaves the field out.
test_e164_sender_without_registry_field_allowed if {
	count(registry_reasons(am.reasons)) == 0 with input as object.union(object.remove(base, ["sender"]), {"sender": {"raw": "+37491123456", "kind": "e164", "country": "AM", "number_type": "mobile", "valid": true, "reason": ""}})
}

# The global rule of the same code stays silent for Armenia: one reason, not two.
test_global_rule_silent_for_armenia if {
	rs := data.msgfilter.global.reasons with input as with_sender({"raw": "Ameria-Bonus", "registered": false})
	count(registry_reasons(rs)) == 0
}
