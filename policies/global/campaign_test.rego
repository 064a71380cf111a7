package msgfilter.global_campaign_test

import data.msgfilter.global

base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "promotional", "country": "DE", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "SHOP", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"country": "DE", "number_type": "mobile"},
	"source": {"present": false, "country": "", "asn": 0, "reserved": false, "found": false, "blocked": false},
	"content": {"opt_out_text": true, "categories": {}, "phone_numbers": []},
	"links": [],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0, "opted_out": false, "session_messages": 0},
}

with_campaign(c) := object.union(base, {"campaign": c})

codes(doc) := c if {
	c := {r.code | some r in global.reasons} with input as doc
}

test_reported_campaign_blocked if {
	codes(with_campaign({"reported": true})) == {"REPORTED_CONTENT"}
}

test_unreported_campaign_allowed if {
	codes(with_campaign({"reported": false})) == set()
}

test_reported_otp_blocked if {
	doc := object.union(with_campaign({"reported": true}), {"message": {"kind": "otp"}})
	"REPORTED_CONTENT" in codes(doc)
}

test_unreported_otp_allowed if {
	doc := object.union(with_campaign({"reported": false}), {"message": {"kind": "otp"}})
	not "REPORTED_CONTENT" in codes(doc)
}

test_without_campaign_facts_silent if {
	codes(base) == set()
}

test_campaign_flood_cited if {
	{"code": "DUPLICATE_FLOOD", "rule": "global/campaign-flood"} in global.limits
}

test_campaign_flood_default_on if {
	data.global.campaign_flood.recipients > 0
	"otp" in data.global.campaign_flood.exempt_kinds
}
