package msgfilter.countries.fr_test

import data.msgfilter.countries.fr

# A promotional SMS to France on a Tuesday at noon that says STOP: no rule of
# the pack fires.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "promotional", "country": "FR", "tenant": "", "length": 80},
	"time": at("2026-03-10T12:00"),
	"sender": {"raw": "BOUTIQUE", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+33612345678", "country": "FR", "number_type": "mobile"},
	"content": {"opt_out_text": true},
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

# at is the facts' time object for a local wall-clock time in Paris.
at(local) := {
	"local": local,
	"date": substring(local, 0, 10),
	"weekday": lower(time.weekday(time.parse_ns("2006-01-02T15:04", local))),
	"minute": (to_number(substring(local, 11, 2)) * 60) + to_number(substring(local, 14, 2)),
	"zone": "Europe/Paris",
}

facts(patch) := object.union(base, patch)

# quiet is the only reason expected for a promotional message with STOP held
# until until.
quiet(until) := {{
	"code": "QUIET_HOURS",
	"rule": "fr/promotional-quiet-hours",
	"evidence": sprintf("quiet hours in Europe/Paris until %s", [until]),
	"until": until,
}}

test_base_message_allowed if {
	count(fr.reasons) == 0 with input as base
}

# fr/promotional-opt-out-text

test_promotional_without_stop_missing_opt_out if {
	fr.reasons == {{
		"code": "MISSING_OPT_OUT_TEXT",
		"rule": "fr/promotional-opt-out-text",
		"evidence": "no STOP mention",
	}} with input as facts({"content": {"opt_out_text": false}})
}

test_promotional_with_stop_allowed if {
	count(fr.reasons) == 0 with input as facts({"content": {"opt_out_text": true}})
}

test_transactional_without_stop_allowed if {
	count(fr.reasons) == 0 with input as facts({"message": {"kind": "transactional"}, "content": {"opt_out_text": false}})
}

# fr/promotional-quiet-hours: [20:00, 08:00), Sundays and public holidays

test_promotional_at_2000_deferred_to_0800 if {
	fr.reasons == quiet("2026-03-11T08:00:00+01:00") with input as held(facts({"time": at("2026-03-10T20:00")}), "promotional", "2026-03-11T08:00:00+01:00")
}

test_promotional_at_0759_deferred_to_0800 if {
	fr.reasons == quiet("2026-03-11T08:00:00+01:00") with input as held(facts({"time": at("2026-03-11T07:59")}), "promotional", "2026-03-11T08:00:00+01:00")
}

# Saturday night skips Sunday: winter (+01:00) and summer (+02:00) offsets.
test_promotional_saturday_2100_winter_deferred_to_monday if {
	fr.reasons == quiet("2026-03-16T08:00:00+01:00") with input as held(facts({"time": at("2026-03-14T21:00")}), "promotional", "2026-03-16T08:00:00+01:00")
}

test_promotional_saturday_2100_summer_deferred_to_monday if {
	fr.reasons == quiet("2026-06-15T08:00:00+02:00") with input as held(facts({"time": at("2026-06-13T21:00")}), "promotional", "2026-06-15T08:00:00+02:00")
}

test_promotional_sunday_noon_deferred_to_monday if {
	fr.reasons == quiet("2026-03-16T08:00:00+01:00") with input as held(facts({"time": at("2026-03-15T12:00")}), "promotional", "2026-03-16T08:00:00+01:00")
}

# The weekend the clocks go forward (Sunday 2026-03-29) and back (Sunday 2026-10-25).
test_promotional_saturday_before_spring_forward_deferred_in_summer_time if {
	fr.reasons == quiet("2026-03-30T08:00:00+02:00") with input as held(facts({"time": at("2026-03-28T21:00")}), "promotional", "2026-03-30T08:00:00+02:00")
}

test_promotional_saturday_before_fall_back_deferred_in_winter_time if {
	fr.reasons == quiet("2026-10-26T08:00:00+01:00") with input as held(facts({"time": at("2026-10-24T21:00")}), "promotional", "2026-10-26T08:00:00+01:00")
}

# Holidays: the eve of Ascension (Thursday 2026-05-14) waits until Friday.
test_promotional_holiday_eve_deferred_past_holiday if {
	fr.reasons == quiet("2026-05-15T08:00:00+02:00") with input as held(facts({"time": at("2026-05-13T21:00")}), "promotional", "2026-05-15T08:00:00+02:00")
}

test_promotional_on_bastille_day_deferred_to_next_morning if {
	fr.reasons == quiet("2026-07-15T08:00:00+02:00") with input as held(facts({"time": at("2026-07-14T12:00")}), "promotional", "2026-07-15T08:00:00+02:00")
}

# Saturday before Easter Monday (2026-04-06): Sunday and the holiday are skipped.
test_promotional_easter_weekend_deferred_to_tuesday if {
	fr.reasons == quiet("2026-04-07T08:00:00+02:00") with input as held(facts({"time": at("2026-04-04T21:00")}), "promotional", "2026-04-07T08:00:00+02:00")
}

# New Year's Eve (Thursday) waits past New Year's Day into Saturday 2027-01-02.
test_promotional_new_years_eve_deferred_past_new_year if {
	fr.reasons == quiet("2027-01-02T08:00:00+01:00") with input as held(facts({"time": at("2026-12-31T21:00")}), "promotional", "2027-01-02T08:00:00+01:00")
}

test_transactional_on_sunday_night_allowed if {
	count(fr.reasons) == 0 with input as held(facts({"message": {"kind": "transactional"}, "time": at("2026-03-15T23:00")}), "promotional", "2026-03-16T08:00:00+01:00")
}

# Both rules report on a Sunday message without STOP.
test_promotional_without_stop_on_sunday_both_reported if {
	codes := {r.code | some r in fr.reasons} with input as held(facts({"content": {"opt_out_text": false}, "time": at("2026-03-15T12:00")}), "promotional", "2026-03-16T08:00:00+01:00")
	codes == {"MISSING_OPT_OUT_TEXT", "QUIET_HOURS"}
}

# held is doc with the quiet-hours fact the engine computes when spec holds
# the message back until the given instant (policies/quiet_test.go tests the
# computation itself).
held(doc, spec, until) := object.union(doc, {"time": {"quiet_until": {spec: until}}})
