package msgfilter.channels.viber_test

import data.msgfilter.channels.viber

# A transactional Viber message of 1000 characters: no rule of the pack fires.
base := {
	"schema": 1,
	"message": {"channel": "viber", "kind": "transactional", "country": "UA", "tenant": "", "length": 1000},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "MONOBANK", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+380501234567", "country": "UA", "number_type": "mobile"},
	"content": {"opt_out_text": false},
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

facts(patch) := object.union(base, patch)

service(conversation) := facts({"message": {"kind": "service"}, "conversation": conversation})

test_base_message_allowed if {
	count(viber.reasons) == 0 with input as base
}

# viber/body-length

test_body_1000_characters_allowed if {
	count(viber.reasons) == 0 with input as facts({"message": {"length": 1000}})
}

test_body_1001_characters_too_long if {
	viber.reasons == {{
		"code": "BODY_TOO_LONG",
		"rule": "viber/body-length",
		"evidence": "1001 characters",
	}} with input as facts({"message": {"length": 1001}})
}

# viber/session-window: service messages need the user's message within 24 hours

test_service_without_inbound_outside_window if {
	viber.reasons == {{
		"code": "OUTSIDE_SESSION_WINDOW",
		"rule": "viber/session-window",
		"evidence": "no inbound message from the recipient",
	}} with input as service({"has_inbound": false, "inbound_age_minutes": 0})
}

test_service_1439_minutes_after_inbound_allowed if {
	count(viber.reasons) == 0 with input as service({"has_inbound": true, "inbound_age_minutes": 1439})
}

test_service_1440_minutes_after_inbound_outside_window if {
	viber.reasons == {{
		"code": "OUTSIDE_SESSION_WINDOW",
		"rule": "viber/session-window",
		"evidence": "last inbound 1440 minutes ago",
	}} with input as service({"has_inbound": true, "inbound_age_minutes": 1440})
}

test_service_just_after_inbound_allowed if {
	count(viber.reasons) == 0 with input as service({"has_inbound": true, "inbound_age_minutes": 0})
}

# Template traffic does not need a session.
test_promotional_without_inbound_allowed if {
	count(viber.reasons) == 0 with input as facts({"message": {"kind": "promotional"}})
}

test_otp_without_inbound_allowed if {
	count(viber.reasons) == 0 with input as facts({"message": {"kind": "otp"}})
}

test_long_service_message_outside_window_both_reported if {
	codes := {r.code | some r in viber.reasons} with input as facts({"message": {"kind": "service", "length": 1200}})
	codes == {"BODY_TOO_LONG", "OUTSIDE_SESSION_WINDOW"}
}
