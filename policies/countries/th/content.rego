# Thailand: content rules under NBTC as Thai carriers apply them.
# Go finds the terms (policies/countries/th/terms); these rules decide on the
# categories' scores. Content categories apply to every kind of message
# unless a rule says otherwise.
package msgfilter.countries.th

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No political content to Thailand
# related_resources:
#   - ref: https://www.twilio.com/guidelines/th/sms
#     description: Twilio SMS guidelines, Thailand (pornography, politics, religion, gambling, unlicensed loans)
#   - ref: https://www.sent.dm/resources/th_sms_guidance
#     description: Sent.dm, Thailand SMS guidelines (controlled substances, alcohol, firearms restricted)
# custom:
#   id: th/political-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("political", "POLITICAL_CONTENT", "th/political-content")
}

# METADATA
# title: No religious content to Thailand
# related_resources:
#   - ref: https://www.twilio.com/guidelines/th/sms
#     description: Twilio SMS guidelines, Thailand (pornography, politics, religion, gambling, unlicensed loans)
#   - ref: https://www.sent.dm/resources/th_sms_guidance
#     description: Sent.dm, Thailand SMS guidelines (controlled substances, alcohol, firearms restricted)
# custom:
#   id: th/religious-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("religious", "RELIGIOUS_CONTENT", "th/religious-content")
}

# METADATA
# title: No gambling content to Thailand
# related_resources:
#   - ref: https://www.twilio.com/guidelines/th/sms
#     description: Twilio SMS guidelines, Thailand (pornography, politics, religion, gambling, unlicensed loans)
#   - ref: https://www.sent.dm/resources/th_sms_guidance
#     description: Sent.dm, Thailand SMS guidelines (controlled substances, alcohol, firearms restricted)
# custom:
#   id: th/gambling-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "th/gambling-content")
}

# METADATA
# title: No adult content to Thailand
# related_resources:
#   - ref: https://www.twilio.com/guidelines/th/sms
#     description: Twilio SMS guidelines, Thailand (pornography, politics, religion, gambling, unlicensed loans)
#   - ref: https://www.sent.dm/resources/th_sms_guidance
#     description: Sent.dm, Thailand SMS guidelines (controlled substances, alcohol, firearms restricted)
# custom:
#   id: th/adult-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("adult", "ADULT_CONTENT", "th/adult-content")
}

# METADATA
# title: No loan content to Thailand
# related_resources:
#   - ref: https://www.twilio.com/guidelines/th/sms
#     description: Twilio SMS guidelines, Thailand (pornography, politics, religion, gambling, unlicensed loans)
#   - ref: https://www.sent.dm/resources/th_sms_guidance
#     description: Sent.dm, Thailand SMS guidelines (controlled substances, alcohol, firearms restricted)
# custom:
#   id: th/loan-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("loan", "LOAN_CONTENT", "th/loan-content")
}

# METADATA
# title: No firearms content to Thailand
# related_resources:
#   - ref: https://www.sent.dm/resources/th_sms_guidance
#     description: Sent.dm, Thailand SMS guidelines (controlled substances, alcohol, firearms restricted)
#   - ref: https://www.twilio.com/guidelines/th/sms
#     description: Twilio SMS guidelines, Thailand (pornography, politics, religion, gambling, unlicensed loans)
# custom:
#   id: th/firearms-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("firearms", "FIREARMS_CONTENT", "th/firearms-content")
}

# METADATA
# title: No drugs content to Thailand
# related_resources:
#   - ref: https://www.sent.dm/resources/th_sms_guidance
#     description: Sent.dm, Thailand SMS guidelines (controlled substances, alcohol, firearms restricted)
#   - ref: https://www.twilio.com/guidelines/th/sms
#     description: Twilio SMS guidelines, Thailand (pornography, politics, religion, gambling, unlicensed loans)
# custom:
#   id: th/drugs-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("drugs", "DRUGS_CONTENT", "th/drugs-content")
}

# METADATA
# title: No alcohol content to Thailand
# related_resources:
#   - ref: https://www.sent.dm/resources/th_sms_guidance
#     description: Sent.dm, Thailand SMS guidelines (controlled substances, alcohol, firearms restricted)
#   - ref: https://www.twilio.com/guidelines/th/sms
#     description: Twilio SMS guidelines, Thailand (pornography, politics, religion, gambling, unlicensed loans)
# custom:
#   id: th/alcohol-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("alcohol", "ALCOHOL_CONTENT", "th/alcohol-content")
}

# METADATA
# title: No tobacco or e-cigarette content to Thailand
# related_resources:
#   - ref: https://tobaccocontrollaws.org/legislation/thailand/advertising-promotion-sponsorship/action-required-for-advertising-promotion-and-sponsorships-not-banned
#     description: Tobacco Control Laws (Campaign for Tobacco-Free Kids), Thailand - Tobacco Products Control Act B.E. 2560 (2017) intends a comprehensive ban on tobacco advertising and promotion
#   - ref: https://lawplusltd.com/2017/06/brand-restriction-thailand-2017
#     description: LawPlus, TPCA 2017 s. 30 bans any advertising or marketing communication of tobacco products; in force 5 July 2017
#   - ref: https://globaltobaccocontrol.org/vi/e-cigarette/thailand
#     description: Global Tobacco Control (Johns Hopkins), Thailand - import and sale of e-cigarettes banned (Ministry of Commerce notification, Consumer Protection Board order)
# custom:
#   id: th/tobacco-content
#   effective: "2017-07-05"
reasons contains r if {
	r := category_reason("tobacco", "TOBACCO_CONTENT", "th/tobacco-content")
}
