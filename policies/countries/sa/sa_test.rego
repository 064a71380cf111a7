package msgfilter.countries.sa_test

import data.msgfilter.countries.sa

# A transactional SMS to Saudi Arabia at noon; tests add categories to it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "SA", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "Asia/Riyadh"},
	"sender": {"raw": "SHOPCO", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "SA", "number_type": "mobile"},
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
	count(sa.reasons) == 0 with input as base
}

# sa/gambling-content

test_gambling_strong_term_blocked if {
	content_reasons(sa.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "sa/gambling-content", "evidence": "كازينو"}} with input as found("transactional", "gambling", 2, ["كازينو"])
}

test_gambling_two_weak_terms_blocked if {
	content_reasons(sa.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "sa/gambling-content", "evidence": "bet, x"}} with input as found("promotional", "gambling", 2, ["bet", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_gambling_one_weak_term_allowed if {
	count(content_reasons(sa.reasons)) == 0 with input as found("transactional", "gambling", 1, ["bet"])
}

# sa/adult-content

test_adult_strong_term_blocked if {
	content_reasons(sa.reasons) == {{"code": "ADULT_CONTENT", "rule": "sa/adult-content", "evidence": "porn"}} with input as found("transactional", "adult", 2, ["porn"])
}

test_adult_two_weak_terms_blocked if {
	content_reasons(sa.reasons) == {{"code": "ADULT_CONTENT", "rule": "sa/adult-content", "evidence": "sexy, x"}} with input as found("promotional", "adult", 2, ["sexy", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_adult_one_weak_term_allowed if {
	count(content_reasons(sa.reasons)) == 0 with input as found("transactional", "adult", 1, ["sexy"])
}

# sa/promotional-quiet-hours: [21:00, 09:00) Asia/Riyadh

at(local) := {
	"local": local,
	"date": substring(local, 0, 10),
	"weekday": lower(time.weekday(time.parse_ns("2006-01-02T15:04", local))),
	"minute": (to_number(substring(local, 11, 2)) * 60) + to_number(substring(local, 14, 2)),
	"zone": "Asia/Riyadh",
}

promo(local) := object.union(base, {"message": {"kind": "promotional"}, "sender": {"raw": "SHOPCO-AD"}, "time": at(local)})

test_promotional_at_2100_deferred_to_0900 if {
	sa.reasons == {{"code": "QUIET_HOURS", "rule": "sa/promotional-quiet-hours", "evidence": "quiet hours in Asia/Riyadh until 2026-03-11T09:00:00+03:00", "until": "2026-03-11T09:00:00+03:00"}} with input as held(promo("2026-03-10T21:00"), "promotional", "2026-03-11T09:00:00+03:00")
}

test_promotional_at_2059_allowed if {
	count(sa.reasons) == 0 with input as promo("2026-03-10T20:59")
}

test_promotional_at_0900_allowed if {
	count(sa.reasons) == 0 with input as promo("2026-03-11T09:00")
}

test_service_at_2300_allowed if {
	count(sa.reasons) == 0 with input as held(object.union(promo("2026-03-10T23:00"), {"message": {"kind": "service"}}), "promotional", "2026-03-11T09:00:00+03:00")
}

# sa/promotional-ad-suffix

test_promotional_sender_without_ad_suffix_format if {
	sa.reasons == {{"code": "SENDER_ID_FORMAT", "rule": "sa/promotional-ad-suffix", "evidence": "SHOPCO"}} with input as object.union(promo("2026-03-10T12:00"), {"sender": {"raw": "SHOPCO"}})
}

test_promotional_sender_with_space_ad_allowed if {
	count(sa.reasons) == 0 with input as object.union(promo("2026-03-10T12:00"), {"sender": {"raw": "Shop AD"}})
}

# "ROAD" ends in AD but has no separator: not the suffix.
test_promotional_sender_ending_in_ad_word_format if {
	some r in sa.reasons with input as object.union(promo("2026-03-10T12:00"), {"sender": {"raw": "ROAD"}})
	r.code == "SENDER_ID_FORMAT"
}

test_transactional_sender_without_suffix_allowed if {
	count(sa.reasons) == 0 with input as base
}

# held is doc with the quiet-hours fact the engine computes when spec holds
# the message back until the given instant (policies/quiet_test.go tests the
# computation itself).
held(doc, spec, until) := object.union(doc, {"time": {"quiet_until": {spec: until}}})
