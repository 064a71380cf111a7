# United Arab Emirates: TDRA's Mobile Spam Policy and carriers' A2P rules.
package msgfilter.countries.ae

# METADATA
# title: Promotional sender IDs to the UAE must start with AD-
# related_resources:
#   - ref: https://www.telerivet.com/blog/uae-sms-compliance-tdra-ad-prefix
#     description: TDRA rule, as carriers apply it, that promotional sender IDs carry the AD- prefix
#   - ref: https://turtl.tamimi.com/story/law-update-issue-348-tmt/page/13
#     description: Al Tamimi on the TDRA Mobile Spam Policy v1.0
# custom:
#   id: ae/promotional-ad-prefix
#   effective: "2020-11-03"
reasons contains r if {
	input.message.kind == "promotional"
	input.sender.kind == "alphanumeric"
	not startswith(upper(input.sender.raw), "AD-")
	r := {"code": "SENDER_ID_FORMAT", "rule": "ae/promotional-ad-prefix", "evidence": input.sender.raw}
}

# METADATA
# title: No promotional messages to the UAE from 21:00 to 07:00 local time
# related_resources:
#   - ref: https://messagecentral.com/en-in/blog/how-to-send-sms-to-the-uae
#     description: Message Central, sending SMS to the UAE (promotional window 07:00-21:00, UTC+4)
# custom:
#   id: ae/promotional-quiet-hours
#   effective: "2020-03-29"
reasons contains r if {
	input.message.kind == "promotional"
	until := input.time.quiet_until.promotional
	r := {"code": "QUIET_HOURS", "rule": "ae/promotional-quiet-hours", "evidence": sprintf("quiet hours in %s until %s", [input.time.zone, until]), "until": until}
}
