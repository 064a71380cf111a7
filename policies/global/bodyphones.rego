# A premium-rate number written in the body of a promotional message. Go
# finds the body's numbers and their type (internal/bodyphones Number.Type,
# content.phone_numbers[_].type); a number without a known type is silent.
package msgfilter.global

# METADATA
# title: Promotional messages may not push a premium-rate number
# description: >-
#   A promotional body that asks the recipient to call or text a premium-rate
#   number invites costly replies and call-backs, the same fraud flow as a
#   premium-rate sender. The number's type comes from the libphonenumber
#   metadata.
# related_resources:
#   - ref: https://www.infobip.com/glossary/premium-sms-number
#     description: Infobip, premium SMS numbers and their abuse
#   - ref: https://docslib.org/download/1501839/messaging-principles-and-best-practices-july-2019
#     description: CTIA Messaging Principles and Best Practices (premium and high-cost content)
# custom:
#   id: global/body-premium-rate
#   effective: "2026-11-29"
reasons contains r if {
	input.message.kind == "promotional"
	some n in input.content.phone_numbers
	n.type == "premium_rate"
	r := {"code": "SENDER_PREMIUM_RATE", "rule": "global/body-premium-rate", "evidence": n.text}
}
