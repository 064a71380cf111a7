# Malaysia: content rules as Malaysian carriers apply them.
# Go finds the terms (policies/countries/my/terms); these rules decide on the
# categories' scores. Content categories apply to every kind of message
# unless a rule says otherwise.
package msgfilter.countries.my

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No political content to Malaysia
# related_resources:
#   - ref: https://help.clicksend.com/article/97cskdj6x3-malaysia
#     description: ClickSend, Malaysia, forbidden content (political, gambling, religion)
#   - ref: https://kb.b3networks.com/article/dkqf2xiyvr-malaysian-regulatory-requirement-for-sending-sms-to-malaysia
#     description: b3networks, Malaysian regulatory requirements (gambling, political content not delivered)
# custom:
#   id: my/political-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("political", "POLITICAL_CONTENT", "my/political-content")
}

# METADATA
# title: No religious content to Malaysia
# related_resources:
#   - ref: https://help.clicksend.com/article/97cskdj6x3-malaysia
#     description: ClickSend, Malaysia, forbidden content (political, gambling, religion)
#   - ref: https://kb.b3networks.com/article/dkqf2xiyvr-malaysian-regulatory-requirement-for-sending-sms-to-malaysia
#     description: b3networks, Malaysian regulatory requirements (gambling, political content not delivered)
# custom:
#   id: my/religious-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("religious", "RELIGIOUS_CONTENT", "my/religious-content")
}

# METADATA
# title: No gambling content to Malaysia
# related_resources:
#   - ref: https://help.clicksend.com/article/97cskdj6x3-malaysia
#     description: ClickSend, Malaysia, forbidden content (political, gambling, religion)
#   - ref: https://kb.b3networks.com/article/dkqf2xiyvr-malaysian-regulatory-requirement-for-sending-sms-to-malaysia
#     description: b3networks, Malaysian regulatory requirements (gambling, political content not delivered)
# custom:
#   id: my/gambling-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "my/gambling-content")
}

# METADATA
# title: No adult content to Malaysia
# related_resources:
#   - ref: https://help.clicksend.com/article/97cskdj6x3-malaysia
#     description: ClickSend, Malaysia (forbidden - adult, political, gambling, religion)
#   - ref: https://kb.b3networks.com/article/dkqf2xiyvr-malaysian-regulatory-requirement-for-sending-sms-to-malaysia
#     description: b3networks, Malaysian regulatory requirement (sexual content not delivered)
# custom:
#   id: my/adult-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("adult", "ADULT_CONTENT", "my/adult-content")
}
