package msgfilter.channels.messenger_test

import data.msgfilter.channels.messenger

# A service reply on Messenger to a user who has never written.
base := {
	"schema": 1,
	"message": {"channel": "messenger", "kind": "service", "country": "US", "tenant": "", "length": 40},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "America/New_York"},
	"sender": {"raw": "ACMEPAGE", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+12025550123", "country": "US", "number_type": "fixed_line_or_mobile"},
	"content": {"opt_out_text": false},
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

promotional(conversation) := object.union(base, {"message": {"kind": "promotional"}, "conversation": conversation})

test_base_message_allowed if {
	count(messenger.reasons) == 0 with input as base
}

# messenger/standard-window

test_promotional_without_inbound_outside_window if {
	messenger.reasons == {{
		"code": "OUTSIDE_SESSION_WINDOW",
		"rule": "messenger/standard-window",
		"evidence": "no inbound message from the recipient",
	}} with input as promotional({"has_inbound": false, "inbound_age_minutes": 0})
}

test_promotional_1439_minutes_after_inbound_allowed if {
	count(messenger.reasons) == 0 with input as promotional({"has_inbound": true, "inbound_age_minutes": 1439})
}

test_promotional_1440_minutes_after_inbound_outside_window if {
	messenger.reasons == {{
		"code": "OUTSIDE_SESSION_WINDOW",
		"rule": "messenger/standard-window",
		"evidence": "last inbound 1440 minutes ago",
	}} with input as promotional({"has_inbound": true, "inbound_age_minutes": 1440})
}

# An age of 0 with has_inbound false is "never wrote", not "just wrote".
test_promotional_zero_age_without_inbound_outside_window if {
	some r in messenger.reasons with input as promotional({"has_inbound": false, "inbound_age_minutes": 0})
	r.code == "OUTSIDE_SESSION_WINDOW"
}

test_promotional_zero_age_with_inbound_allowed if {
	count(messenger.reasons) == 0 with input as promotional({"has_inbound": true, "inbound_age_minutes": 0})
}

test_transactional_without_inbound_allowed if {
	count(messenger.reasons) == 0 with input as object.union(base, {"message": {"kind": "transactional"}})
}

# Any link makes a message promotional (DESIGN.md channels row).

with_link(conversation) := object.union(base, {
	"conversation": conversation,
	"links": [{"url": "https://acme.example/offer", "host": "acme.example", "domain": "acme.example"}],
})

test_service_message_with_link_outside_window if {
	messenger.reasons == {{
		"code": "OUTSIDE_SESSION_WINDOW",
		"rule": "messenger/standard-window",
		"evidence": "no inbound message from the recipient",
	}} with input as with_link({"has_inbound": false, "inbound_age_minutes": 0})
}

test_service_message_without_link_allowed if {
	count(messenger.reasons) == 0 with input as object.union(base, {"links": []})
}

test_service_message_with_link_in_window_allowed if {
	count(messenger.reasons) == 0 with input as with_link({"has_inbound": true, "inbound_age_minutes": 30})
}
