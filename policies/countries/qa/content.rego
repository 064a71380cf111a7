# Qatar: content rules as carriers apply them (CRA publishes no SMS content text).
# Go finds the terms (policies/countries/qa/terms); these rules decide on the
# categories' scores. Content categories apply to every kind of message
# unless a rule says otherwise.
package msgfilter.countries.qa

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No political or governmental content to Qatar
# related_resources:
#   - ref: https://www.sent.dm/resources/qatar-sms-guide
#     description: Sent.dm, Qatar SMS guide (adult, political, religious content and government impersonation prohibited)
# custom:
#   id: qa/political-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("political", "POLITICAL_CONTENT", "qa/political-content")
}

# METADATA
# title: No religious content to Qatar
# related_resources:
#   - ref: https://www.sent.dm/resources/qatar-sms-guide
#     description: Sent.dm, Qatar SMS guide (adult, political, religious content and government impersonation prohibited)
# custom:
#   id: qa/religious-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("religious", "RELIGIOUS_CONTENT", "qa/religious-content")
}

# METADATA
# title: No adult content to Qatar
# related_resources:
#   - ref: https://www.sent.dm/resources/qatar-sms-guide
#     description: Sent.dm, Qatar SMS guide (adult, political, religious content and government impersonation prohibited)
# custom:
#   id: qa/adult-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("adult", "ADULT_CONTENT", "qa/adult-content")
}
