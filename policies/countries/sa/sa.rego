# Saudi Arabia: CST (formerly CITC) spam controls as carriers and providers apply them.
package msgfilter.countries.sa

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No gambling content to Saudi Arabia
# related_resources:
#   - ref: https://www.clickatell.com/help-center/sms/country-regulations/saudi-arabia-sms-messaging-regulations-and-restrictions
#     description: Clickatell, Saudi Arabia SMS regulations - messages with adult content and gambling are not allowed
#   - ref: https://www.stc.com.sa/wps/wcm/connect/english/business/spam-sms
#     description: stc, CITC Decision No. 395/1439 AH (3/11/1439 AH) adopting the spam controls
# custom:
#   id: sa/gambling-content
#   effective: "2018-07-16"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "sa/gambling-content")
}

# METADATA
# title: No adult content to Saudi Arabia
# related_resources:
#   - ref: https://www.clickatell.com/help-center/sms/country-regulations/saudi-arabia-sms-messaging-regulations-and-restrictions
#     description: Clickatell, Saudi Arabia SMS regulations - messages with adult content and gambling are not allowed
#   - ref: https://www.stc.com.sa/wps/wcm/connect/english/business/spam-sms
#     description: stc, CITC Decision No. 395/1439 AH (3/11/1439 AH) adopting the spam controls
# custom:
#   id: sa/adult-content
#   effective: "2018-07-16"
reasons contains r if {
	r := category_reason("adult", "ADULT_CONTENT", "sa/adult-content")
}

# METADATA
# title: No promotional messages to Saudi Arabia from 21:00 to 09:00 local time
# description: >-
#   Sources disagree on the window: Unifonic gives 09:00-22:00 for promotional and awareness
#   messages and 07:00-21:00 for marketing, Clickatell 08:00-21:00. The pack keeps
#   the hours every source allows, 09:00-21:00, Asia/Riyadh.
# related_resources:
#   - ref: https://docs.unifonic.com/docs/compliance-sms
#     description: Unifonic, SMS compliance under CST rules - message types and sending hours
#   - ref: https://www.clickatell.com/help-center/sms/country-regulations/saudi-arabia-sms-messaging-regulations-and-restrictions
#     description: Clickatell, Saudi Arabia SMS regulations - messages with adult content and gambling are not allowed
# custom:
#   id: sa/promotional-quiet-hours
#   effective: "2018-07-16"
reasons contains r if {
	input.message.kind == "promotional"
	until := input.time.quiet_until.promotional
	r := {"code": "QUIET_HOURS", "rule": "sa/promotional-quiet-hours", "evidence": sprintf("quiet hours in %s until %s", [input.time.zone, until]), "until": until}
}

# METADATA
# title: Promotional sender IDs to Saudi Arabia end with AD
# related_resources:
#   - ref: https://160.com.au/saudi-arabia-sms-laws-and-regulations
#     description: 160.com.au, Saudi Arabia SMS laws - all promotional sender IDs need AD added to the end (Google AD, Google-AD)
#   - ref: https://www.stc.com.sa/wps/wcm/connect/english/business/spam-sms
#     description: stc, CITC Decision No. 395/1439 AH (3/11/1439 AH) adopting the spam controls
# custom:
#   id: sa/promotional-ad-suffix
#   effective: "2018-07-16"
reasons contains r if {
	input.message.kind == "promotional"
	input.sender.kind == "alphanumeric"
	not regex.match(`(?i)[ -]AD$`, input.sender.raw)
	r := {"code": "SENDER_ID_FORMAT", "rule": "sa/promotional-ad-suffix", "evidence": input.sender.raw}
}
