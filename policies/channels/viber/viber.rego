# Viber Business Messages.
package msgfilter.channels.viber

# METADATA
# title: Viber business messages are at most 1000 characters
# related_resources:
#   - ref: https://www.alibabacloud.com/help/doc-detail/2807999.html
#     description: Viber business messages, text of up to 1000 characters
# custom:
#   id: viber/body-length
#   effective: "2023"
reasons contains r if {
	input.message.length > data.channels.viber.max_length
	r := {"code": "BODY_TOO_LONG", "rule": "viber/body-length", "evidence": sprintf("%d characters", [input.message.length])}
}

# METADATA
# title: Viber session messages only within 24 hours of the user's last message
# description: >-
#   A service message is a reply in a conversation (Viber's session message):
#   it needs a session, which the user's message opens for 24 hours.
#   Promotional, transactional and OTP messages are template traffic.
# related_resources:
#   - ref: https://www.infobip.com/docs/viber/compliance-guidelines
#     description: Infobip, Viber compliance guidelines (24-hour session)
#   - ref: https://dexatel.com/blog/viber-session-messaging
#     description: Dexatel, Viber session messaging
# custom:
#   id: viber/session-window
#   effective: "2023"
reasons contains r if {
	input.message.kind == "service"
	not in_session
	r := {"code": "OUTSIDE_SESSION_WINDOW", "rule": "viber/session-window", "evidence": window_evidence}
}

in_session if {
	input.conversation.has_inbound
	input.conversation.inbound_age_minutes < data.channels.viber.session_minutes
}

window_evidence := sprintf("last inbound %d minutes ago", [input.conversation.inbound_age_minutes]) if {
	input.conversation.has_inbound
} else := "no inbound message from the recipient"
