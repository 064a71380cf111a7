package msgfilter.countries.ir_content_test

import data.msgfilter.countries.ir

# A transactional SMS to Iran; content tests add categories to it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "IR", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "+15005550006", "kind": "e164", "country": "", "number_type": "mobile", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "IR", "number_type": "mobile"},
	"content": {"opt_out_text": false, "categories": {}},
	"links": [],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

# found is the facts of a message in which the matcher found one category.
found(kind, category, score, evidence) := object.union(base, {
	"message": {"kind": kind},
	"content": {"categories": {category: {"score": score, "terms": evidence, "evidence": evidence}}},
})

content_reasons(rs) := {r | some r in rs; endswith(r.rule, "-content")}

test_no_categories_allowed if {
	count(content_reasons(ir.reasons)) == 0 with input as base
}

# ir/political-content

test_political_strong_term_blocked if {
	content_reasons(ir.reasons) == {{"code": "POLITICAL_CONTENT", "rule": "ir/political-content", "evidence": "X"}} with input as found("transactional", "political", 2, ["X"])
}

test_political_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(ir.reasons) == {{"code": "POLITICAL_CONTENT", "rule": "ir/political-content", "evidence": "a, b"}} with input as found("transactional", "political", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_political_one_weak_term_allowed if {
	count(content_reasons(ir.reasons)) == 0 with input as found("transactional", "political", 1, ["a"])
}

# ir/religious-content

test_religious_strong_term_blocked if {
	content_reasons(ir.reasons) == {{"code": "RELIGIOUS_CONTENT", "rule": "ir/religious-content", "evidence": "X"}} with input as found("transactional", "religious", 2, ["X"])
}

test_religious_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(ir.reasons) == {{"code": "RELIGIOUS_CONTENT", "rule": "ir/religious-content", "evidence": "a, b"}} with input as found("transactional", "religious", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_religious_one_weak_term_allowed if {
	count(content_reasons(ir.reasons)) == 0 with input as found("transactional", "religious", 1, ["a"])
}

# ir/gambling-content

test_gambling_strong_term_blocked if {
	content_reasons(ir.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "ir/gambling-content", "evidence": "X"}} with input as found("transactional", "gambling", 2, ["X"])
}

test_gambling_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(ir.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "ir/gambling-content", "evidence": "a, b"}} with input as found("transactional", "gambling", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_gambling_one_weak_term_allowed if {
	count(content_reasons(ir.reasons)) == 0 with input as found("transactional", "gambling", 1, ["a"])
}

# ir/adult-content

test_adult_strong_term_blocked if {
	content_reasons(ir.reasons) == {{"code": "ADULT_CONTENT", "rule": "ir/adult-content", "evidence": "X"}} with input as found("transactional", "adult", 2, ["X"])
}

test_adult_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(ir.reasons) == {{"code": "ADULT_CONTENT", "rule": "ir/adult-content", "evidence": "a, b"}} with input as found("transactional", "adult", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_adult_one_weak_term_allowed if {
	count(content_reasons(ir.reasons)) == 0 with input as found("transactional", "adult", 1, ["a"])
}

# alcohol is not a category this pack forbids.
test_alcohol_not_forbidden_allowed if {
	count(content_reasons(ir.reasons)) == 0 with input as found("transactional", "alcohol", 6, ["x", "y", "z"])
}

# Every category of the pack reports, each with its own evidence.
test_all_categories_reported if {
	cats := {"political": {"score": 3, "terms": ["political"], "evidence": ["political"]}, "religious": {"score": 3, "terms": ["religious"], "evidence": ["religious"]}, "gambling": {"score": 3, "terms": ["gambling"], "evidence": ["gambling"]}, "adult": {"score": 3, "terms": ["adult"], "evidence": ["adult"]}}
	rs := content_reasons(ir.reasons) with input as object.union(base, {"message": {"kind": "promotional"}, "content": {"categories": cats}})
	{r.evidence | some r in rs} == {"political", "religious", "gambling", "adult"}
}
