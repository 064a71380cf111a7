package msgfilter.countries.tw_test

import data.msgfilter.countries.tw

# A promotional SMS to Taiwan at 10:00.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "promotional", "country": "TW", "tenant": "", "length": 60},
	"time": at("2026-03-10T10:00"),
	"sender": {"raw": "+886912345678", "kind": "e164", "country": "TW", "number_type": "mobile", "valid": true, "reason": ""},
	"recipient": {"e164": "+886987654321", "country": "TW", "number_type": "mobile"},
	"content": {"opt_out_text": false},
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

# at is the facts' time object for a local wall-clock time in Taipei.
at(local) := {
	"local": local,
	"date": substring(local, 0, 10),
	"weekday": lower(time.weekday(time.parse_ns("2006-01-02T15:04", local))),
	"minute": (to_number(substring(local, 11, 2)) * 60) + to_number(substring(local, 14, 2)),
	"zone": "Asia/Taipei",
}

facts(patch) := object.union(base, patch)

quiet(until) := {{
	"code": "QUIET_HOURS",
	"rule": "tw/promotional-quiet-hours",
	"evidence": sprintf("quiet hours in Asia/Taipei until %s", [until]),
	"until": until,
}}

test_base_message_allowed if {
	count(tw.reasons) == 0 with input as base
}

# tw/promotional-quiet-hours: [12:30, 13:30) and [21:00, 09:00) Asia/Taipei (+08:00)

test_promotional_at_1230_deferred_to_1330 if {
	tw.reasons == quiet("2026-03-10T13:30:00+08:00") with input as held(facts({"time": at("2026-03-10T12:30")}), "promotional", "2026-03-10T13:30:00+08:00")
}

test_promotional_at_1329_deferred_to_1330 if {
	tw.reasons == quiet("2026-03-10T13:30:00+08:00") with input as held(facts({"time": at("2026-03-10T13:29")}), "promotional", "2026-03-10T13:30:00+08:00")
}

test_promotional_at_2100_deferred_to_0900 if {
	tw.reasons == quiet("2026-03-11T09:00:00+08:00") with input as held(facts({"time": at("2026-03-10T21:00")}), "promotional", "2026-03-11T09:00:00+08:00")
}

test_promotional_at_0859_deferred_to_0900 if {
	tw.reasons == quiet("2026-03-11T09:00:00+08:00") with input as held(facts({"time": at("2026-03-11T08:59")}), "promotional", "2026-03-11T09:00:00+08:00")
}

test_transactional_at_lunch_allowed if {
	count(tw.reasons) == 0 with input as held(facts({"message": {"kind": "transactional"}, "time": at("2026-03-10T12:45")}), "promotional", "2026-03-10T13:30:00+08:00")
}

# held is doc with the quiet-hours fact the engine computes when spec holds
# the message back until the given instant (policies/quiet_test.go tests the
# computation itself).
held(doc, spec, until) := object.union(doc, {"time": {"quiet_until": {spec: until}}})
