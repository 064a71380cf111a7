package msgfilter.countries.in_test

import data.msgfilter.countries["in"] as india

# A promotional SMS to India at noon from a numeric header of category 1.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "promotional", "country": "IN", "tenant": "", "length": 60},
	"time": at("2026-03-10T12:00"),
	"sender": {"raw": "123456", "kind": "short_code", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+919812345678", "country": "IN", "number_type": "mobile"},
	"content": {"opt_out_text": false},
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

# at is the facts' time object for a local wall-clock time in India.
at(local) := {
	"local": local,
	"date": substring(local, 0, 10),
	"weekday": lower(time.weekday(time.parse_ns("2006-01-02T15:04", local))),
	"minute": (to_number(substring(local, 11, 2)) * 60) + to_number(substring(local, 14, 2)),
	"zone": "Asia/Kolkata",
}

facts(patch) := object.union(base, patch)

alphanumeric(raw) := {"raw": raw, "kind": "alphanumeric"}

format(rule, raw) := {{"code": "SENDER_ID_FORMAT", "rule": rule, "evidence": raw}}

test_base_message_allowed if {
	count(india.reasons) == 0 with input as base
}

# in/promotional-quiet-hours: [21:00, 09:00) Asia/Kolkata (+05:30)

test_promotional_at_2100_deferred_to_0900 if {
	india.reasons == {{
		"code": "QUIET_HOURS",
		"rule": "in/promotional-quiet-hours",
		"evidence": "quiet hours in Asia/Kolkata until 2026-03-11T09:00:00+05:30",
		"until": "2026-03-11T09:00:00+05:30",
	}} with input as held(facts({"time": at("2026-03-10T21:00")}), "promotional", "2026-03-11T09:00:00+05:30")
}

test_promotional_at_0859_deferred_to_0900 if {
	some r in india.reasons with input as held(facts({"time": at("2026-03-11T08:59")}), "promotional", "2026-03-11T09:00:00+05:30")
	r.code == "QUIET_HOURS"
	r.until == "2026-03-11T09:00:00+05:30"
}

# India has no Sunday rule: Sunday noon is allowed.
test_transactional_at_2300_allowed if {
	count(india.reasons) == 0 with input as held(facts({"message": {"kind": "transactional"}, "sender": alphanumeric("VM-HDFCBK"), "time": at("2026-03-10T23:00")}), "promotional", "2026-03-11T09:00:00+05:30")
}

# in/promotional-numeric-header: 6 digits, the first one the category 1-8

test_promotional_numeric_header_allowed if {
	count(india.reasons) == 0 with input as facts({"sender": {"raw": "723456"}})
}

test_promotional_numeric_header_with_circle_prefix_allowed if {
	count(india.reasons) == 0 with input as facts({"sender": alphanumeric("VM-823456")})
}

test_promotional_numeric_header_category_0_format if {
	india.reasons == format("in/promotional-numeric-header", "023456") with input as facts({"sender": {"raw": "023456"}})
}

test_promotional_numeric_header_category_9_format if {
	india.reasons == format("in/promotional-numeric-header", "923456") with input as facts({"sender": {"raw": "923456"}})
}

test_promotional_numeric_header_five_digits_format if {
	india.reasons == format("in/promotional-numeric-header", "12345") with input as facts({"sender": {"raw": "12345"}})
}

test_promotional_numeric_header_seven_digits_format if {
	india.reasons == format("in/promotional-numeric-header", "1234567") with input as facts({"sender": {"raw": "1234567"}})
}

test_promotional_numeric_header_with_type_suffix_allowed if {
	count(india.reasons) == 0 with input as facts({"sender": alphanumeric("VM-823456-P")})
}

test_promotional_numeric_header_with_service_suffix_format if {
	india.reasons == format("in/promotional-numeric-header", "VM-823456-S") with input as facts({"sender": alphanumeric("VM-823456-S")})
}

test_promotional_letter_header_format if {
	india.reasons == format("in/promotional-numeric-header", "VM-HDFCBK") with input as facts({"sender": alphanumeric("VM-HDFCBK")})
}

# in/alphanumeric-header: other kinds, 6 letters behind an optional circle prefix

test_transactional_header_with_circle_prefix_allowed if {
	count(india.reasons) == 0 with input as facts({"message": {"kind": "transactional"}, "sender": alphanumeric("VM-HDFCBK")})
}

test_transactional_header_without_prefix_allowed if {
	count(india.reasons) == 0 with input as facts({"message": {"kind": "transactional"}, "sender": alphanumeric("HDFCBK")})
}

test_otp_lower_case_header_allowed if {
	count(india.reasons) == 0 with input as facts({"message": {"kind": "otp"}, "sender": alphanumeric("ad-hdfcbk")})
}

test_service_header_with_type_suffix_allowed if {
	count(india.reasons) == 0 with input as facts({"message": {"kind": "service"}, "sender": alphanumeric("VM-HDFCBK-S")})
}

test_transactional_header_with_promotional_suffix_format if {
	india.reasons == format("in/alphanumeric-header", "VM-HDFCBK-P") with input as facts({"message": {"kind": "transactional"}, "sender": alphanumeric("VM-HDFCBK-P")})
}

test_transactional_eight_letter_header_format if {
	india.reasons == format("in/alphanumeric-header", "HDFCBANK") with input as facts({"message": {"kind": "transactional"}, "sender": alphanumeric("HDFCBANK")})
}

test_transactional_header_with_digit_format if {
	india.reasons == format("in/alphanumeric-header", "VM-HDFC1K") with input as facts({"message": {"kind": "transactional"}, "sender": alphanumeric("VM-HDFC1K")})
}

test_service_three_letter_prefix_format if {
	india.reasons == format("in/alphanumeric-header", "VMX-HDFCBK") with input as facts({"message": {"kind": "service"}, "sender": alphanumeric("VMX-HDFCBK")})
}

# The header rule is about sender IDs: an E.164 transactional sender is judged elsewhere.
test_transactional_e164_sender_allowed if {
	count(india.reasons) == 0 with input as facts({"message": {"kind": "transactional"}, "sender": {"raw": "+919812345678", "kind": "e164", "country": "IN", "number_type": "mobile"}})
}

# held is doc with the quiet-hours fact the engine computes when spec holds
# the message back until the given instant (policies/quiet_test.go tests the
# computation itself).
held(doc, spec, until) := object.union(doc, {"time": {"quiet_until": {spec: until}}})
