package msgfilter.countries.th

# METADATA
# title: E.164 senders to Thailand must be Thai numbers
# description: >-
#   data.json's domestic_numeric_senders turns the rule on: Thai carriers
#   (AIS) block SMS from foreign numbers. Short codes and sender IDs are not
#   numbers with an origin and are left to other rules.
# related_resources:
#   - ref: https://www.twilio.com/guidelines/th/sms
#     description: Twilio SMS guidelines, Thailand (AIS blocks SMS from non-Thai numbers)
# custom:
#   id: th/sender-origin-mismatch
#   effective: "2025"
reasons contains r if {
	data.countries.th.domestic_numeric_senders
	input.sender.kind == "e164"
	input.sender.country != ""
	input.sender.country != input.message.country
	r := {"code": "SENDER_ORIGIN_MISMATCH", "rule": "th/sender-origin-mismatch", "evidence": input.sender.raw}
}
