package msgfilter.countries.cn

# METADATA
# title: No links in messages to China
# related_resources:
#   - ref: https://docs.bird.com/connectivity-platform/country-restrictions-and-regulations/china
#     description: Bird, country restrictions for China (all networks block messages with a URL)
# custom:
#   id: cn/url-not-allowed
#   effective: "2025"
reasons contains r if {
	some link in input.links
	r := {"code": "URL_NOT_ALLOWED", "rule": "cn/url-not-allowed", "evidence": link.url}
}
