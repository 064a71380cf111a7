# Hong Kong: content rules as carriers apply them.
# Go finds the terms (policies/countries/hk/terms); these rules decide on the
# categories' scores. Content categories apply to every kind of message
# unless a rule says otherwise.
package msgfilter.countries.hk

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No political content to Hong Kong
# related_resources:
#   - ref: https://help.clicksend.com/article/wgr1pqzy1v-hong-kong
#     description: ClickSend, Hong Kong, forbidden content (gambling; political and religious unconfirmed)
# custom:
#   id: hk/political-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("political", "POLITICAL_CONTENT", "hk/political-content")
}

# METADATA
# title: No religious content to Hong Kong
# related_resources:
#   - ref: https://help.clicksend.com/article/wgr1pqzy1v-hong-kong
#     description: ClickSend, Hong Kong, forbidden content (gambling; political and religious unconfirmed)
# custom:
#   id: hk/religious-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("religious", "RELIGIOUS_CONTENT", "hk/religious-content")
}

# METADATA
# title: No gambling content to Hong Kong
# related_resources:
#   - ref: https://help.clicksend.com/article/wgr1pqzy1v-hong-kong
#     description: ClickSend, Hong Kong, forbidden content (gambling; political and religious unconfirmed)
# custom:
#   id: hk/gambling-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "hk/gambling-content")
}
