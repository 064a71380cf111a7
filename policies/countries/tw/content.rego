# Taiwan: content rules as Taiwanese carriers apply them.
# Go finds the terms (policies/countries/tw/terms); these rules decide on the
# categories' scores. Content categories apply to every kind of message
# unless a rule says otherwise.
package msgfilter.countries.tw

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No political content to Taiwan
# related_resources:
#   - ref: https://www.sent.dm/resources/tw-sms-guidance
#     description: Sent.dm, Taiwan SMS guidelines (political or religious messages prohibited)
# custom:
#   id: tw/political-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("political", "POLITICAL_CONTENT", "tw/political-content")
}

# METADATA
# title: No religious content to Taiwan
# related_resources:
#   - ref: https://www.sent.dm/resources/tw-sms-guidance
#     description: Sent.dm, Taiwan SMS guidelines (political or religious messages prohibited)
# custom:
#   id: tw/religious-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("religious", "RELIGIOUS_CONTENT", "tw/religious-content")
}
