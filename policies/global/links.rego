# Link rules that apply to every destination: Go finds the links and what
# they are (links.Link); these rules only read the facts in input.links.
package msgfilter.global

# METADATA
# title: No links to a domain on the phishing feed
# description: >-
#   The link's host or one of its parent domains is on the phishing feed the
#   engine loaded (filter.WithPhishingFeed).
# related_resources:
#   - ref: https://docslib.org/doc/8738198/global-phishing-survey-trends-and-domain-name-use-in-2016
#     description: APWG Global Phishing Survey, trends and domain name use (2016)
# custom:
#   id: global/phishing-domain
#   effective: "2017-06-26"
reasons contains r if {
	some link in input.links
	link.phishing
	r := {"code": "PHISHING_DOMAIN", "rule": "global/phishing-domain", "evidence": link.url}
}

# METADATA
# title: No links to a look-alike of a protected brand domain
# description: >-
#   The link's domain is confusable (UTS #39 skeleton) with a protected
#   brand domain but is not that domain, like "pаypal.com" with a Cyrillic а.
# related_resources:
#   - ref: https://www.unicode.org/reports/tr39/
#     description: Unicode Technical Standard #39, Unicode Security Mechanisms (confusable detection)
# custom:
#   id: global/idn-homograph
#   effective: "2012-07-23"
reasons contains r if {
	some link in input.links
	link.homograph_of != ""
	r := {"code": "IDN_HOMOGRAPH", "rule": "global/idn-homograph", "evidence": link.url}
}

# METADATA
# title: Links to a bare IP address are held for review
# description: >-
#   Legitimate senders link to their domains; phishing kits often use a bare
#   IPv4 or IPv6 address, or a numeric form a browser reads as one.
# related_resources:
#   - ref: https://blogs.msmvps.com/donna/2006/03/29/january-phishing-activity-trends-report-by-anti-phishing-working-group/
#     description: APWG Phishing Activity Trends Report, January 2006 (30 % of phishing sites used an IP address)
# custom:
#   id: global/ip-literal-url
#   effective: "2006-03-24"
reasons contains r if {
	some link in input.links
	link.ip_literal
	r := {"code": "IP_LITERAL_URL", "rule": "global/ip-literal-url", "evidence": link.url}
}

# METADATA
# title: No links to a blocked domain
# description: >-
#   The link's host or a parent domain is on the global pack's, the
#   destination pack's or the tenant's blocked_domains list.
# related_resources:
#   - ref: https://pdfslide.us/documents/m3aawg-mobile-messaging-best-practices-for-service-account-identifier-and.html
#     description: M3AAWG Mobile Messaging Best Practices for Service Providers (act on abuse with operator block lists)
# custom:
#   id: global/domain-blocked
#   effective: "2014-07-31"
reasons contains r if {
	some link in input.links
	link.blocked
	r := {"code": "DOMAIN_BLOCKED", "rule": "global/domain-blocked", "evidence": link.url}
}
