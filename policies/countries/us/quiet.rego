# United States: when promotional messages may reach the recipient, in the
# recipient's own local time, and how many on one subject a day.
#
# The engine computes, in every zone of the recipient number (the strictest
# reading where a number spans zones), when each spec of data.json's
# quiet_hours lets the message go: input.time.quiet_until.<spec>, absent when
# the spec does not hold it back. The state rules pick their spec by the
# number's state, input.recipient.region ("US-FL"; "" when unknown).
#
# input.conversation.same_subject_24h ({"count": n, "reopens": RFC 3339}: the
# promotional messages of the same campaign already let through to the
# recipient in 24 h, and when the oldest leaves the window) comes from the
# state store (filter/subject.go), for the regions of data.json's
# same_subject_limit, once the count reaches the region's limit; absent
# otherwise (and without a store), when us/same-subject-limit stays silent.
package msgfilter.countries.us

# quiet_evidence(until) is the evidence: the recipient's zone and the first
# instant the rule lets the message go. Not the local time to the minute:
# the decision depends on the zone and that instant only, so that a
# message held at 21:10 and one held at 21:11 share a decision (the fact
# cache's policy-aware key sees what a rule reads, the evidence too).
quiet_evidence(until) := sprintf("quiet hours in %s until %s", [input.time.zone, until])

state_quiet(region) := until if {
	input.message.kind == "promotional"
	input.recipient.region == region
	until := input.time.quiet_until[concat("_", ["promotional", region])]
}

# METADATA
# title: No promotional messages to the United States before 08:00 or from 21:00, recipient's local time (TCPA)
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-47/chapter-I/subchapter-B/part-64/subpart-L/section-64.1200
#     description: 47 CFR 64.1200(c)(1), no telephone solicitation before 8 a.m. or after 9 p.m. local time at the called party's location
# custom:
#   id: us/promotional-quiet-hours
#   effective: "1992-12-20"
reasons contains r if {
	input.message.kind == "promotional"
	until := input.time.quiet_until.promotional
	r := {"code": "QUIET_HOURS", "rule": "us/promotional-quiet-hours", "evidence": quiet_evidence(until), "until": until}
}

# METADATA
# title: No promotional messages to Florida before 08:00 or from 20:00 local time (Florida Telemarketing Act)
# related_resources:
#   - ref: https://www.flsenate.gov/Laws/Statutes/2024/501.616
#     description: Fla. Stat. 501.616(6)(a), no commercial telephone solicitation before 8 a.m. or after 8 p.m. at the called person's location
#   - ref: https://flsenate.gov/Session/Bill/2021/1120/BillText/er/HTML
#     description: CS/SB 1120 (Laws of Florida ch. 2021-185), which set the 8 p.m. limit
# custom:
#   id: us/fl-quiet-hours
#   effective: "2021-07-01"
reasons contains r if {
	until := state_quiet("US-FL")
	r := {"code": "QUIET_HOURS", "rule": "us/fl-quiet-hours", "evidence": quiet_evidence(until), "until": until}
}

# METADATA
# title: No promotional messages to Oklahoma before 08:00 or from 20:00 local time (Telephone Solicitation Act of 2022)
# related_resources:
#   - ref: http://www.oklegislature.gov/BillInfo.aspx?Bill=HB3168&Session=2200
#     description: Oklahoma HB 3168 (2022), Telephone Solicitation Act of 2022, 15 O.S. 775C.1 et seq.
# custom:
#   id: us/ok-quiet-hours
#   effective: "2022-11-01"
reasons contains r if {
	until := state_quiet("US-OK")
	r := {"code": "QUIET_HOURS", "rule": "us/ok-quiet-hours", "evidence": quiet_evidence(until), "until": until}
}

# METADATA
# title: No promotional messages to Maryland before 08:00 or from 20:00 local time (Stop the Spam Calls Act of 2023)
# related_resources:
#   - ref: https://mgaleg.maryland.gov/mgawebsite/Legislation/Details/sb0090?ys=2023RS
#     description: Maryland SB 90 (2023), Stop the Spam Calls Act of 2023, Md. Code Com. Law Title 14 Subtitle 45
# custom:
#   id: us/md-quiet-hours
#   effective: "2024-01-01"
reasons contains r if {
	until := state_quiet("US-MD")
	r := {"code": "QUIET_HOURS", "rule": "us/md-quiet-hours", "evidence": quiet_evidence(until), "until": until}
}

# METADATA
# title: No promotional messages to Washington before 08:00 or from 20:00 local time (RCW 19.158.040)
# related_resources:
#   - ref: https://app.leg.wa.gov/RCW/default.aspx?cite=19.158.040
#     description: RCW 19.158.040(2), no commercial telephone solicitation received before 8:00 a.m. or after 8:00 p.m. at the recipient's local time
# custom:
#   id: us/wa-quiet-hours
#   effective: "1989"
reasons contains r if {
	until := state_quiet("US-WA")
	r := {"code": "QUIET_HOURS", "rule": "us/wa-quiet-hours", "evidence": quiet_evidence(until), "until": until}
}

# METADATA
# title: At most three promotional messages on one subject to a recipient in 24 hours in Florida, Oklahoma and Maryland
# related_resources:
#   - ref: https://www.flsenate.gov/Laws/Statutes/2024/501.616
#     description: Fla. Stat. 501.616(6)(b), no more than three commercial telephone solicitation calls on the same subject matter in 24 hours (ch. 2021-185, from 2021-07-01)
#   - ref: http://www.oklegislature.gov/BillInfo.aspx?Bill=HB3168&Session=2200
#     description: Oklahoma Telephone Solicitation Act of 2022, three calls on the same subject in 24 hours (from 2022-11-01)
#   - ref: https://mgaleg.maryland.gov/mgawebsite/Legislation/Details/sb0090?ys=2023RS
#     description: Maryland Stop the Spam Calls Act of 2023, three calls or texts on the same subject in 24 hours (from 2024-01-01)
# custom:
#   id: us/same-subject-limit
#   effective: "2021-07-01"
reasons contains r if {
	input.message.kind == "promotional"
	limit := data.countries.us.same_subject_limit[input.recipient.region]
	sent := input.conversation.same_subject_24h
	sent.count >= limit
	r := {
		"code": "RATE_LIMIT",
		"rule": "us/same-subject-limit",
		"action": "defer",
		"evidence": sprintf("%d messages on this subject in 24 h to %s", [sent.count, input.recipient.region]),
		"until": sent.reopens,
	}
}
