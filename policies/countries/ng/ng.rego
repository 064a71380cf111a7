# Nigeria: the Nigerian Communications Commission guidance on political and religious messages.
package msgfilter.countries.ng

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No hateful or violence-inciting political or religious content to Nigeria
# related_resources:
#   - ref: https://www.pulse.ng/bi/tech/heres-why-you-may-get-unsolicited-sms-from-your-network-provider-during-nigerias-2019/gbl0xk2
#     description: NCC guidance to operators and VAS providers - no political or religious content that is abusive, insulting, intimidating or incites violence, hatred or discrimination
#   - ref: https://itedgenews.africa/ncc-temporarily-suspends-dnd-enable-mnos-disseminate-voter-education-information
#     description: NCC guidance recalled with the 2019 DND suspension for voter education
# custom:
#   id: ng/hate-content
#   effective: "2019"
reasons contains r if {
	r := category_reason("hate", "HATE_CONTENT", "ng/hate-content")
}
