package msgfilter.countries.th_test

import data.msgfilter.countries.th

# A promotional SMS to Thailand at noon.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "promotional", "country": "TH", "tenant": "", "length": 60},
	"time": at("2026-03-10T12:00"),
	"sender": {"raw": "SHOPEE", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+66812345678", "country": "TH", "number_type": "mobile"},
	"content": {"opt_out_text": false},
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

# at is the facts' time object for a local wall-clock time in Bangkok.
at(local) := {
	"local": local,
	"date": substring(local, 0, 10),
	"weekday": lower(time.weekday(time.parse_ns("2006-01-02T15:04", local))),
	"minute": (to_number(substring(local, 11, 2)) * 60) + to_number(substring(local, 14, 2)),
	"zone": "Asia/Bangkok",
}

facts(patch) := object.union(base, patch)

quiet(until) := {{
	"code": "QUIET_HOURS",
	"rule": "th/promotional-quiet-hours",
	"evidence": sprintf("quiet hours in Asia/Bangkok until %s", [until]),
	"until": until,
}}

test_base_message_allowed if {
	count(th.reasons) == 0 with input as base
}

# th/promotional-quiet-hours: [21:00, 09:00) Asia/Bangkok (+07:00)

test_promotional_at_2100_deferred_to_0900 if {
	th.reasons == quiet("2026-03-11T09:00:00+07:00") with input as held(facts({"time": at("2026-03-10T21:00")}), "promotional", "2026-03-11T09:00:00+07:00")
}

test_promotional_just_after_midnight_deferred_same_morning if {
	th.reasons == quiet("2026-03-11T09:00:00+07:00") with input as held(facts({"time": at("2026-03-11T00:00")}), "promotional", "2026-03-11T09:00:00+07:00")
}

test_promotional_at_0859_deferred_to_0900 if {
	th.reasons == quiet("2026-03-11T09:00:00+07:00") with input as held(facts({"time": at("2026-03-11T08:59")}), "promotional", "2026-03-11T09:00:00+07:00")
}

test_otp_at_2300_allowed if {
	count(th.reasons) == 0 with input as held(facts({"message": {"kind": "otp"}, "time": at("2026-03-10T23:00")}), "promotional", "2026-03-11T09:00:00+07:00")
}

# held is doc with the quiet-hours fact the engine computes when spec holds
# the message back until the given instant (policies/quiet_test.go tests the
# computation itself).
held(doc, spec, until) := object.union(doc, {"time": {"quiet_until": {spec: until}}})
