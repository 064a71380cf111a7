package msgfilter.countries.ae_content_test

import data.msgfilter.countries.ae

# A transactional SMS to the UAE; content tests add categories to it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "AE", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "+15005550006", "kind": "e164", "country": "", "number_type": "mobile", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "AE", "number_type": "mobile"},
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
	count(content_reasons(ae.reasons)) == 0 with input as base
}

# ae/political-content

test_political_strong_term_blocked if {
	content_reasons(ae.reasons) == {{"code": "POLITICAL_CONTENT", "rule": "ae/political-content", "evidence": "X"}} with input as found("transactional", "political", 2, ["X"])
}

test_political_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(ae.reasons) == {{"code": "POLITICAL_CONTENT", "rule": "ae/political-content", "evidence": "a, b"}} with input as found("transactional", "political", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_political_one_weak_term_allowed if {
	count(content_reasons(ae.reasons)) == 0 with input as found("transactional", "political", 1, ["a"])
}

# ae/religious-content

test_religious_strong_term_blocked if {
	content_reasons(ae.reasons) == {{"code": "RELIGIOUS_CONTENT", "rule": "ae/religious-content", "evidence": "X"}} with input as found("transactional", "religious", 2, ["X"])
}

test_religious_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(ae.reasons) == {{"code": "RELIGIOUS_CONTENT", "rule": "ae/religious-content", "evidence": "a, b"}} with input as found("transactional", "religious", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_religious_one_weak_term_allowed if {
	count(content_reasons(ae.reasons)) == 0 with input as found("transactional", "religious", 1, ["a"])
}

# ae/gambling-content

test_gambling_strong_term_blocked if {
	content_reasons(ae.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "ae/gambling-content", "evidence": "X"}} with input as found("transactional", "gambling", 2, ["X"])
}

test_gambling_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(ae.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "ae/gambling-content", "evidence": "a, b"}} with input as found("transactional", "gambling", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_gambling_one_weak_term_allowed if {
	count(content_reasons(ae.reasons)) == 0 with input as found("transactional", "gambling", 1, ["a"])
}

# ae/adult-content

test_adult_strong_term_blocked if {
	content_reasons(ae.reasons) == {{"code": "ADULT_CONTENT", "rule": "ae/adult-content", "evidence": "X"}} with input as found("transactional", "adult", 2, ["X"])
}

test_adult_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(ae.reasons) == {{"code": "ADULT_CONTENT", "rule": "ae/adult-content", "evidence": "a, b"}} with input as found("transactional", "adult", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_adult_one_weak_term_allowed if {
	count(content_reasons(ae.reasons)) == 0 with input as found("transactional", "adult", 1, ["a"])
}

# ae/loan-content

test_loan_strong_term_blocked if {
	content_reasons(ae.reasons) == {{"code": "LOAN_CONTENT", "rule": "ae/loan-content", "evidence": "X"}} with input as found("transactional", "loan", 2, ["X"])
}

test_loan_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(ae.reasons) == {{"code": "LOAN_CONTENT", "rule": "ae/loan-content", "evidence": "a, b"}} with input as found("transactional", "loan", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_loan_one_weak_term_allowed if {
	count(content_reasons(ae.reasons)) == 0 with input as found("transactional", "loan", 1, ["a"])
}

# ae/drugs-content

test_drugs_strong_term_blocked if {
	content_reasons(ae.reasons) == {{"code": "DRUGS_CONTENT", "rule": "ae/drugs-content", "evidence": "X"}} with input as found("transactional", "drugs", 2, ["X"])
}

test_drugs_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(ae.reasons) == {{"code": "DRUGS_CONTENT", "rule": "ae/drugs-content", "evidence": "a, b"}} with input as found("transactional", "drugs", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_drugs_one_weak_term_allowed if {
	count(content_reasons(ae.reasons)) == 0 with input as found("transactional", "drugs", 1, ["a"])
}

# ae/alcohol-content

test_alcohol_strong_term_blocked if {
	content_reasons(ae.reasons) == {{"code": "ALCOHOL_CONTENT", "rule": "ae/alcohol-content", "evidence": "X"}} with input as found("transactional", "alcohol", 2, ["X"])
}

test_alcohol_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(ae.reasons) == {{"code": "ALCOHOL_CONTENT", "rule": "ae/alcohol-content", "evidence": "a, b"}} with input as found("transactional", "alcohol", 2, ["a", "b"])
}

# The ham twin: one ambiguous term alone is not enough.
test_alcohol_one_weak_term_allowed if {
	count(content_reasons(ae.reasons)) == 0 with input as found("transactional", "alcohol", 1, ["a"])
}

# firearms is not a category this pack forbids.
test_firearms_not_forbidden_allowed if {
	count(content_reasons(ae.reasons)) == 0 with input as found("transactional", "firearms", 6, ["x", "y", "z"])
}

# Every category of the pack reports, each with its own evidence.
test_all_categories_reported if {
	cats := {"political": {"score": 3, "terms": ["political"], "evidence": ["political"]}, "religious": {"score": 3, "terms": ["religious"], "evidence": ["religious"]}, "gambling": {"score": 3, "terms": ["gambling"], "evidence": ["gambling"]}, "adult": {"score": 3, "terms": ["adult"], "evidence": ["adult"]}, "loan": {"score": 3, "terms": ["loan"], "evidence": ["loan"]}, "drugs": {"score": 3, "terms": ["drugs"], "evidence": ["drugs"]}, "alcohol": {"score": 3, "terms": ["alcohol"], "evidence": ["alcohol"]}}
	rs := content_reasons(ae.reasons) with input as object.union(base, {"message": {"kind": "promotional"}, "content": {"categories": cats}})
	{r.evidence | some r in rs} == {"political", "religious", "gambling", "adult", "loan", "drugs", "alcohol"}
}

# ae/crypto-content

test_crypto_strong_term_blocked if {
	content_reasons(ae.reasons) == {{"code": "CRYPTO_CONTENT", "rule": "ae/crypto-content", "evidence": "bitcoin"}} with input as found("transactional", "crypto", 2, ["bitcoin"])
}

test_crypto_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(ae.reasons) == {{"code": "CRYPTO_CONTENT", "rule": "ae/crypto-content", "evidence": "binance, x"}} with input as found("promotional", "crypto", 2, ["binance", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_crypto_one_weak_term_allowed if {
	count(content_reasons(ae.reasons)) == 0 with input as found("transactional", "crypto", 1, ["binance"])
}

# ae/tobacco-content

test_tobacco_strong_term_blocked if {
	content_reasons(ae.reasons) == {{"code": "TOBACCO_CONTENT", "rule": "ae/tobacco-content", "evidence": "vape"}} with input as found("transactional", "tobacco", 2, ["vape"])
}

test_tobacco_two_weak_terms_blocked_with_both_as_evidence if {
	content_reasons(ae.reasons) == {{"code": "TOBACCO_CONTENT", "rule": "ae/tobacco-content", "evidence": "nicotine, x"}} with input as found("promotional", "tobacco", 2, ["nicotine", "x"])
}

# The ham twin: one ambiguous term alone is not enough.
test_tobacco_one_weak_term_allowed if {
	count(content_reasons(ae.reasons)) == 0 with input as found("transactional", "tobacco", 1, ["nicotine"])
}
