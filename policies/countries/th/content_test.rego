package msgfilter.countries.th_content_test

import data.msgfilter.countries.th

# A transactional SMS to Thailand; content tests add categories to it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "TH", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "+15005550006", "kind": "e164", "country": "", "number_type": "mobile", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "TH", "number_type": "mobile"},
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
	count(content_reasons(th.reasons)) == 0 with input as base
}

# th/political-content

test_political_strong_term_blocked if {
	content_reasons(th.reasons) == {{"code": "POLITICAL_CONTENT", "rule": "th/political-content", "evidence": "X"}} with input as found("transactional", "political", 2, ["X"])
}

test_political_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(th.reasons) == {{"code": "POLITICAL_CONTENT", "rule": "th/political-content", "evidence": "a, b"}} with input as found("transactional", "political", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_political_one_weak_term_allowed if {
	count(content_reasons(th.reasons)) == 0 with input as found("transactional", "political", 1, ["a"])
}

# th/religious-content

test_religious_strong_term_blocked if {
	content_reasons(th.reasons) == {{"code": "RELIGIOUS_CONTENT", "rule": "th/religious-content", "evidence": "X"}} with input as found("transactional", "religious", 2, ["X"])
}

test_religious_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(th.reasons) == {{"code": "RELIGIOUS_CONTENT", "rule": "th/religious-content", "evidence": "a, b"}} with input as found("transactional", "religious", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_religious_one_weak_term_allowed if {
	count(content_reasons(th.reasons)) == 0 with input as found("transactional", "religious", 1, ["a"])
}

# th/gambling-content

test_gambling_strong_term_blocked if {
	content_reasons(th.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "th/gambling-content", "evidence": "X"}} with input as found("transactional", "gambling", 2, ["X"])
}

test_gambling_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(th.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "th/gambling-content", "evidence": "a, b"}} with input as found("transactional", "gambling", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_gambling_one_weak_term_allowed if {
	count(content_reasons(th.reasons)) == 0 with input as found("transactional", "gambling", 1, ["a"])
}

# th/adult-content

test_adult_strong_term_blocked if {
	content_reasons(th.reasons) == {{"code": "ADULT_CONTENT", "rule": "th/adult-content", "evidence": "X"}} with input as found("transactional", "adult", 2, ["X"])
}

test_adult_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(th.reasons) == {{"code": "ADULT_CONTENT", "rule": "th/adult-content", "evidence": "a, b"}} with input as found("transactional", "adult", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_adult_one_weak_term_allowed if {
	count(content_reasons(th.reasons)) == 0 with input as found("transactional", "adult", 1, ["a"])
}

# th/loan-content

test_loan_strong_term_blocked if {
	content_reasons(th.reasons) == {{"code": "LOAN_CONTENT", "rule": "th/loan-content", "evidence": "X"}} with input as found("transactional", "loan", 2, ["X"])
}

test_loan_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(th.reasons) == {{"code": "LOAN_CONTENT", "rule": "th/loan-content", "evidence": "a, b"}} with input as found("transactional", "loan", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_loan_one_weak_term_allowed if {
	count(content_reasons(th.reasons)) == 0 with input as found("transactional", "loan", 1, ["a"])
}

# th/firearms-content

test_firearms_strong_term_blocked if {
	content_reasons(th.reasons) == {{"code": "FIREARMS_CONTENT", "rule": "th/firearms-content", "evidence": "X"}} with input as found("transactional", "firearms", 2, ["X"])
}

test_firearms_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(th.reasons) == {{"code": "FIREARMS_CONTENT", "rule": "th/firearms-content", "evidence": "a, b"}} with input as found("transactional", "firearms", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_firearms_one_weak_term_allowed if {
	count(content_reasons(th.reasons)) == 0 with input as found("transactional", "firearms", 1, ["a"])
}

# th/drugs-content

test_drugs_strong_term_blocked if {
	content_reasons(th.reasons) == {{"code": "DRUGS_CONTENT", "rule": "th/drugs-content", "evidence": "X"}} with input as found("transactional", "drugs", 2, ["X"])
}

test_drugs_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(th.reasons) == {{"code": "DRUGS_CONTENT", "rule": "th/drugs-content", "evidence": "a, b"}} with input as found("transactional", "drugs", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_drugs_one_weak_term_allowed if {
	count(content_reasons(th.reasons)) == 0 with input as found("transactional", "drugs", 1, ["a"])
}

# th/alcohol-content

test_alcohol_strong_term_blocked if {
	content_reasons(th.reasons) == {{"code": "ALCOHOL_CONTENT", "rule": "th/alcohol-content", "evidence": "X"}} with input as found("transactional", "alcohol", 2, ["X"])
}

test_alcohol_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(th.reasons) == {{"code": "ALCOHOL_CONTENT", "rule": "th/alcohol-content", "evidence": "a, b"}} with input as found("transactional", "alcohol", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_alcohol_one_weak_term_allowed if {
	count(content_reasons(th.reasons)) == 0 with input as found("transactional", "alcohol", 1, ["a"])
}

# crypto is not a category this pack forbids.
test_crypto_not_forbidden_allowed if {
	count(content_reasons(th.reasons)) == 0 with input as found("transactional", "crypto", 6, ["x", "y", "z"])
}

# Every category of the pack reports, each with its own evidence.
test_all_categories_reported if {
	cats := {"political": {"score": 3, "terms": ["political"], "evidence": ["political"]}, "religious": {"score": 3, "terms": ["religious"], "evidence": ["religious"]}, "gambling": {"score": 3, "terms": ["gambling"], "evidence": ["gambling"]}, "adult": {"score": 3, "terms": ["adult"], "evidence": ["adult"]}, "loan": {"score": 3, "terms": ["loan"], "evidence": ["loan"]}, "firearms": {"score": 3, "terms": ["firearms"], "evidence": ["firearms"]}, "drugs": {"score": 3, "terms": ["drugs"], "evidence": ["drugs"]}, "alcohol": {"score": 3, "terms": ["alcohol"], "evidence": ["alcohol"]}}
	rs := content_reasons(th.reasons) with input as object.union(base, {"message": {"kind": "promotional"}, "content": {"categories": cats}})
	{r.evidence | some r in rs} == {"political", "religious", "gambling", "adult", "loan", "firearms", "drugs", "alcohol"}
}

# th/tobacco-content

test_tobacco_strong_term_blocked if {
	content_reasons(th.reasons) == {{"code": "TOBACCO_CONTENT", "rule": "th/tobacco-content", "evidence": "บุหรี่ไฟฟ้า"}} with input as found("transactional", "tobacco", 2, ["บุหรี่ไฟฟ้า"])
}

test_tobacco_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(th.reasons) == {{"code": "TOBACCO_CONTENT", "rule": "th/tobacco-content", "evidence": "บุหรี่, x"}} with input as found("promotional", "tobacco", 2, ["บุหรี่", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_tobacco_one_weak_term_allowed if {
	count(content_reasons(th.reasons)) == 0 with input as found("transactional", "tobacco", 1, ["บุหรี่"])
}
