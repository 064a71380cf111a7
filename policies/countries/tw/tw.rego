# Taiwan: NCC rules as Taiwanese carriers enforce them.
package msgfilter.countries.tw

# METADATA
# title: No promotional messages to Taiwan from 12:30 to 13:30 and from 21:00 to 09:00 local time
# related_resources:
#   - ref: https://www.sent.dm/resources/tw-sms-guidance
#     description: Sent.dm, Taiwan SMS guidelines (no marketing 12:30-13:30 and 21:00-09:00, UTC+8)
# custom:
#   id: tw/promotional-quiet-hours
#   effective: "2025"
reasons contains r if {
	input.message.kind == "promotional"
	until := input.time.quiet_until.promotional
	r := {"code": "QUIET_HOURS", "rule": "tw/promotional-quiet-hours", "evidence": sprintf("quiet hours in %s until %s", [input.time.zone, until]), "until": until}
}
