# Viber session cap: the business messages one session may carry.
package msgfilter.channels.viber

# METADATA
# title: At most 60 business messages per Viber session
# description: >-
#   A session (24 hours from the user's message) carries at most
#   session_max_messages business messages; the user's next message opens a
#   new one. session_messages is read from the state store before the
#   policies run. When the store's atomic count refuses a message these
#   rules let through (another node sent the last one first), Go reports
#   this rule's reason itself (filter/conversation.go).
# related_resources:
#   - ref: https://www.alibabacloud.com/help/zh/chatapp/user-guide/viber-message-type
#     description: Alibaba Cloud, Viber message types (at most 60 messages per session)
#   - ref: https://dexatel.com/blog/viber-session-messaging
#     description: Dexatel, Viber session messaging (24-hour session, up to 60 messages)
# custom:
#   id: viber/session-limit
#   effective: "2023"
reasons contains r if {
	in_session
	input.conversation.session_messages >= data.channels.viber.session_max_messages
	r := {"code": "SESSION_LIMIT", "rule": "viber/session-limit", "evidence": sprintf("%d messages in this session, at most %d", [input.conversation.session_messages, data.channels.viber.session_max_messages])}
}
