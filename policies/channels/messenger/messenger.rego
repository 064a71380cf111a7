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
	input.conversation.inbound_age_minutes < data.msgfilter.channels.messenger.window_minutes
}

window_evidence := sprintf("last inbound %d minutes ago", [input.conversation.inbound_age_minutes]) if {
	input.conversation.has_inbound
} else := "no inbound message from the recipient"
