# Kenya: the Communications Authority rules for bulk and political SMS as providers apply them.
package msgfilter.countries.ke

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No gambling content to Kenya
# related_resources:
#   - ref: https://messagecentral.com/blog/sms-regulations-for-kenya
#     description: Message Central, SMS regulations for Kenya - promotional 07:00-19:00, political only 08:00-18:00, no gambling, adult or hate content
# custom:
#   id: ke/gambling-content
#   effective: "2020"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "ke/gambling-content")
}

# METADATA
# title: No adult content to Kenya
# related_resources:
#   - ref: https://messagecentral.com/blog/sms-regulations-for-kenya
#     description: Message Central, SMS regulations for Kenya - promotional 07:00-19:00, political only 08:00-18:00, no gambling, adult or hate content
# custom:
#   id: ke/adult-content
#   effective: "2020"
reasons contains r if {
	r := category_reason("adult", "ADULT_CONTENT", "ke/adult-content")
}

# METADATA
# title: No hate content to Kenya
# related_resources:
#   - ref: https://messagecentral.com/blog/sms-regulations-for-kenya
#     description: Message Central, SMS regulations for Kenya - promotional 07:00-19:00, political only 08:00-18:00, no gambling, adult or hate content
#   - ref: http://allafrica.com/stories/201210250073.html
#     description: Communications Commission of Kenya rules on political SMS (24 October 2012) - 08:00-18:00, English or Kiswahili, vetted 48 hours ahead
# custom:
#   id: ke/hate-content
#   effective: "2012-10-24"
reasons contains r if {
	r := category_reason("hate", "HATE_CONTENT", "ke/hate-content")
}

# METADATA
# title: No promotional messages to Kenya from 19:00 to 07:00 local time
# related_resources:
#   - ref: https://www.kbc.co.ke/ca-wants-promotional-text-messages-sent-during-the-day/
#     description: Communications Authority draft Consumer Protection Regulations - marketing SMS only 07:00-19:00, with consent
#   - ref: https://messagecentral.com/blog/sms-regulations-for-kenya
#     description: Message Central, SMS regulations for Kenya - promotional 07:00-19:00, political only 08:00-18:00, no gambling, adult or hate content
# custom:
#   id: ke/promotional-quiet-hours
#   effective: "2020"
reasons contains r if {
	input.message.kind == "promotional"
	until := input.time.quiet_until.promotional
	r := {"code": "QUIET_HOURS", "rule": "ke/promotional-quiet-hours", "evidence": sprintf("quiet hours in %s until %s", [input.time.zone, until]), "until": until}
}

# METADATA
# title: Political messages to Kenya only from 08:00 to 18:00 local time
# description: >-
#   The regulator's rules for political bulk SMS (vetting, consent, language)
#   are beyond what a message shows; the sending hours are not.
# related_resources:
#   - ref: http://allafrica.com/stories/201210250073.html
#     description: Communications Commission of Kenya rules on political SMS (24 October 2012) - 08:00-18:00, English or Kiswahili, vetted 48 hours ahead
#   - ref: https://messagecentral.com/blog/sms-regulations-for-kenya
#     description: Message Central, SMS regulations for Kenya - promotional 07:00-19:00, political only 08:00-18:00, no gambling, adult or hate content
# custom:
#   id: ke/political-hours
#   effective: "2012-10-24"
reasons contains r if {
	found := input.content.categories.political
	found.score >= 2
	until := input.time.quiet_until.political
	r := {"code": "QUIET_HOURS", "rule": "ke/political-hours", "evidence": concat(", ", found.evidence), "until": until}
}
