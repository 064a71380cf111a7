# WhatsApp Business Platform.
package msgfilter.channels.whatsapp

# METADATA
# title: Outside the 24-hour customer service window WhatsApp takes only transactional and OTP messages
# description: >-
#   Stricter than Meta, which also allows approved marketing templates outside
#   the window: template approval is not visible here.
# related_resources:
#   - ref: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages
#     description: Meta, WhatsApp Cloud API, customer service windows and template messages
# custom:
#   id: whatsapp/customer-service-window
#   effective: "2022"
reasons contains r if {
	not input.message.kind in {"transactional", "otp"}
	not in_window
	r := {"code": "OUTSIDE_SESSION_WINDOW", "rule": "whatsapp/customer-service-window", "evidence": window_evidence}
}

in_window if {
	input.conversation.has_inbound
	input.conversation.inbound_age_minutes < data.msgfilter.channels.whatsapp.window_minutes
}

window_evidence := sprintf("last inbound %d minutes ago", [input.conversation.inbound_age_minutes]) if {
	input.conversation.has_inbound
} else := "no inbound message from the recipient"
