package msgfilter.countries.my_content_test

import data.msgfilter.countries.my

# A transactional SMS to Malaysia; content tests add categories to it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "MY", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "+15005550006", "kind": "e164", "country": "", "number_type": "mobile", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "MY", "number_type": "mobile"},
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
	count(content_reasons(my.reasons)) == 0 with input as base
}

# my/political-content

test_political_strong_term_blocked if {
	content_reasons(my.reasons) == {{"code": "POLITICAL_CONTENT", "rule": "my/political-content", "evidence": "X"}} with input as found("transactional", "political", 2, ["X"])
}

test_political_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(my.reasons) == {{"code": "POLITICAL_CONTENT", "rule": "my/political-content", "evidence": "a, b"}} with input as found("transactional", "political", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_political_one_weak_term_allowed if {
	count(content_reasons(my.reasons)) == 0 with input as found("transactional", "political", 1, ["a"])
}

# my/religious-content

test_religious_strong_term_blocked if {
	content_reasons(my.reasons) == {{"code": "RELIGIOUS_CONTENT", "rule": "my/religious-content", "evidence": "X"}} with input as found("transactional", "religious", 2, ["X"])
}

test_religious_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(my.reasons) == {{"code": "RELIGIOUS_CONTENT", "rule": "my/religious-content", "evidence": "a, b"}} with input as found("transactional", "religious", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_religious_one_weak_term_allowed if {
	count(content_reasons(my.reasons)) == 0 with input as found("transactional", "religious", 1, ["a"])
}

# my/gambling-content

test_gambling_strong_term_blocked if {
	content_reasons(my.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "my/gambling-content", "evidence": "X"}} with input as found("transactional", "gambling", 2, ["X"])
}

test_gambling_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(my.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "my/gambling-content", "evidence": "a, b"}} with input as found("transactional", "gambling", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_gambling_one_weak_term_allowed if {
	count(content_reasons(my.reasons)) == 0 with input as found("transactional", "gambling", 1, ["a"])
}

# alcohol is not a category this pack forbids.
test_alcohol_not_forbidden_allowed if {
	count(content_reasons(my.reasons)) == 0 with input as found("transactional", "alcohol", 6, ["x", "y", "z"])
}

# Every category of the pack reports, each with its own evidence.
test_all_categories_reported if {
	cats := {"political": {"score": 3, "terms": ["political"], "evidence": ["political"]}, "religious": {"score": 3, "terms": ["religious"], "evidence": ["religious"]}, "gambling": {"score": 3, "terms": ["gambling"], "evidence": ["gambling"]}}
	rs := content_reasons(my.reasons) with input as object.union(base, {"message": {"kind": "promotional"}, "content": {"categories": cats}})
	{r.evidence | some r in rs} == {"political", "religious", "gambling"}
}

# my/adult-content

test_adult_strong_term_blocked if {
	content_reasons(my.reasons) == {{"code": "ADULT_CONTENT", "rule": "my/adult-content", "evidence": "lucah"}} with input as found("transactional", "adult", 2, ["lucah"])
}

test_adult_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(my.reasons) == {{"code": "ADULT_CONTENT", "rule": "my/adult-content", "evidence": "seks, x"}} with input as found("promotional", "adult", 2, ["seks", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_adult_one_weak_term_allowed if {
	count(content_reasons(my.reasons)) == 0 with input as found("transactional", "adult", 1, ["seks"])
}
