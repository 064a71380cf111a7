package msgfilter.countries.us

# METADATA
# title: No public link shorteners in messages to the United States
# description: >-
#   US carriers filter shared public shorteners (bit.ly, tinyurl.com...);
#   a sender's own branded short domain is not on the shortener list.
# related_resources:
#   - ref: https://support.twilio.com/hc/en-us/articles/360045004974-Forbidden-message-categories-for-SMS-and-MMS-in-the-US-and-Canada
#     description: Twilio, forbidden message categories in the US and Canada (public URL shorteners)
#   - ref: https://docslib.org/doc/1645763/t-mobile-code-of-conduct
#     description: T-Mobile Code of Conduct, effective 2020-09-01
# custom:
#   id: us/url-shortener
#   effective: "2020-09-01"
reasons contains r if {
	some link in input.links
	link.shortener
	r := {"code": "URL_SHORTENER", "rule": "us/url-shortener", "evidence": link.url}
}
