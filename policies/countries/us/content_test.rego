package msgfilter.countries.us_content_test

import data.msgfilter.countries.us

# A transactional SMS to the United States; content tests add categories to it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "US", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "+15005550006", "kind": "e164", "country": "", "number_type": "mobile", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "US", "number_type": "mobile"},
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
	count(content_reasons(us.reasons)) == 0 with input as base
}

# us/adult-content

test_adult_strong_term_blocked if {
	content_reasons(us.reasons) == {{"code": "ADULT_CONTENT", "rule": "us/adult-content", "evidence": "X"}} with input as found("transactional", "adult", 2, ["X"])
}

test_adult_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(us.reasons) == {{"code": "ADULT_CONTENT", "rule": "us/adult-content", "evidence": "a, b"}} with input as found("transactional", "adult", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_adult_one_weak_term_allowed if {
	count(content_reasons(us.reasons)) == 0 with input as found("transactional", "adult", 1, ["a"])
}

# us/tobacco-content

test_tobacco_strong_term_blocked if {
	content_reasons(us.reasons) == {{"code": "TOBACCO_CONTENT", "rule": "us/tobacco-content", "evidence": "X"}} with input as found("transactional", "tobacco", 2, ["X"])
}

test_tobacco_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(us.reasons) == {{"code": "TOBACCO_CONTENT", "rule": "us/tobacco-content", "evidence": "a, b"}} with input as found("transactional", "tobacco", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_tobacco_one_weak_term_allowed if {
	count(content_reasons(us.reasons)) == 0 with input as found("transactional", "tobacco", 1, ["a"])
}

# us/hate-content

test_hate_strong_term_blocked if {
	content_reasons(us.reasons) == {{"code": "HATE_CONTENT", "rule": "us/hate-content", "evidence": "X"}} with input as found("transactional", "hate", 2, ["X"])
}

test_hate_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(us.reasons) == {{"code": "HATE_CONTENT", "rule": "us/hate-content", "evidence": "a, b"}} with input as found("transactional", "hate", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_hate_one_weak_term_allowed if {
	count(content_reasons(us.reasons)) == 0 with input as found("transactional", "hate", 1, ["a"])
}

# us/alcohol-content

test_alcohol_strong_term_review if {
	content_reasons(us.reasons) == {{"code": "ALCOHOL_CONTENT", "rule": "us/alcohol-content", "evidence": "X", "action": "review"}} with input as found("transactional", "alcohol", 2, ["X"])
}

test_alcohol_two_weak_terms_review_with_both_as_evidence if {
	content_reasons(us.reasons) == {{"code": "ALCOHOL_CONTENT", "rule": "us/alcohol-content", "evidence": "a, b", "action": "review"}} with input as found("transactional", "alcohol", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_alcohol_one_weak_term_allowed if {
	count(content_reasons(us.reasons)) == 0 with input as found("transactional", "alcohol", 1, ["a"])
}

# us/firearms-content

test_firearms_strong_term_review if {
	content_reasons(us.reasons) == {{"code": "FIREARMS_CONTENT", "rule": "us/firearms-content", "evidence": "X", "action": "review"}} with input as found("transactional", "firearms", 2, ["X"])
}

test_firearms_two_weak_terms_review_with_both_as_evidence if {
	content_reasons(us.reasons) == {{"code": "FIREARMS_CONTENT", "rule": "us/firearms-content", "evidence": "a, b", "action": "review"}} with input as found("transactional", "firearms", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_firearms_one_weak_term_allowed if {
	count(content_reasons(us.reasons)) == 0 with input as found("transactional", "firearms", 1, ["a"])
}

# political is not a category this pack forbids.
test_political_not_forbidden_allowed if {
	count(content_reasons(us.reasons)) == 0 with input as found("transactional", "political", 6, ["x", "y", "z"])
}

# Every category of the pack reports, each with its own evidence.
test_all_categories_reported if {
	cats := {"adult": {"score": 3, "terms": ["adult"], "evidence": ["adult"]}, "tobacco": {"score": 3, "terms": ["tobacco"], "evidence": ["tobacco"]}, "hate": {"score": 3, "terms": ["hate"], "evidence": ["hate"]}, "alcohol": {"score": 3, "terms": ["alcohol"], "evidence": ["alcohol"]}, "firearms": {"score": 3, "terms": ["firearms"], "evidence": ["firearms"]}}
	rs := content_reasons(us.reasons) with input as object.union(base, {"message": {"kind": "promotional"}, "content": {"categories": cats}})
	{r.evidence | some r in rs} == {"adult", "tobacco", "hate", "alcohol", "firearms"}
}

# us/drugs-content (cannabis)

test_cannabis_blocked if {
	content_reasons(us.reasons) == {{"code": "DRUGS_CONTENT", "rule": "us/drugs-content", "evidence": "THC"}} with input as found("promotional", "drugs", 2, ["THC"])
}

test_one_weak_drug_term_allowed if {
	count(content_reasons(us.reasons)) == 0 with input as found("promotional", "drugs", 1, ["weed"])
}

# us/loan-content, us/crypto-content: review, never on OTPs

test_payday_loan_reviewed if {
	content_reasons(us.reasons) == {{"code": "LOAN_CONTENT", "rule": "us/loan-content", "evidence": "payday loan", "action": "review"}} with input as found("promotional", "loan", 2, ["payday loan"])
}

test_one_weak_loan_term_allowed if {
	count(content_reasons(us.reasons)) == 0 with input as found("transactional", "loan", 1, ["loan"])
}

test_crypto_giveaway_reviewed if {
	content_reasons(us.reasons) == {{"code": "CRYPTO_CONTENT", "rule": "us/crypto-content", "evidence": "free bitcoin", "action": "review"}} with input as found("promotional", "crypto", 2, ["free bitcoin"])
}

test_crypto_otp_allowed if {
	count(content_reasons(us.reasons)) == 0 with input as found("otp", "crypto", 2, ["crypto", "bitcoin"])
}
