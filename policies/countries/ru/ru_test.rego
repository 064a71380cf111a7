package msgfilter.countries.ru_test

import data.msgfilter.countries.ru

# A transactional SMS to Russia at noon; tests add categories to it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "RU", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "Europe/Moscow"},
	"sender": {"raw": "SHOPCO", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "RU", "number_type": "mobile"},
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
	count(ru.reasons) == 0 with input as base
}

# ru/tobacco-content

test_tobacco_strong_term_blocked if {
	content_reasons(ru.reasons) == {{"code": "TOBACCO_CONTENT", "rule": "ru/tobacco-content", "evidence": "сигареты"}} with input as found("transactional", "tobacco", 2, ["сигареты"])
}

test_tobacco_two_weak_terms_blocked if {
	content_reasons(ru.reasons) == {{"code": "TOBACCO_CONTENT", "rule": "ru/tobacco-content", "evidence": "кальян, x"}} with input as found("promotional", "tobacco", 2, ["кальян", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_tobacco_one_weak_term_allowed if {
	count(content_reasons(ru.reasons)) == 0 with input as found("transactional", "tobacco", 1, ["кальян"])
}

# ru/drugs-content

test_drugs_strong_term_blocked if {
	content_reasons(ru.reasons) == {{"code": "DRUGS_CONTENT", "rule": "ru/drugs-content", "evidence": "кокаин"}} with input as found("transactional", "drugs", 2, ["кокаин"])
}

test_drugs_two_weak_terms_blocked if {
	content_reasons(ru.reasons) == {{"code": "DRUGS_CONTENT", "rule": "ru/drugs-content", "evidence": "закладка, x"}} with input as found("promotional", "drugs", 2, ["закладка", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_drugs_one_weak_term_allowed if {
	count(content_reasons(ru.reasons)) == 0 with input as found("transactional", "drugs", 1, ["закладка"])
}

# ru/gambling-content

test_gambling_strong_term_blocked if {
	content_reasons(ru.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "ru/gambling-content", "evidence": "казино"}} with input as found("transactional", "gambling", 2, ["казино"])
}

test_gambling_two_weak_terms_blocked if {
	content_reasons(ru.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "ru/gambling-content", "evidence": "джекпот, x"}} with input as found("promotional", "gambling", 2, ["джекпот", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_gambling_one_weak_term_allowed if {
	count(content_reasons(ru.reasons)) == 0 with input as found("transactional", "gambling", 1, ["джекпот"])
}

# ru/alcohol-content

test_alcohol_strong_term_blocked if {
	content_reasons(ru.reasons) == {{"code": "ALCOHOL_CONTENT", "rule": "ru/alcohol-content", "evidence": "водка"}} with input as found("transactional", "alcohol", 2, ["водка"])
}

test_alcohol_two_weak_terms_blocked if {
	content_reasons(ru.reasons) == {{"code": "ALCOHOL_CONTENT", "rule": "ru/alcohol-content", "evidence": "пиво, x"}} with input as found("promotional", "alcohol", 2, ["пиво", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_alcohol_one_weak_term_allowed if {
	count(content_reasons(ru.reasons)) == 0 with input as found("transactional", "alcohol", 1, ["пиво"])
}

# ru/firearms-content

test_firearms_strong_term_blocked if {
	content_reasons(ru.reasons) == {{"code": "FIREARMS_CONTENT", "rule": "ru/firearms-content", "evidence": "огнестрельное оружие"}} with input as found("transactional", "firearms", 2, ["огнестрельное оружие"])
}

test_firearms_two_weak_terms_blocked if {
	content_reasons(ru.reasons) == {{"code": "FIREARMS_CONTENT", "rule": "ru/firearms-content", "evidence": "пистолет, x"}} with input as found("promotional", "firearms", 2, ["пистолет", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_firearms_one_weak_term_allowed if {
	count(content_reasons(ru.reasons)) == 0 with input as found("transactional", "firearms", 1, ["пистолет"])
}
