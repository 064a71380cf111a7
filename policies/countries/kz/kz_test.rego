package msgfilter.countries.kz_test

import data.msgfilter.countries.kz

# A transactional SMS to Kazakhstan at noon; tests add categories to it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "KZ", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "Asia/Almaty"},
	"sender": {"raw": "SHOPCO", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "KZ", "number_type": "mobile"},
	"content": {"opt_out_text": false, "categories": {}},
	"links": [],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

found(kind, category, score, evidence) := object.union(base, {
	"message": {"kind": kind},
	"content": {"categories": {category: {"score": score, "terms": evidence, "evidence": evidence}}},
})

content_reasons(rs) := {r | some r in rs; endswith(r.rule, "-content")}

test_base_allowed if {
	count(kz.reasons) == 0 with input as base
}

# kz/alcohol-content

test_alcohol_strong_term_blocked if {
	content_reasons(kz.reasons) == {{"code": "ALCOHOL_CONTENT", "rule": "kz/alcohol-content", "evidence": "водка"}} with input as found("transactional", "alcohol", 2, ["водка"])
}

test_alcohol_two_weak_terms_blocked if {
	content_reasons(kz.reasons) == {{"code": "ALCOHOL_CONTENT", "rule": "kz/alcohol-content", "evidence": "пиво, x"}} with input as found("promotional", "alcohol", 2, ["пиво", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_alcohol_one_weak_term_allowed if {
	count(content_reasons(kz.reasons)) == 0 with input as found("transactional", "alcohol", 1, ["пиво"])
}

# kz/tobacco-content

test_tobacco_strong_term_blocked if {
	content_reasons(kz.reasons) == {{"code": "TOBACCO_CONTENT", "rule": "kz/tobacco-content", "evidence": "вейп"}} with input as found("transactional", "tobacco", 2, ["вейп"])
}

test_tobacco_two_weak_terms_blocked if {
	content_reasons(kz.reasons) == {{"code": "TOBACCO_CONTENT", "rule": "kz/tobacco-content", "evidence": "кальян, x"}} with input as found("promotional", "tobacco", 2, ["кальян", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_tobacco_one_weak_term_allowed if {
	count(content_reasons(kz.reasons)) == 0 with input as found("transactional", "tobacco", 1, ["кальян"])
}

# kz/gambling-content

test_gambling_strong_term_blocked if {
	content_reasons(kz.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "kz/gambling-content", "evidence": "казино"}} with input as found("transactional", "gambling", 2, ["казино"])
}

test_gambling_two_weak_terms_blocked if {
	content_reasons(kz.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "kz/gambling-content", "evidence": "джекпот, x"}} with input as found("promotional", "gambling", 2, ["джекпот", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_gambling_one_weak_term_allowed if {
	count(content_reasons(kz.reasons)) == 0 with input as found("transactional", "gambling", 1, ["джекпот"])
}

at(local) := {
	"local": local,
	"date": substring(local, 0, 10),
	"weekday": lower(time.weekday(time.parse_ns("2006-01-02T15:04", local))),
	"minute": (to_number(substring(local, 11, 2)) * 60) + to_number(substring(local, 14, 2)),
	"zone": "Asia/Almaty",
}

promo(local) := object.union(base, {"message": {"kind": "promotional"}, "time": at(local)})

# kz/promotional-quiet-hours: weekdays [09:00, 21:00) only

test_promotional_tuesday_noon_allowed if {
	count(kz.reasons) == 0 with input as promo("2026-03-10T12:00")
}

test_promotional_tuesday_2100_deferred_to_wednesday_0900 if {
	kz.reasons == {{"code": "QUIET_HOURS", "rule": "kz/promotional-quiet-hours", "evidence": "quiet hours in Asia/Almaty until 2026-03-11T09:00:00+05:00", "until": "2026-03-11T09:00:00+05:00"}} with input as held(promo("2026-03-10T21:00"), "promotional", "2026-03-11T09:00:00+05:00")
}

test_promotional_friday_2130_deferred_to_monday_0900 if {
	some r in kz.reasons with input as held(promo("2026-03-13T21:30"), "promotional", "2026-03-16T09:00:00+05:00")
	r.until == "2026-03-16T09:00:00+05:00"
}

test_promotional_saturday_noon_deferred if {
	some r in kz.reasons with input as held(promo("2026-03-14T12:00"), "promotional", "2026-03-16T09:00:00+05:00")
	r.code == "QUIET_HOURS"
}

test_otp_saturday_night_allowed if {
	count(kz.reasons) == 0 with input as held(object.union(promo("2026-03-14T23:00"), {"message": {"kind": "otp"}}), "promotional", "2026-03-16T09:00:00+05:00")
}

# kz/numeric-sender

test_short_code_sender_format if {
	kz.reasons == {{"code": "SENDER_ID_FORMAT", "rule": "kz/numeric-sender", "evidence": "7010"}} with input as object.union(base, {"sender": {"raw": "7010", "kind": "short_code"}})
}

test_alphanumeric_sender_allowed if {
	count(kz.reasons) == 0 with input as base
}

# held is doc with the quiet-hours fact the engine computes when spec holds
# the message back until the given instant (policies/quiet_test.go tests the
# computation itself).
held(doc, spec, until) := object.union(doc, {"time": {"quiet_until": {spec: until}}})
