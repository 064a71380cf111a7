package msgfilter.countries.tr_test

import data.msgfilter.countries.tr

base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "TR", "tenant": "", "length": 40},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "Europe/Istanbul"},
	"sender": {"raw": "GARANTIBBVA", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+905321234567", "country": "TR", "number_type": "mobile"},
	"content": {"opt_out_text": false},
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

with_kind(kind) := object.union(base, {"message": {"kind": kind}})

# tr/promotional-not-allowed

test_promotional_not_allowed if {
	tr.reasons == {{
		"code": "PROMOTIONAL_NOT_ALLOWED",
		"rule": "tr/promotional-not-allowed",
		"evidence": "kind promotional",
	}} with input as with_kind("promotional")
}

# Even with an opt-out mention: consent lives in IYS, which the engine cannot see.
test_promotional_with_opt_out_not_allowed if {
	some r in tr.reasons with input as object.union(with_kind("promotional"), {"content": {"opt_out_text": true}})
	r.code == "PROMOTIONAL_NOT_ALLOWED"
}

test_transactional_allowed if {
	count(tr.reasons) == 0 with input as with_kind("transactional")
}

test_otp_allowed if {
	count(tr.reasons) == 0 with input as with_kind("otp")
}

test_service_allowed if {
	count(tr.reasons) == 0 with input as with_kind("service")
}
