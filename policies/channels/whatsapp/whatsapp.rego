# WhatsApp Business Platform.
package msgfilter.channels.whatsapp

# METADATA
# title: Outside the 24-hour customer service window WhatsApp takes only approved templates, transactional and OTP messages
# description: >-
#   Meta delivers an approved template (marketing, utility or authentication)
#   at any time; free-form messages only inside the window. The template is
#   the fact input.message.template (the approved template's name,
#   "" for free-form); without it only transactional and OTP kinds pass, as
#   before. A marketing template still obeys the destination's promotional
#   rules, which read the message's kind.
# related_resources:
#   - ref: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages
#     description: Meta, WhatsApp Cloud API, customer service windows and template messages
# custom:
#   id: whatsapp/customer-service-window
#   effective: "2022"
reasons contains r if {
	not input.message.kind in {"transactional", "otp"}
	not in_window
	not approved_template
	r := {"code": "OUTSIDE_SESSION_WINDOW", "rule": "whatsapp/customer-service-window", "evidence": window_evidence}
}

# approved_template: the message names the approved template it uses.
approved_template if {
	is_string(input.message.template)
	input.message.template != ""
}

in_window if {
	input.conversation.has_inbound
	input.conversation.inbound_age_minutes < data.channels.whatsapp.window_minutes
}

window_evidence := sprintf("last inbound %d minutes ago", [input.conversation.inbound_age_minutes]) if {
	input.conversation.has_inbound
} else := "no inbound message from the recipient"
