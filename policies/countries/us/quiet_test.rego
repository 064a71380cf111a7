package msgfilter.countries.us_quiet_test

import data.msgfilter.countries.us

# A promotional SMS to a San Francisco number at noon Pacific. The engine
# computes the recipient's local time and, per spec of data.json's
# quiet_hours, when the spec lets the message go (time.quiet_until, absent
# when it does not hold it back); policies/quiet_test.go tests that
# computation on the real specs. These tests check what the rules make of it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "promotional", "country": "US", "tenant": "", "length": 60},
	"time": at("2026-03-10T12:00", "America/Los_Angeles"),
	"sender": {"raw": "+14155550123", "kind": "e164", "country": "US", "number_type": "mobile", "valid": true, "reason": ""},
	"recipient": {"country": "US", "number_type": "mobile", "zone": "America/Los_Angeles", "region": "US-CA"},
	"content": {"opt_out_text": true, "categories": {}},
	"links": [],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

at(local, zone) := {
	"local": local,
	"date": substring(local, 0, 10),
	"weekday": lower(time.weekday(time.parse_ns("2006-01-02T15:04", local))),
	"minute": (to_number(substring(local, 11, 2)) * 60) + to_number(substring(local, 14, 2)),
	"zone": zone,
	"quiet_until": {},
}

# to is the message to a number of the region at a local time, with the
# specs that hold it back.
to(region, t, held) := object.union(base, {
	"time": object.union(t, {"quiet_until": held}),
	"recipient": {"zone": t.zone, "region": region},
})

quiet(rs) := {[r.rule, r.until] | some r in rs; r.code == "QUIET_HOURS"}

test_noon_pacific_allowed if {
	count(us.reasons) == 0 with input as base
}

# 21:10 in San Francisco (00:10 in New York): the TCPA spec holds it until
# 08:00 Pacific.
test_san_francisco_2110_deferred_to_0800_pacific if {
	quiet(us.reasons) == {["us/promotional-quiet-hours", "2026-03-11T08:00:00-07:00"]} with input as to("US-CA", at("2026-03-10T21:10", "America/Los_Angeles"), {"promotional": "2026-03-11T08:00:00-07:00"})
}

test_evidence_is_the_recipients_zone_and_until if {
	some r in us.reasons with input as to("US-CA", at("2026-03-10T21:10", "America/Los_Angeles"), {"promotional": "2026-03-11T08:00:00-07:00"})
	r.evidence == "quiet hours in America/Los_Angeles until 2026-03-11T08:00:00-07:00"
}

# The evidence names no minute: two messages held until the same instant
# get the same reason, so that the fact cache can answer the second.
test_evidence_same_for_every_minute_of_the_night if {
	held := {"promotional": "2026-03-11T08:00:00-07:00"}
	a := us.reasons with input as to("US-CA", at("2026-03-10T21:10", "America/Los_Angeles"), held)
	b := us.reasons with input as to("US-CA", at("2026-03-11T03:47", "America/Los_Angeles"), held)
	count(a) == 1
	a == b
}

# Florida: at 20:40 only the state's spec holds the message.
test_miami_2040_deferred_by_florida if {
	quiet(us.reasons) == {["us/fl-quiet-hours", "2026-03-11T08:00:00-04:00"]} with input as to("US-FL", at("2026-03-10T20:40", "America/New_York"), {"promotional_US-FL": "2026-03-11T08:00:00-04:00"})
}

# The ham twin: New York has no state spec; the facts carry every spec the
# pack declares, Florida's included, and the rules pick by region.
test_new_york_2040_allowed if {
	count(us.reasons) == 0 with input as to("US-NY", at("2026-03-10T20:40", "America/New_York"), {
		"promotional_US-FL": "2026-03-11T08:00:00-04:00",
		"promotional_US-MD": "2026-03-11T08:00:00-04:00",
	})
}

test_miami_2200_both_rules if {
	quiet(us.reasons) == {
		["us/promotional-quiet-hours", "2026-03-11T08:00:00-04:00"],
		["us/fl-quiet-hours", "2026-03-11T08:00:00-04:00"],
	} with input as to("US-FL", at("2026-03-10T22:00", "America/New_York"), {
		"promotional": "2026-03-11T08:00:00-04:00",
		"promotional_US-FL": "2026-03-11T08:00:00-04:00",
	})
}

test_oklahoma_2010_deferred if {
	quiet(us.reasons) == {["us/ok-quiet-hours", "2026-03-11T08:00:00-05:00"]} with input as to("US-OK", at("2026-03-10T20:10", "America/Chicago"), {"promotional_US-OK": "2026-03-11T08:00:00-05:00"})
}

test_maryland_2010_deferred if {
	quiet(us.reasons) == {["us/md-quiet-hours", "2026-03-11T08:00:00-04:00"]} with input as to("US-MD", at("2026-03-10T20:10", "America/New_York"), {"promotional_US-MD": "2026-03-11T08:00:00-04:00"})
}

test_washington_2010_deferred if {
	quiet(us.reasons) == {["us/wa-quiet-hours", "2026-03-11T08:00:00-07:00"]} with input as to("US-WA", at("2026-03-10T20:10", "America/Los_Angeles"), {"promotional_US-WA": "2026-03-11T08:00:00-07:00"})
}

# An unknown state gets the federal hours only.
test_unknown_region_2040_state_specs_ignored if {
	count(us.reasons) == 0 with input as to("", at("2026-03-10T20:40", "America/New_York"), {"promotional_US-FL": "2026-03-11T08:00:00-04:00"})
}

test_florida_transactional_2200_allowed if {
	count(us.reasons) == 0 with input as object.union(
		to("US-FL", at("2026-03-10T22:00", "America/New_York"), {
			"promotional": "2026-03-11T08:00:00-04:00",
			"promotional_US-FL": "2026-03-11T08:00:00-04:00",
		}),
		{"message": {"kind": "transactional"}},
	)
}

# us/same-subject-limit

test_florida_fourth_message_on_subject_rate_limited if {
	us.reasons == {{
		"code": "RATE_LIMIT",
		"rule": "us/same-subject-limit",
		"action": "defer",
		"evidence": "3 messages on this subject in 24 h to US-FL",
		"until": "2026-03-11T09:15:00-04:00",
	}} with input as object.union(to("US-FL", at("2026-03-10T12:00", "America/New_York"), {}), {"conversation": {"same_subject_24h": {"count": 3, "reopens": "2026-03-11T09:15:00-04:00"}}})
}

test_florida_third_message_on_subject_allowed if {
	count(us.reasons) == 0 with input as object.union(to("US-FL", at("2026-03-10T12:00", "America/New_York"), {}), {"conversation": {"same_subject_24h": {"count": 2, "reopens": "2026-03-11T09:15:00-04:00"}}})
}

test_california_fourth_message_on_subject_allowed if {
	count(us.reasons) == 0 with input as object.union(base, {"conversation": {"same_subject_24h": {"count": 5, "reopens": "2026-03-11T09:15:00-07:00"}}})
}
