# Messenger Platform.
package msgfilter.channels.messenger

# METADATA
# title: Messenger promotional messages only within 24 hours of the user's last message
# related_resources:
#   - ref: https://developers.facebook.com/documentation/business-messaging/messenger-platform/policy/
#     description: Meta, Messenger Platform policy, standard messaging window and message tags
# custom:
#   id: messenger/standard-window
#   effective: "2020-03-04"
reasons contains r if {
	promotional
	not in_window
	r := {"code": "OUTSIDE_SESSION_WINDOW", "rule": "messenger/standard-window", "evidence": window_evidence}
}

# Meta counts a link as promotional content whatever the message's kind.
promotional if input.message.kind == "promotional"

promotional if count(input.links) > 0

in_window if {
	input.conversation.has_inbound
	input.conversation.inbound_age_minutes < data.channels.messenger.window_minutes
}

window_evidence := sprintf("last inbound %d minutes ago", [input.conversation.inbound_age_minutes]) if {
	input.conversation.has_inbound
} else := "no inbound message from the recipient"

# METADATA
# title: Outside the standard window a Messenger message needs a message tag that fits it
# description: >-
#   Reads the fact input.message.tag ("" for none); without it the
#   rule does not fire. Only CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE,
#   ACCOUNT_UPDATE and HUMAN_AGENT (within 7 days of the user's last
#   message) remain; a tag never covers promotion, which
#   messenger/standard-window blocks outside the window whatever the tag.
# related_resources:
#   - ref: https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags
#     description: Meta, Messenger Platform message tags (the four supported tags, HUMAN_AGENT within 7 days)
#   - ref: https://developers.facebook.com/documentation/business-messaging/messenger-platform/policy/
#     description: Meta, Messenger Platform policy, standard messaging window and message tags
# custom:
#   id: messenger/message-tag
#   effective: "2020-03-04"
reasons contains r if {
	not promotional
	not in_window
	is_string(input.message.tag)
	problem := tag_problem(input.message.tag)
	r := {"code": "OUTSIDE_SESSION_WINDOW", "rule": "messenger/message-tag", "evidence": problem}
}

tag_problem(tag) := "no message tag" if tag == ""

tag_problem(tag) := sprintf("%s is not a supported message tag", [tag]) if {
	tag != ""
	not data.channels.messenger.tags[tag]
}

tag_problem(tag) := sprintf("%s only within %d minutes of the user's last message", [tag, limit]) if {
	limit := data.channels.messenger.tags[tag].max_inbound_age_minutes
	limit > 0
	not within(limit)
}

within(limit) if {
	input.conversation.has_inbound
	input.conversation.inbound_age_minutes < limit
}
