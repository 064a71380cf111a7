package msgfilter.channels.viber_test

import data.msgfilter.channels.viber

# A service message in a session 10 minutes old with n messages sent.
in_session_with(n) := facts({
	"message": {"kind": "service"},
	"conversation": {"has_inbound": true, "inbound_age_minutes": 10, "opted_out": false, "session_messages": n},
})

# viber/session-limit

test_session_59_sent_allowed if {
	count(viber.reasons) == 0 with input as in_session_with(59)
}

test_session_60_sent_limit if {
	viber.reasons == {{
		"code": "SESSION_LIMIT",
		"rule": "viber/session-limit",
		"evidence": "60 messages in this session, at most 60",
	}} with input as in_session_with(60)
}

test_session_0_sent_allowed if {
	count(viber.reasons) == 0 with input as in_session_with(0)
}

# An old session's count does not apply once the window closed: that is
# OUTSIDE_SESSION_WINDOW for service messages, and nothing for templates.
test_expired_session_count_no_limit if {
	codes := {r.code | some r in viber.reasons} with input as facts({
		"message": {"kind": "transactional"},
		"conversation": {"has_inbound": true, "inbound_age_minutes": 1500, "session_messages": 60},
	})
	codes == set()
}

test_session_cap_from_data if {
	codes := {r.code | some r in viber.reasons} with input as in_session_with(5)
		with data.channels.viber.session_max_messages as 5
	codes == {"SESSION_LIMIT"}
}
