package msgfilter.countries.ng_test

import data.msgfilter.countries.ng

# A transactional SMS to Nigeria at noon; tests add categories to it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "NG", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "Africa/Lagos"},
	"sender": {"raw": "SHOPCO", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "NG", "number_type": "mobile"},
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
	count(ng.reasons) == 0 with input as base
}

# ng/hate-content

test_hate_strong_term_blocked if {
	content_reasons(ng.reasons) == {{"code": "HATE_CONTENT", "rule": "ng/hate-content", "evidence": "kill them all"}} with input as found("transactional", "hate", 2, ["kill them all"])
}

test_hate_two_weak_terms_blocked if {
	content_reasons(ng.reasons) == {{"code": "HATE_CONTENT", "rule": "ng/hate-content", "evidence": "tribe, x"}} with input as found("promotional", "hate", 2, ["tribe", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_hate_one_weak_term_allowed if {
	count(content_reasons(ng.reasons)) == 0 with input as found("transactional", "hate", 1, ["tribe"])
}
