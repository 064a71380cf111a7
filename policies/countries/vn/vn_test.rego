package msgfilter.countries.vn_test

import data.msgfilter.countries.vn

base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "VN", "tenant": "", "length": 40},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "Asia/Ho_Chi_Minh"},
	"sender": {"raw": "VIETCOMBANK", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+84912345678", "country": "VN", "number_type": "mobile"},
	"content": {"opt_out_text": false},
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

with_kind(kind) := object.union(base, {"message": {"kind": kind}})

# vn/promotional-not-allowed

test_promotional_not_allowed if {
	vn.reasons == {{
		"code": "PROMOTIONAL_NOT_ALLOWED",
		"rule": "vn/promotional-not-allowed",
		"evidence": "kind promotional",
	}} with input as with_kind("promotional")
}

# Even with an opt-out mention: prior consent and a registered brand name cannot be verified.
test_promotional_with_opt_out_not_allowed if {
	some r in vn.reasons with input as object.union(with_kind("promotional"), {"content": {"opt_out_text": true}})
	r.code == "PROMOTIONAL_NOT_ALLOWED"
}

test_transactional_allowed if {
	count(vn.reasons) == 0 with input as with_kind("transactional")
}

test_otp_allowed if {
	count(vn.reasons) == 0 with input as with_kind("otp")
}

test_service_allowed if {
	count(vn.reasons) == 0 with input as with_kind("service")
}
