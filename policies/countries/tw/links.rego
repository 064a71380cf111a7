package msgfilter.countries.tw

# METADATA
# title: No shortened links in messages to Taiwan
# related_resources:
#   - ref: https://sent.dm/resources/tw_sms_guidance
#     description: Sent.dm, Taiwan SMS guidelines (shortened URLs are strictly prohibited)
# custom:
#   id: tw/url-shortener
#   effective: "2025"
reasons contains r if {
	some link in input.links
	link.shortener
	r := {"code": "URL_SHORTENER", "rule": "tw/url-shortener", "evidence": link.url}
}
