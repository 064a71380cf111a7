package msgfilter.countries.ae

# METADATA
# title: No links in messages to the UAE
# description: >-
#   Stricter than the sources, which name chat-app links and URL filtering
#   (SOURCES.md): DESIGN.md bars every link.
# related_resources:
#   - ref: https://messagecentral.com/en-in/blog/how-to-send-sms-to-the-uae
#     description: Message Central, sending SMS to the UAE (URL filtering, no WhatsApp or LINE links)
# custom:
#   id: ae/url-not-allowed
#   effective: "2020-03-29"
reasons contains r if {
	some link in input.links
	r := {"code": "URL_NOT_ALLOWED", "rule": "ae/url-not-allowed", "evidence": link.url}
}

# METADATA
# title: No phone numbers in the body of messages to the UAE
# description: >-
#   A call-back number in the body routes recipients around the registered
#   sender. No source states this for the UAE (SOURCES.md): it is DESIGN.md's
#   rule, kept with the content restrictions the source below lists.
# related_resources:
#   - ref: https://messagecentral.com/en-in/blog/how-to-send-sms-to-the-uae
#     description: Message Central, sending SMS to the UAE (content restrictions)
# custom:
#   id: ae/phone-number-not-allowed
#   effective: "2020-03-29"
reasons contains r if {
	some number in input.content.phone_numbers
	r := {"code": "PHONE_NUMBER_NOT_ALLOWED", "rule": "ae/phone-number-not-allowed", "evidence": number.text}
}
