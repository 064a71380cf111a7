# Philippines: carriers' sender ID restrictions.
package msgfilter.countries.ph

# METADATA
# title: Sender IDs to the Philippines may not contain TEST, SMS or MESSAGE
# related_resources:
#   - ref: https://api.support.vonage.com/hc/en-us/articles/204017413-Philippines-SMS-Features-and-Restrictions
#     description: Vonage, Philippines SMS features and restrictions (sender ID limitations)
#   - ref: https://promotexter.freshdesk.com/support/solutions/articles/13000089442-what-are-the-sender-id-limitations-
#     description: Promotexter, sender ID limitations in the Philippines
# custom:
#   id: ph/sender-reserved-words
#   effective: "2020"
reasons contains r if {
	input.sender.kind == "alphanumeric"
	some word in ["TEST", "SMS", "MESSAGE"]
	contains(upper(input.sender.raw), word)
	r := {"code": "SENDER_ID_FORMAT", "rule": "ph/sender-reserved-words", "evidence": input.sender.raw}
}
