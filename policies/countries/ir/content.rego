# Iran: content rules as carriers apply them (Twilio's Iran guidelines).
# Go finds the terms (policies/countries/ir/terms); these rules decide on the
# categories' scores. Content categories apply to every kind of message
# unless a rule says otherwise.
package msgfilter.countries.ir

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No political content to Iran
# related_resources:
#   - ref: https://static0.twilio.com/en-us/guidelines/ir/sms
#     description: Twilio SMS guidelines, Iran (gambling, betting, political, religious or adult content prohibited)
# custom:
#   id: ir/political-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("political", "POLITICAL_CONTENT", "ir/political-content")
}

# METADATA
# title: No religious content to Iran
# related_resources:
#   - ref: https://static0.twilio.com/en-us/guidelines/ir/sms
#     description: Twilio SMS guidelines, Iran (gambling, betting, political, religious or adult content prohibited)
# custom:
#   id: ir/religious-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("religious", "RELIGIOUS_CONTENT", "ir/religious-content")
}

# METADATA
# title: No gambling content to Iran
# related_resources:
#   - ref: https://static0.twilio.com/en-us/guidelines/ir/sms
#     description: Twilio SMS guidelines, Iran (gambling, betting, political, religious or adult content prohibited)
# custom:
#   id: ir/gambling-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "ir/gambling-content")
}

# METADATA
# title: No adult content to Iran
# related_resources:
#   - ref: https://static0.twilio.com/en-us/guidelines/ir/sms
#     description: Twilio SMS guidelines, Iran (gambling, betting, political, religious or adult content prohibited)
# custom:
#   id: ir/adult-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("adult", "ADULT_CONTENT", "ir/adult-content")
}
