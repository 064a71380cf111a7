package msgfilter.countries.mx_test

import data.msgfilter.countries.mx

# A transactional SMS to Mexico at noon; tests add categories to it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "MX", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "America/Mexico_City"},
	"sender": {"raw": "SHOPCO", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "MX", "number_type": "mobile"},
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
	count(mx.reasons) == 0 with input as base
}

# mx/political-content

test_political_strong_term_blocked if {
	content_reasons(mx.reasons) == {{"code": "POLITICAL_CONTENT", "rule": "mx/political-content", "evidence": "vota por"}} with input as found("transactional", "political", 2, ["vota por"])
}

test_political_two_weak_terms_blocked if {
	content_reasons(mx.reasons) == {{"code": "POLITICAL_CONTENT", "rule": "mx/political-content", "evidence": "candidato, x"}} with input as found("promotional", "political", 2, ["candidato", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_political_one_weak_term_allowed if {
	count(content_reasons(mx.reasons)) == 0 with input as found("transactional", "political", 1, ["candidato"])
}

# mx/religious-content

test_religious_strong_term_blocked if {
	content_reasons(mx.reasons) == {{"code": "RELIGIOUS_CONTENT", "rule": "mx/religious-content", "evidence": "evangelio"}} with input as found("transactional", "religious", 2, ["evangelio"])
}

test_religious_two_weak_terms_blocked if {
	content_reasons(mx.reasons) == {{"code": "RELIGIOUS_CONTENT", "rule": "mx/religious-content", "evidence": "iglesia, x"}} with input as found("promotional", "religious", 2, ["iglesia", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_religious_one_weak_term_allowed if {
	count(content_reasons(mx.reasons)) == 0 with input as found("transactional", "religious", 1, ["iglesia"])
}

# mx/adult-content

test_adult_strong_term_blocked if {
	content_reasons(mx.reasons) == {{"code": "ADULT_CONTENT", "rule": "mx/adult-content", "evidence": "porno"}} with input as found("transactional", "adult", 2, ["porno"])
}

test_adult_two_weak_terms_blocked if {
	content_reasons(mx.reasons) == {{"code": "ADULT_CONTENT", "rule": "mx/adult-content", "evidence": "sexy, x"}} with input as found("promotional", "adult", 2, ["sexy", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_adult_one_weak_term_allowed if {
	count(content_reasons(mx.reasons)) == 0 with input as found("transactional", "adult", 1, ["sexy"])
}

# mx/alcohol-content

test_alcohol_strong_term_blocked if {
	content_reasons(mx.reasons) == {{"code": "ALCOHOL_CONTENT", "rule": "mx/alcohol-content", "evidence": "bebidas alcohólicas"}} with input as found("transactional", "alcohol", 2, ["bebidas alcohólicas"])
}

test_alcohol_two_weak_terms_blocked if {
	content_reasons(mx.reasons) == {{"code": "ALCOHOL_CONTENT", "rule": "mx/alcohol-content", "evidence": "cerveza, x"}} with input as found("promotional", "alcohol", 2, ["cerveza", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_alcohol_one_weak_term_allowed if {
	count(content_reasons(mx.reasons)) == 0 with input as found("transactional", "alcohol", 1, ["cerveza"])
}
