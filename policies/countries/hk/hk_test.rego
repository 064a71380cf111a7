package msgfilter.countries.hk_test

import data.msgfilter.countries.hk

# A transactional SMS to Hong Kong from a registered "#" sender ID.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "HK", "tenant": "", "length": 40},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "Asia/Hong_Kong"},
	"sender": {"raw": "#HSBC", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+85291234567", "country": "HK", "number_type": "mobile"},
	"content": {"opt_out_text": false},
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

with_sender(sender) := object.union(base, {"sender": sender})

# hk/sender-hash-prefix

test_sender_id_with_hash_prefix_allowed if {
	count(hk.reasons) == 0 with input as base
}

test_sender_id_without_hash_prefix_format if {
	hk.reasons == {{
		"code": "SENDER_ID_FORMAT",
		"rule": "hk/sender-hash-prefix",
		"evidence": "HSBC",
	}} with input as with_sender({"raw": "HSBC"})
}

# The "#" must lead: one elsewhere in the ID is not the registered prefix.
test_sender_id_with_inner_hash_format if {
	hk.reasons == {{
		"code": "SENDER_ID_FORMAT",
		"rule": "hk/sender-hash-prefix",
		"evidence": "HSBC#",
	}} with input as with_sender({"raw": "HSBC#"})
}

test_promotional_sender_id_without_hash_prefix_format if {
	some r in hk.reasons with input as object.union(with_sender({"raw": "SHOPHK"}), {"message": {"kind": "promotional"}})
	r.code == "SENDER_ID_FORMAT"
}

test_e164_sender_without_hash_allowed if {
	count(hk.reasons) == 0 with input as with_sender({"raw": "+85291234567", "kind": "e164", "country": "HK", "number_type": "mobile"})
}

test_short_code_sender_without_hash_allowed if {
	count(hk.reasons) == 0 with input as with_sender({"raw": "12345", "kind": "short_code"})
}
