package msgfilter.countries.ae_test

import data.msgfilter.countries.ae

# A promotional SMS to the UAE at noon from a sender ID with the AD- prefix:
# no rule of the pack fires.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "promotional", "country": "AE", "tenant": "", "length": 60},
	"time": at("2026-03-10T12:00"),
	"sender": {"raw": "AD-SHOPCO", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+971501234567", "country": "AE", "number_type": "mobile"},
	"content": {"opt_out_text": true},
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

# at is the facts' time object for a local wall-clock time in Dubai.
at(local) := {
	"local": local,
	"date": substring(local, 0, 10),
	"weekday": lower(time.weekday(time.parse_ns("2006-01-02T15:04", local))),
	"minute": (to_number(substring(local, 11, 2)) * 60) + to_number(substring(local, 14, 2)),
	"zone": "Asia/Dubai",
}

facts(patch) := object.union(base, patch)

test_base_message_allowed if {
	count(ae.reasons) == 0 with input as base
}

# ae/promotional-ad-prefix

test_promotional_sender_without_ad_prefix_format if {
	ae.reasons == {{
		"code": "SENDER_ID_FORMAT",
		"rule": "ae/promotional-ad-prefix",
		"evidence": "SHOPCO",
	}} with input as facts({"sender": {"raw": "SHOPCO"}})
}

test_promotional_sender_with_ad_prefix_allowed if {
	count(ae.reasons) == 0 with input as facts({"sender": {"raw": "AD-SHOPCO"}})
}

test_promotional_sender_lower_case_ad_prefix_allowed if {
	count(ae.reasons) == 0 with input as facts({"sender": {"raw": "ad-ShopCo"}})
}

# "AD" without the hyphen is not the prefix.
test_promotional_sender_ad_without_hyphen_format if {
	ae.reasons == {{
		"code": "SENDER_ID_FORMAT",
		"rule": "ae/promotional-ad-prefix",
		"evidence": "ADSHOPCO",
	}} with input as facts({"sender": {"raw": "ADSHOPCO"}})
}

test_transactional_sender_without_ad_prefix_allowed if {
	count(ae.reasons) == 0 with input as facts({"message": {"kind": "transactional"}, "sender": {"raw": "SHOPCO"}})
}

# The prefix rule is about sender IDs: an E.164 sender has no prefix to carry.
test_promotional_e164_sender_allowed if {
	count(ae.reasons) == 0 with input as facts({"sender": {"raw": "+971501234567", "kind": "e164", "country": "AE", "number_type": "mobile"}})
}

# ae/promotional-quiet-hours: [21:00, 07:00) Asia/Dubai (+04:00, no DST)

test_promotional_at_2100_deferred_to_0700 if {
	ae.reasons == {{
		"code": "QUIET_HOURS",
		"rule": "ae/promotional-quiet-hours",
		"evidence": "quiet hours in Asia/Dubai until 2026-03-11T07:00:00+04:00",
		"until": "2026-03-11T07:00:00+04:00",
	}} with input as held(facts({"time": at("2026-03-10T21:00")}), "promotional", "2026-03-11T07:00:00+04:00")
}

test_promotional_at_0659_deferred_same_morning if {
	ae.reasons == {{
		"code": "QUIET_HOURS",
		"rule": "ae/promotional-quiet-hours",
		"evidence": "quiet hours in Asia/Dubai until 2026-03-11T07:00:00+04:00",
		"until": "2026-03-11T07:00:00+04:00",
	}} with input as held(facts({"time": at("2026-03-11T06:59")}), "promotional", "2026-03-11T07:00:00+04:00")
}

test_promotional_at_midnight_year_end_deferred_into_new_year if {
	some r in ae.reasons with input as held(facts({"time": at("2026-12-31T23:30")}), "promotional", "2027-01-01T07:00:00+04:00")
	r.until == "2027-01-01T07:00:00+04:00"
}

test_transactional_at_2300_allowed if {
	count(ae.reasons) == 0 with input as held(facts({"message": {"kind": "transactional"}, "time": at("2026-03-10T23:00")}), "promotional", "2026-03-11T07:00:00+04:00")
}

# Both rules report: a night-time promotional message from a bare sender ID.
test_promotional_bare_sender_at_night_both_reported if {
	codes := {r.code | some r in ae.reasons} with input as held(facts({"sender": {"raw": "SHOPCO"}, "time": at("2026-03-10T22:00")}), "promotional", "2026-03-11T07:00:00+04:00")
	codes == {"SENDER_ID_FORMAT", "QUIET_HOURS"}
}

# held is doc with the quiet-hours fact the engine computes when spec holds
# the message back until the given instant (policies/quiet_test.go tests the
# computation itself).
held(doc, spec, until) := object.union(doc, {"time": {"quiet_until": {spec: until}}})
