package msgfilter.countries.us_quiet_test

import data.msgfilter.countries.us

# A promotional SMS to a San Francisco number at noon Pacific. The engine
# puts the message time in the pack's zone (New York) into input.time; the
# quiet-hours rules read only the proposed recipient facts.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "promotional", "country": "US", "tenant": "", "length": 60},
	"time": at("2026-03-10T15:00", "America/New_York"),
	"sender": {"raw": "+14155550123", "kind": "e164", "country": "US", "number_type": "mobile", "valid": true, "reason": ""},
	"recipient": {"e164": "+14155550100", "country": "US", "number_type": "mobile", "region": "US-CA", "times": [at("2026-03-10T12:00", "America/Los_Angeles")]},
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
}

to(region, times) := object.union(base, {"recipient": {"region": region, "times": times}})

quiet(rs) := {[r.rule, r.until] | some r in rs; r.code == "QUIET_HOURS"}

test_noon_pacific_allowed if {
	count(us.reasons) == 0 with input as base
}

# 21:10 in San Francisco is 00:10 in New York: deferred to 08:00 Pacific.
test_san_francisco_2110_deferred_to_0800_pacific if {
	quiet(us.reasons) == {["us/promotional-quiet-hours", "2026-03-11T08:00:00-07:00"]} with input as to("US-CA", [at("2026-03-10T21:10", "America/Los_Angeles")])
}

test_san_francisco_2059_allowed if {
	count(us.reasons) == 0 with input as to("US-CA", [at("2026-03-10T20:59", "America/Los_Angeles")])
}

test_new_york_0800_allowed if {
	count(us.reasons) == 0 with input as to("US-NY", [at("2026-03-10T08:00", "America/New_York")])
}

test_new_york_0759_deferred if {
	quiet(us.reasons) == {["us/promotional-quiet-hours", "2026-03-10T08:00:00-04:00"]} with input as to("US-NY", [at("2026-03-10T07:59", "America/New_York")])
}

# Florida: 20:40 in Miami is quiet under the state's 20:00 limit, not the TCPA's.
test_miami_2040_deferred_by_florida if {
	quiet(us.reasons) == {["us/fl-quiet-hours", "2026-03-11T08:00:00-04:00"]} with input as to("US-FL", [at("2026-03-10T20:40", "America/New_York")])
}

# The ham twin: the same time in New York is allowed.
test_new_york_2040_allowed if {
	count(us.reasons) == 0 with input as to("US-NY", [at("2026-03-10T20:40", "America/New_York")])
}

test_miami_2200_both_rules if {
	quiet(us.reasons) == {
		["us/promotional-quiet-hours", "2026-03-11T08:00:00-04:00"],
		["us/fl-quiet-hours", "2026-03-11T08:00:00-04:00"],
	} with input as to("US-FL", [at("2026-03-10T22:00", "America/New_York")])
}

test_oklahoma_2010_deferred if {
	quiet(us.reasons) == {["us/ok-quiet-hours", "2026-03-11T08:00:00-05:00"]} with input as to("US-OK", [at("2026-03-10T20:10", "America/Chicago")])
}

test_maryland_2010_deferred if {
	quiet(us.reasons) == {["us/md-quiet-hours", "2026-03-11T08:00:00-04:00"]} with input as to("US-MD", [at("2026-03-10T20:10", "America/New_York")])
}

test_washington_2010_deferred if {
	quiet(us.reasons) == {["us/wa-quiet-hours", "2026-03-11T08:00:00-07:00"]} with input as to("US-WA", [at("2026-03-10T20:10", "America/Los_Angeles")])
}

test_florida_transactional_2200_allowed if {
	count(us.reasons) == 0 with input as object.union(to("US-FL", [at("2026-03-10T22:00", "America/New_York")]), {"message": {"kind": "transactional"}})
}

# A number that may ring in several zones: the strictest reading waits until
# 08:00 in the westernmost quiet zone.
test_toll_free_several_zones_waits_for_the_last if {
	quiet(us.reasons) == {["us/promotional-quiet-hours", "2026-03-11T08:00:00-07:00"]} with input as to("", [
		at("2026-03-11T07:30", "America/New_York"),
		at("2026-03-11T04:30", "America/Los_Angeles"),
	])
}

test_toll_free_every_zone_open_allowed if {
	count(us.reasons) == 0 with input as to("", [
		at("2026-03-11T14:00", "America/New_York"),
		at("2026-03-11T11:00", "America/Los_Angeles"),
	])
}

# Without the proposed facts the rules stay silent, whatever the pack's zone says.
test_without_recipient_times_no_quiet_hours if {
	count(us.reasons) == 0 with input as object.union(base, {
		"time": at("2026-03-10T23:30", "America/New_York"),
		"recipient": {"e164": "+14155550100", "country": "US", "number_type": "mobile"},
	})
}

# us/same-subject-limit

test_florida_fourth_message_on_subject_rate_limited if {
	us.reasons == {{
		"code": "RATE_LIMIT",
		"rule": "us/same-subject-limit",
		"action": "defer",
		"evidence": "3 messages on this subject in 24 h to US-FL",
		"until": "2026-03-11T09:15:00-04:00",
	}} with input as object.union(to("US-FL", [at("2026-03-10T12:00", "America/New_York")]), {"conversation": {"same_subject_24h": {"count": 3, "reopens": "2026-03-11T09:15:00-04:00"}}})
}

test_florida_third_message_on_subject_allowed if {
	count(us.reasons) == 0 with input as object.union(to("US-FL", [at("2026-03-10T12:00", "America/New_York")]), {"conversation": {"same_subject_24h": {"count": 2, "reopens": "2026-03-11T09:15:00-04:00"}}})
}

test_california_fourth_message_on_subject_allowed if {
	count(us.reasons) == 0 with input as object.union(base, {"conversation": {"same_subject_24h": {"count": 5, "reopens": "2026-03-11T09:15:00-07:00"}}})
}
