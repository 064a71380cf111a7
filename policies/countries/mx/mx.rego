# Mexico: the operators' content rules for A2P SMS (Telcel, AT&T, Movistar) as providers publish them.
package msgfilter.countries.mx

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No political content to Mexico
# related_resources:
#   - ref: https://help.clicksend.com/article/rh9t2pjdja-mexico
#     description: ClickSend, Mexico - operators bar political content promoting a candidate or cause, religious content, raffles, alcohol and adult content
#   - ref: https://support.twilio.com/hc/en-us/articles/1260800381110-Mexico-Short-Codes-Best-Practices
#     description: Twilio, Mexico short codes - adult, political causes and politicians, religious and explicit sexual content not allowed
# custom:
#   id: mx/political-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("political", "POLITICAL_CONTENT", "mx/political-content")
}

# METADATA
# title: No religious content to Mexico
# related_resources:
#   - ref: https://help.clicksend.com/article/rh9t2pjdja-mexico
#     description: ClickSend, Mexico - operators bar political content promoting a candidate or cause, religious content, raffles, alcohol and adult content
#   - ref: https://support.twilio.com/hc/en-us/articles/1260800381110-Mexico-Short-Codes-Best-Practices
#     description: Twilio, Mexico short codes - adult, political causes and politicians, religious and explicit sexual content not allowed
# custom:
#   id: mx/religious-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("religious", "RELIGIOUS_CONTENT", "mx/religious-content")
}

# METADATA
# title: No adult content to Mexico
# related_resources:
#   - ref: https://help.clicksend.com/article/rh9t2pjdja-mexico
#     description: ClickSend, Mexico - operators bar political content promoting a candidate or cause, religious content, raffles, alcohol and adult content
#   - ref: https://support.twilio.com/hc/en-us/articles/1260800381110-Mexico-Short-Codes-Best-Practices
#     description: Twilio, Mexico short codes - adult, political causes and politicians, religious and explicit sexual content not allowed
# custom:
#   id: mx/adult-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("adult", "ADULT_CONTENT", "mx/adult-content")
}

# METADATA
# title: No alcohol content to Mexico
# related_resources:
#   - ref: https://help.clicksend.com/article/rh9t2pjdja-mexico
#     description: ClickSend, Mexico - operators bar political content promoting a candidate or cause, religious content, raffles, alcohol and adult content
# custom:
#   id: mx/alcohol-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("alcohol", "ALCOHOL_CONTENT", "mx/alcohol-content")
}
