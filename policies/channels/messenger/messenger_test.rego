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

# messenger/message-tag (fact input.message.tag)

tagged(kind, tag, conversation) := object.union(base, {"message": {"kind": kind, "tag": tag}, "conversation": conversation})

never := {"has_inbound": false, "inbound_age_minutes": 0}

test_post_purchase_update_outside_window_allowed if {
	count(messenger.reasons) == 0 with input as tagged("service", "POST_PURCHASE_UPDATE", never)
}

test_no_tag_outside_window_blocked if {
	messenger.reasons == {{"code": "OUTSIDE_SESSION_WINDOW", "rule": "messenger/message-tag", "evidence": "no message tag"}} with input as tagged("service", "", never)
}

test_no_tag_inside_window_allowed if {
	count(messenger.reasons) == 0 with input as tagged("service", "", {"has_inbound": true, "inbound_age_minutes": 30})
}

test_deprecated_tag_blocked if {
	messenger.reasons == {{"code": "OUTSIDE_SESSION_WINDOW", "rule": "messenger/message-tag", "evidence": "ISSUE_RESOLUTION is not a supported message tag"}} with input as tagged("service", "ISSUE_RESOLUTION", never)
}

test_human_agent_within_seven_days_allowed if {
	count(messenger.reasons) == 0 with input as tagged("service", "HUMAN_AGENT", {"has_inbound": true, "inbound_age_minutes": 10079})
}

test_human_agent_after_seven_days_blocked if {
	messenger.reasons == {{"code": "OUTSIDE_SESSION_WINDOW", "rule": "messenger/message-tag", "evidence": "HUMAN_AGENT only within 10080 minutes of the user's last message"}} with input as tagged("service", "HUMAN_AGENT", {"has_inbound": true, "inbound_age_minutes": 10080})
}

# A tag never carries promotion: the standard-window rule still blocks it.
test_promotion_under_a_tag_blocked if {
	{r.rule | some r in messenger.reasons} == {"messenger/standard-window"} with input as tagged("promotional", "ACCOUNT_UPDATE", never)
}

test_without_tag_fact_service_outside_window_allowed if {
	count(messenger.reasons) == 0 with input as base
}
