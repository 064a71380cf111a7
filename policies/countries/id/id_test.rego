package msgfilter.countries.id_test

import data.msgfilter.countries.id

# A transactional SMS to Indonesia at noon; tests add categories to it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "ID", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "Asia/Jakarta"},
	"sender": {"raw": "SHOPCO", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "ID", "number_type": "mobile"},
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
	count(id.reasons) == 0 with input as base
}

# id/gambling-content

test_gambling_strong_term_blocked if {
	content_reasons(id.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "id/gambling-content", "evidence": "judi online"}} with input as found("transactional", "gambling", 2, ["judi online"])
}

test_gambling_two_weak_terms_blocked if {
	content_reasons(id.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "id/gambling-content", "evidence": "slot, x"}} with input as found("promotional", "gambling", 2, ["slot", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_gambling_one_weak_term_allowed if {
	count(content_reasons(id.reasons)) == 0 with input as found("transactional", "gambling", 1, ["slot"])
}

# id/adult-content

test_adult_strong_term_blocked if {
	content_reasons(id.reasons) == {{"code": "ADULT_CONTENT", "rule": "id/adult-content", "evidence": "bokep"}} with input as found("transactional", "adult", 2, ["bokep"])
}

test_adult_two_weak_terms_blocked if {
	content_reasons(id.reasons) == {{"code": "ADULT_CONTENT", "rule": "id/adult-content", "evidence": "sexy, x"}} with input as found("promotional", "adult", 2, ["sexy", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_adult_one_weak_term_allowed if {
	count(content_reasons(id.reasons)) == 0 with input as found("transactional", "adult", 1, ["sexy"])
}
