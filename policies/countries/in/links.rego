package msgfilter.countries["in"]

# sender_domains.json beside this file maps a DLT header (without the
# operator-circle prefix: "VM-HDFCBK" is HDFCBK) to the link domains its
# sender registered; a domain covers its subdomains. Go turns it into
# input.links[].sender_registered. The file in the repository is an
# example with a few well-known headers: replace it with the registry your
# DLT operator exports.

# METADATA
# title: Links to India must be to a domain the sender whitelisted
# related_resources:
#   - ref: https://zeenews.india.com/technology/trais-big-step-to-curb-misuse-of-urls-in-messages-sms-to-come-into-effect-from-1-october-2799157.html
#     description: TRAI direction of 2024-08-20, URLs, APKs and OTT links must be whitelisted by the sender (from 2024-10-01)
# custom:
#   id: in/url-not-whitelisted
#   effective: "2024-10-01"
reasons contains r if {
	some link in input.links
	link.sender_registered == false
	r := {"code": "URL_NOT_WHITELISTED", "rule": "in/url-not-whitelisted", "evidence": link.url}
}
