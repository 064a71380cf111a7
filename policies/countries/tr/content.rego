# Turkey: content rules as Turkish carriers apply them.
# Go finds the terms (policies/countries/tr/terms); these rules decide on the
# categories' scores. Content categories apply to every kind of message
# unless a rule says otherwise.
package msgfilter.countries.tr

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No political content to Turkey
# related_resources:
#   - ref: https://d7networks.com/blog/sms-regulations-in-turkey
#     description: D7 Networks, SMS regulations in Turkey (gambling, politics, religion prohibited)
# custom:
#   id: tr/political-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("political", "POLITICAL_CONTENT", "tr/political-content")
}

# METADATA
# title: No religious content to Turkey
# related_resources:
#   - ref: https://d7networks.com/blog/sms-regulations-in-turkey
#     description: D7 Networks, SMS regulations in Turkey (gambling, politics, religion prohibited)
# custom:
#   id: tr/religious-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("religious", "RELIGIOUS_CONTENT", "tr/religious-content")
}

# METADATA
# title: No gambling content to Turkey
# related_resources:
#   - ref: https://d7networks.com/blog/sms-regulations-in-turkey
#     description: D7 Networks, SMS regulations in Turkey (gambling, politics, religion prohibited)
# custom:
#   id: tr/gambling-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "tr/gambling-content")
}
