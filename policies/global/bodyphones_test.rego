package msgfilter.global_bodyphones_test

import data.msgfilter.global

base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "promotional", "country": "GB", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "SHOP", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+447400123456", "country": "GB", "number_type": "mobile"},
	"source": {"present": false, "country": "", "asn": 0, "reserved": false, "found": false, "blocked": false},
	"content": {"opt_out_text": true, "categories": {}, "phone_numbers": []},
	"links": [],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

with_number(kind, n) := object.union(base, {
	"message": object.union(base.message, {"kind": kind}),
	"content": object.union(base.content, {"phone_numbers": [n]}),
})

premium := {"text": "0909 879 0000", "e164": "+449098790000", "region": "GB", "type": "premium_rate"}

premium_reasons(rs) := {r | some r in rs; r.rule == "global/body-premium-rate"}

test_premium_number_in_promotion_blocked if {
	premium_reasons(global.reasons) == {{
		"code": "SENDER_PREMIUM_RATE",
		"rule": "global/body-premium-rate",
		"evidence": "0909 879 0000",
	}} with input as with_number("promotional", premium)
}

# Ham twins: a mobile or toll-free number in a promotion, a premium-rate
# number in a transactional message, and a number without its type (what the
# engine sends today).
test_mobile_number_in_promotion_allowed if {
	count(premium_reasons(global.reasons)) == 0 with input as with_number("promotional", object.union(premium, {"type": "mobile"}))
}

test_toll_free_number_in_promotion_allowed if {
	count(premium_reasons(global.reasons)) == 0 with input as with_number("promotional", object.union(premium, {"type": "toll_free"}))
}

test_premium_number_in_transactional_allowed if {
	count(premium_reasons(global.reasons)) == 0 with input as with_number("transactional", premium)
}

test_number_without_type_allowed if {
	count(premium_reasons(global.reasons)) == 0 with input as with_number("promotional", object.remove(premium, {"type"}))
}
