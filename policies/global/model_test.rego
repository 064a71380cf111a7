package msgfilter.global_model_test

import data.msgfilter.global

# A valid transactional SMS; tests add the model's scores.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "DE", "tenant": "acme", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "ACMEBANK", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+4915123456789", "country": "DE", "number_type": "mobile"},
	"content": {"opt_out_text": false, "categories": {}},
	"links": [],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

# The thresholds Go resolves from the shipped global data, for a
# destination and tenant that set none of their own.
thresholds := {"fraud_review": 0.5, "fraud_block": 0.9, "spam_review": 0.5, "corroborated": 0.45}

scored(kind, spam, fraud) := scored_with(kind, spam, fraud, thresholds)

scored_with(kind, spam, fraud, ts) := object.union(base, {
	"message": object.union(base.message, {"kind": kind}),
	"content": object.union(base.content, {"model": {
		"spam": spam, "fraud": fraud, "unwanted": spam + fraud,
		"features": {"spam": ["word \"free\""], "fraud": ["link shortener"]},
		"thresholds": ts,
	}}),
})

model_reasons(rs) := {r | some r in rs; r.code in {"FRAUD_SUSPECTED", "SPAM_SUSPECTED"}}

test_no_model_facts_nothing_fires if {
	count(model_reasons(global.reasons)) == 0 with input as base
}

test_no_thresholds_nothing_fires if {
	count(model_reasons(global.reasons)) == 0 with input as scored_with("transactional", 0.99, 0.99, {})
}

test_fraud_above_block_blocked if {
	model_reasons(global.reasons) == {{
		"code": "FRAUD_SUSPECTED", "rule": "global/fraud-suspected", "action": "block",
		"evidence": "fraud 0.95: link shortener",
	}} with input as scored("promotional", 0.01, 0.95)
}

test_fraud_between_thresholds_reviewed if {
	model_reasons(global.reasons) == {{
		"code": "FRAUD_SUSPECTED", "rule": "global/fraud-suspected", "action": "review",
		"evidence": "fraud 0.60: link shortener",
	}} with input as scored("otp", 0.01, 0.6)
}

# The ham twin of the fraud cases: low scores on the same kinds.
test_low_fraud_allowed if {
	count(model_reasons(global.reasons)) == 0 with input as scored("otp", 0.02, 0.1)
}

test_spam_on_transactional_reviewed if {
	model_reasons(global.reasons) == {{
		"code": "SPAM_SUSPECTED", "rule": "global/spam-suspected", "action": "review",
		"evidence": "spam 0.80: word \"free\"",
	}} with input as scored("transactional", 0.8, 0.05)
}

# Spam and fraud shares add up: a body split between them is still unwanted.
test_split_unwanted_on_service_reviewed if {
	{r.code | some r in model_reasons(global.reasons)} == {"SPAM_SUSPECTED"} with input as scored("service", 0.3, 0.3)
}

# The ham twin: marketing declared as promotional is expected.
test_spam_on_promotional_allowed if {
	count(model_reasons(global.reasons)) == 0 with input as scored("promotional", 0.99, 0.0)
}

test_fraud_not_also_spam if {
	{r.code | some r in model_reasons(global.reasons)} == {"FRAUD_SUSPECTED"} with input as scored("transactional", 0.3, 0.65)
}

test_spam_block_where_set if {
	{r.action | some r in model_reasons(global.reasons)} == {"block"} with input as scored_with("transactional", 0.9, 0.0, object.union(thresholds, {"spam_block": 0.85}))
}

# The ham twin: under the spam_block threshold the same body is reviewed.
test_spam_under_block_reviewed if {
	{r.action | some r in model_reasons(global.reasons)} == {"review"} with input as scored_with("transactional", 0.8, 0.0, object.union(thresholds, {"spam_block": 0.85}))
}

# A rule whose threshold is absent does not fire, whatever the others say.
test_absent_threshold_rule_silent if {
	{r.action | some r in model_reasons(global.reasons)} == {"review"} with input as scored_with("transactional", 0.0, 0.95, {"fraud_review": 0.5})
}

# The shipped global data has the thresholds the cases above use.
test_shipped_thresholds if {
	data.global.model == thresholds
}

# global/fraud-lure-content: a fraud_lure score of 1 in a body the model
# scores at or above its corroborated threshold, under its own thresholds.
lured(kind, spam, fraud, score) := lured_with(kind, spam, fraud, score, thresholds)

lured_with(kind, spam, fraud, score, ts) := object.union(scored_with(kind, spam, fraud, ts), {"content": {"categories": {"fraud_lure": {"score": score, "terms": ["unusual activity"], "evidence": ["unusual activity"]}}}})

lure_content_reasons(rs) := {r | some r in rs; r.rule == "global/fraud-lure-content"}

test_weak_lure_with_suspect_content_reviewed if {
	lure_content_reasons(global.reasons) == {{
		"code": "FRAUD_LURE", "rule": "global/fraud-lure-content", "action": "review",
		"evidence": "unusual activity in a body the content model scores 0.46",
	}} with input as lured("transactional", 0.3, 0.16, 1)
}

# Ham twin: a bank's "unusual activity" alert the model finds clean.
test_weak_lure_with_clean_content_allowed if {
	count(lure_content_reasons(global.reasons)) == 0 with input as lured("transactional", 0.3, 0.14, 1)
}

# Ham twin: the same score without a lure.
test_suspect_content_without_lure_allowed if {
	count(global.reasons) == 0 with input as scored("transactional", 0.3, 0.16)
}

# A lure of 2 is global/fraud-lure's, and a score the model rules flag is
# theirs: neither is reported twice.
test_strong_lure_not_reported_twice if {
	count(lure_content_reasons(global.reasons)) == 0 with input as lured("transactional", 0.3, 0.16, 2)
}

test_model_flagged_lure_not_reported_twice if {
	count(lure_content_reasons(global.reasons)) == 0 with input as lured("transactional", 0.3, 0.3, 1)
}

# Marketing declared promotional: only its fraud score counts.
test_promotional_spam_with_weak_lure_allowed if {
	count(lure_content_reasons(global.reasons)) == 0 with input as lured("promotional", 0.46, 0, 1)
}

test_promotional_fraud_with_weak_lure_reviewed if {
	count(lure_content_reasons(global.reasons)) == 1 with input as lured("promotional", 0, 0.46, 1)
}

# Without a corroborated threshold (no pack sets one) the rule is off; a
# pack's lower one (Go resolves the lowest) reviews a lower score.
test_weak_lure_without_corroborated_threshold_allowed if {
	count(lure_content_reasons(global.reasons)) == 0 with input as lured_with("transactional", 0.3, 0.16, 1, object.remove(thresholds, ["corroborated"]))
}

test_lower_corroborated_threshold_reviews_lower_score if {
	count(lure_content_reasons(global.reasons)) == 1 with input as lured_with("transactional", 0.1, 0.1, 1, object.union(thresholds, {"corroborated": 0.2}))
}
