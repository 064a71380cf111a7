# India: TRAI's Telecom Commercial Communications Customer Preference
# Regulations (TCCCPR 2018) and the DLT header scheme.
package msgfilter.countries["in"]

# METADATA
# title: No promotional messages to India from 21:00 to 09:00 local time
# related_resources:
#   - ref: https://developer.enablex.io/docs/quickstart/sms/international-sms-regulations/country/india/
#     description: EnableX, India SMS regulations (promotional 09:00-21:00 IST)
#   - ref: https://trai.gov.in/tcccpr
#     description: TRAI Telecom Commercial Communications Customer Preference Regulations 2018, in force February 2019
# custom:
#   id: in/promotional-quiet-hours
#   effective: "2019-02-28"
reasons contains r if {
	input.message.kind == "promotional"
	until := input.time.quiet_until.promotional
	r := {"code": "QUIET_HOURS", "rule": "in/promotional-quiet-hours", "evidence": sprintf("quiet hours in %s until %s", [input.time.zone, until]), "until": until}
}

# METADATA
# title: Promotional messages to India use a 6-digit numeric header whose first digit is the category
# related_resources:
#   - ref: https://sendshortly.com/trai-guidelines.html
#     description: TRAI DLT headers, promotional headers are 6 digits, the first one the preference category
# custom:
#   id: in/promotional-numeric-header
#   effective: "2020-06-01"
reasons contains r if {
	input.message.kind == "promotional"
	not regex.match(`^([A-Za-z]{2}-)?[1-8][0-9]{5}(-[Pp])?$`, input.sender.raw)
	r := {"code": "SENDER_ID_FORMAT", "rule": "in/promotional-numeric-header", "evidence": input.sender.raw}
}

# METADATA
# title: Other messages to India use a 6-letter header, optionally behind an operator-circle prefix
# description: >-
#   Since 6 May 2025 operators append the message type to the header
#   (-S service, -T transactional, -G government; -P promotional), so a
#   gateway may see "VM-HDFCBK-S"; the suffix must match the kind's family.
# related_resources:
#   - ref: https://sendshortly.com/trai-guidelines.html
#     description: TRAI DLT headers, transactional and service headers are 6 letters (e.g. VM-HDFCBK)
#   - ref: https://crm.smsgatewayhub.com/knowledge-base/article/trai-new-update-introduction-of-an-identifier-all-a2p-sms-messages-will-include-a-new-identifier-suffix
#     description: TRAI TCCCPR 2025 amendment, header suffixes -P, -S, -T, -G from 6 May 2025
# custom:
#   id: in/alphanumeric-header
#   effective: "2020-06-01"
reasons contains r if {
	input.message.kind != "promotional"
	input.sender.kind == "alphanumeric"
	not regex.match(`^([A-Za-z]{2}-)?[A-Za-z]{6}(-[SsTtGg])?$`, input.sender.raw)
	r := {"code": "SENDER_ID_FORMAT", "rule": "in/alphanumeric-header", "evidence": input.sender.raw}
}
