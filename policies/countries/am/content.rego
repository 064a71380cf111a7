# Armenia: content rules as Armenian carriers apply them (Revicom, Sent.dm).
# Go finds the terms (policies/countries/am/terms); these rules decide on the
# categories' scores. Content categories apply to every kind of message
# unless a rule says otherwise.
package msgfilter.countries.am

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No political content to Armenia
# related_resources:
#   - ref: https://rules.revicom.ltd/country-regulations
#     description: Revicom, country regulations, Armenia (political content, gambling forbidden)
#   - ref: https://www.sent.dm/resources/am-sms-guidance
#     description: Sent.dm, Armenia SMS guidelines (restricted, gambling, political campaigns)
# custom:
#   id: am/political-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("political", "POLITICAL_CONTENT", "am/political-content")
}

# METADATA
# title: No gambling content to Armenia except in transactional messages
# related_resources:
#   - ref: https://rules.revicom.ltd/country-regulations
#     description: Revicom, country regulations, Armenia (political content, gambling forbidden)
#   - ref: https://www.sent.dm/resources/am-sms-guidance
#     description: Sent.dm, Armenia SMS guidelines (restricted, gambling, political campaigns)
# custom:
#   id: am/gambling-content
#   effective: "2025"
reasons contains r if {
	input.message.kind != "transactional"
	r := category_reason("gambling", "GAMBLING_CONTENT", "am/gambling-content")
}
