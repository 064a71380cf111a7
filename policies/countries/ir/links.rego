package msgfilter.countries.ir

# METADATA
# title: No links in messages to Iran
# related_resources:
#   - ref: https://static0.twilio.com/en-us/guidelines/ir/sms
#     description: Twilio SMS guidelines for Iran (URL links are not allowed)
# custom:
#   id: ir/url-not-allowed
#   effective: "2025"
reasons contains r if {
	some link in input.links
	r := {"code": "URL_NOT_ALLOWED", "rule": "ir/url-not-allowed", "evidence": link.url}
}
