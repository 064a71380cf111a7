package msgfilter.countries.ke_test

import data.msgfilter.countries.ke

# A transactional SMS to Kenya at noon; tests add categories to it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "KE", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "Africa/Nairobi"},
	"sender": {"raw": "SHOPCO", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "KE", "number_type": "mobile"},
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
	count(ke.reasons) == 0 with input as base
}

# ke/gambling-content

test_gambling_strong_term_blocked if {
	content_reasons(ke.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "ke/gambling-content", "evidence": "kamari"}} with input as found("transactional", "gambling", 2, ["kamari"])
}

test_gambling_two_weak_terms_blocked if {
	content_reasons(ke.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "ke/gambling-content", "evidence": "jackpot, x"}} with input as found("promotional", "gambling", 2, ["jackpot", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_gambling_one_weak_term_allowed if {
	count(content_reasons(ke.reasons)) == 0 with input as found("transactional", "gambling", 1, ["jackpot"])
}

# ke/adult-content

test_adult_strong_term_blocked if {
	content_reasons(ke.reasons) == {{"code": "ADULT_CONTENT", "rule": "ke/adult-content", "evidence": "ngono"}} with input as found("transactional", "adult", 2, ["ngono"])
}

test_adult_two_weak_terms_blocked if {
	content_reasons(ke.reasons) == {{"code": "ADULT_CONTENT", "rule": "ke/adult-content", "evidence": "sexy, x"}} with input as found("promotional", "adult", 2, ["sexy", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_adult_one_weak_term_allowed if {
	count(content_reasons(ke.reasons)) == 0 with input as found("transactional", "adult", 1, ["sexy"])
}

# ke/hate-content

test_hate_strong_term_blocked if {
	content_reasons(ke.reasons) == {{"code": "HATE_CONTENT", "rule": "ke/hate-content", "evidence": "chuki"}} with input as found("transactional", "hate", 2, ["chuki"])
}

test_hate_two_weak_terms_blocked if {
	content_reasons(ke.reasons) == {{"code": "HATE_CONTENT", "rule": "ke/hate-content", "evidence": "tribe, x"}} with input as found("promotional", "hate", 2, ["tribe", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_hate_one_weak_term_allowed if {
	count(content_reasons(ke.reasons)) == 0 with input as found("transactional", "hate", 1, ["tribe"])
}

at(local) := {
	"local": local,
	"date": substring(local, 0, 10),
	"weekday": lower(time.weekday(time.parse_ns("2006-01-02T15:04", local))),
	"minute": (to_number(substring(local, 11, 2)) * 60) + to_number(substring(local, 14, 2)),
	"zone": "Africa/Nairobi",
}

# ke/promotional-quiet-hours: [19:00, 07:00)

test_promotional_at_1900_deferred_to_0700 if {
	ke.reasons == {{"code": "QUIET_HOURS", "rule": "ke/promotional-quiet-hours", "evidence": "quiet hours in Africa/Nairobi until 2026-03-11T07:00:00+03:00", "until": "2026-03-11T07:00:00+03:00"}} with input as held(object.union(base, {"message": {"kind": "promotional"}, "time": at("2026-03-10T19:00")}), "promotional", "2026-03-11T07:00:00+03:00")
}

test_promotional_at_1859_allowed if {
	count(ke.reasons) == 0 with input as object.union(base, {"message": {"kind": "promotional"}, "time": at("2026-03-10T18:59")})
}

# ke/political-hours: [18:00, 08:00)

political(local) := object.union(found("transactional", "political", 2, ["piga kura"]), {"time": at(local)})

test_political_at_1800_deferred_to_0800 if {
	ke.reasons == {{"code": "QUIET_HOURS", "rule": "ke/political-hours", "evidence": "piga kura", "until": "2026-03-11T08:00:00+03:00"}} with input as held(political("2026-03-10T18:00"), "political", "2026-03-11T08:00:00+03:00")
}

test_political_at_1200_allowed if {
	count(ke.reasons) == 0 with input as political("2026-03-10T12:00")
}

test_one_weak_political_term_at_night_allowed if {
	count(ke.reasons) == 0 with input as object.union(found("transactional", "political", 1, ["kura"]), {"time": at("2026-03-10T22:00")})
}

# held is doc with the quiet-hours fact the engine computes when spec holds
# the message back until the given instant (policies/quiet_test.go tests the
# computation itself).
held(doc, spec, until) := object.union(doc, {"time": {"quiet_until": {spec: until}}})
