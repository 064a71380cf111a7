# Thailand: NBTC rules as Thai carriers enforce them.
package msgfilter.countries.th

# METADATA
# title: No promotional messages to Thailand from 21:00 to 09:00 local time
# related_resources:
#   - ref: https://www.sent.dm/resources/th_sms_guidance
#     description: Sent.dm, Thailand SMS guidelines (promotional 09:00-21:00 ICT)
# custom:
#   id: th/promotional-quiet-hours
#   effective: "2025"
reasons contains r if {
	input.message.kind == "promotional"
	until := input.time.quiet_until.promotional
	r := {"code": "QUIET_HOURS", "rule": "th/promotional-quiet-hours", "evidence": sprintf("quiet hours in %s until %s", [input.time.zone, until]), "until": until}
}
