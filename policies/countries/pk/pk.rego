# Pakistan: PTA rules against obnoxious communication.
package msgfilter.countries.pk

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No obscene or adult content to Pakistan
# related_resources:
#   - ref: https://propakistani.pk/2009/08/19/protection-from-spam-unsolicited-fraudulent-and-obnoxious-communication-regulations-2009/
#     description: PTA Protection from Spam, Unsolicited, Fraudulent and Obnoxious Communication Regulations 2009, effective 5 August 2009 - operators filter spam and obnoxious messages
#   - ref: http://www.gmanews.tv/story/239561/technology/pakistan-telecom-authority-aims-to-ban-rude-sms-messages
#     description: PTA directs operators to block SMS with obscene words (English and Urdu lists)
# custom:
#   id: pk/adult-content
#   effective: "2009-08-05"
reasons contains r if {
	r := category_reason("adult", "ADULT_CONTENT", "pk/adult-content")
}
