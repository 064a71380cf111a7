# United Arab Emirates: content rules under TDRA's Mobile Spam Policy as carriers apply them.
# Go finds the terms (policies/countries/ae/terms); these rules decide on the
# categories' scores. Content categories apply to every kind of message
# unless a rule says otherwise.
package msgfilter.countries.ae

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No political content to the UAE
# related_resources:
#   - ref: https://messagecentral.com/en-in/blog/how-to-send-sms-to-the-uae
#     description: Message Central, sending SMS to the UAE (no political, religious or gambling content)
#   - ref: https://turtl.tamimi.com/story/law-update-issue-348-tmt/page/13
#     description: Al Tamimi on the TDRA Mobile Spam Policy v1.0
# custom:
#   id: ae/political-content
#   effective: "2020-03-29"
reasons contains r if {
	r := category_reason("political", "POLITICAL_CONTENT", "ae/political-content")
}

# METADATA
# title: No religious content to the UAE
# related_resources:
#   - ref: https://messagecentral.com/en-in/blog/how-to-send-sms-to-the-uae
#     description: Message Central, sending SMS to the UAE (no political, religious or gambling content)
#   - ref: https://turtl.tamimi.com/story/law-update-issue-348-tmt/page/13
#     description: Al Tamimi on the TDRA Mobile Spam Policy v1.0
# custom:
#   id: ae/religious-content
#   effective: "2020-03-29"
reasons contains r if {
	r := category_reason("religious", "RELIGIOUS_CONTENT", "ae/religious-content")
}

# METADATA
# title: No gambling content to the UAE
# related_resources:
#   - ref: https://messagecentral.com/en-in/blog/how-to-send-sms-to-the-uae
#     description: Message Central, sending SMS to the UAE (no political, religious or gambling content)
#   - ref: https://turtl.tamimi.com/story/law-update-issue-348-tmt/page/13
#     description: Al Tamimi on the TDRA Mobile Spam Policy v1.0
# custom:
#   id: ae/gambling-content
#   effective: "2020-03-29"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "ae/gambling-content")
}

# METADATA
# title: No adult content to the UAE
# related_resources:
#   - ref: https://help.clicksend.com/article/0oom471yu5-united-arab-emirates-uae-dubai
#     description: ClickSend, United Arab Emirates, banned content (adult, drugs; loans and alcohol not named)
#   - ref: https://turtl.tamimi.com/story/law-update-issue-348-tmt/page/13
#     description: Al Tamimi on the TDRA Mobile Spam Policy v1.0
# custom:
#   id: ae/adult-content
#   effective: "2022"
reasons contains r if {
	r := category_reason("adult", "ADULT_CONTENT", "ae/adult-content")
}

# METADATA
# title: No loan content to the UAE
# related_resources:
#   - ref: https://help.clicksend.com/article/0oom471yu5-united-arab-emirates-uae-dubai
#     description: ClickSend, United Arab Emirates, banned content (adult, drugs; loans and alcohol not named)
#   - ref: https://turtl.tamimi.com/story/law-update-issue-348-tmt/page/13
#     description: Al Tamimi on the TDRA Mobile Spam Policy v1.0
# custom:
#   id: ae/loan-content
#   effective: "2022"
reasons contains r if {
	r := category_reason("loan", "LOAN_CONTENT", "ae/loan-content")
}

# METADATA
# title: No drugs content to the UAE
# related_resources:
#   - ref: https://help.clicksend.com/article/0oom471yu5-united-arab-emirates-uae-dubai
#     description: ClickSend, United Arab Emirates, banned content (adult, drugs; loans and alcohol not named)
#   - ref: https://turtl.tamimi.com/story/law-update-issue-348-tmt/page/13
#     description: Al Tamimi on the TDRA Mobile Spam Policy v1.0
# custom:
#   id: ae/drugs-content
#   effective: "2022"
reasons contains r if {
	r := category_reason("drugs", "DRUGS_CONTENT", "ae/drugs-content")
}

# METADATA
# title: No alcohol content to the UAE
# related_resources:
#   - ref: https://help.clicksend.com/article/0oom471yu5-united-arab-emirates-uae-dubai
#     description: ClickSend, United Arab Emirates, banned content (adult, drugs; loans and alcohol not named)
#   - ref: https://turtl.tamimi.com/story/law-update-issue-348-tmt/page/13
#     description: Al Tamimi on the TDRA Mobile Spam Policy v1.0
# custom:
#   id: ae/alcohol-content
#   effective: "2022"
reasons contains r if {
	r := category_reason("alcohol", "ALCOHOL_CONTENT", "ae/alcohol-content")
}

# METADATA
# title: No cryptocurrency content to the UAE
# related_resources:
#   - ref: https://help.clicksend.com/article/0oom471yu5-united-arab-emirates-uae-dubai
#     description: ClickSend, United Arab Emirates (banned - cryptocurrency, drugs/cannabis/vapes)
#   - ref: https://turtl.tamimi.com/story/law-update-issue-348-tmt/page/13
#     description: Al Tamimi on the TDRA Mobile Spam Policy v1.0
# custom:
#   id: ae/crypto-content
#   effective: "2020-03-29"
reasons contains r if {
	r := category_reason("crypto", "CRYPTO_CONTENT", "ae/crypto-content")
}

# METADATA
# title: No tobacco or vape content to the UAE
# related_resources:
#   - ref: https://help.clicksend.com/article/0oom471yu5-united-arab-emirates-uae-dubai
#     description: ClickSend, United Arab Emirates (banned - cryptocurrency, drugs/cannabis/vapes)
#   - ref: https://turtl.tamimi.com/story/law-update-issue-348-tmt/page/13
#     description: Al Tamimi on the TDRA Mobile Spam Policy v1.0
# custom:
#   id: ae/tobacco-content
#   effective: "2020-03-29"
reasons contains r if {
	r := category_reason("tobacco", "TOBACCO_CONTENT", "ae/tobacco-content")
}
