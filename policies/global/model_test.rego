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

scored(kind, spam, fraud) := object.union(base, {
	"message": object.union(base.message, {"kind": kind}),
	"content": object.union(base.content, {"model": {
		"spam": spam, "fraud": fraud,
		"features": {"spam": ["word \"free\""], "fraud": ["link shortener"]},
	}}),
})

model_reasons(rs) := {r | some r in rs; r.code in {"FRAUD_SUSPECTED", "SPAM_SUSPECTED"}}

thresholds := {"fraud_review": 0.5, "fraud_block": 0.9, "spam_review": 0.5}

test_no_model_facts_nothing_fires if {
	count(model_reasons(global.reasons)) == 0 with input as base with data.global.model as thresholds
}

test_no_thresholds_nothing_fires if {
	count(model_reasons(global.reasons)) == 0 with input as scored("transactional", 0.99, 0.99) with data.global.model as {}
}

test_fraud_above_block_blocked if {
	model_reasons(global.reasons) == {{
		"code": "FRAUD_SUSPECTED", "rule": "global/fraud-suspected", "action": "block",
		"evidence": "fraud 0.95: link shortener",
	}} with input as scored("promotional", 0.01, 0.95) with data.global.model as thresholds
}

test_fraud_between_thresholds_reviewed if {
	model_reasons(global.reasons) == {{
		"code": "FRAUD_SUSPECTED", "rule": "global/fraud-suspected", "action": "review",
		"evidence": "fraud 0.60: link shortener",
	}} with input as scored("otp", 0.01, 0.6) with data.global.model as thresholds
}

# The ham twin of the fraud cases: low scores on the same kinds.
test_low_fraud_allowed if {
	count(model_reasons(global.reasons)) == 0 with input as scored("otp", 0.02, 0.1) with data.global.model as thresholds
}

test_spam_on_transactional_reviewed if {
	model_reasons(global.reasons) == {{
		"code": "SPAM_SUSPECTED", "rule": "global/spam-suspected", "action": "review",
		"evidence": "spam 0.80: word \"free\"",
	}} with input as scored("transactional", 0.8, 0.05) with data.global.model as thresholds
}

# Spam and fraud shares add up: a body split between them is still unwanted.
test_split_unwanted_on_service_reviewed if {
	{r.code | some r in model_reasons(global.reasons)} == {"SPAM_SUSPECTED"} with input as scored("service", 0.3, 0.3)
		with data.global.model as thresholds
}

# The ham twin: marketing declared as promotional is expected.
test_spam_on_promotional_allowed if {
	count(model_reasons(global.reasons)) == 0 with input as scored("promotional", 0.99, 0.0) with data.global.model as thresholds
}

test_fraud_not_also_spam if {
	{r.code | some r in model_reasons(global.reasons)} == {"FRAUD_SUSPECTED"} with input as scored("transactional", 0.3, 0.65)
		with data.global.model as thresholds
}

test_spam_block_where_pack_says if {
	{r.action | some r in model_reasons(global.reasons)} == {"block"} with input as scored("transactional", 0.9, 0.0)
		with data.global.model as thresholds
		with data.countries.de.model as {"spam_block": 0.85}
}

# A country pack may only tighten: a laxer threshold there changes nothing.
test_country_cannot_loosen if {
	{r.action | some r in model_reasons(global.reasons)} == {"block"} with input as scored("transactional", 0.0, 0.92)
		with data.global.model as thresholds
		with data.countries.de.model as {"fraud_block": 0.99}
}

test_tenant_tightens if {
	{r.action | some r in model_reasons(global.reasons)} == {"review"} with input as scored("transactional", 0.0, 0.3)
		with data.global.model as thresholds
		with data.tenants.acme.model as {"fraud_review": 0.25}
}

# The ham twin: the same scores for another tenant stay allowed.
test_other_tenant_untouched if {
	count(model_reasons(global.reasons)) == 0 with input as object.union(scored("transactional", 0.0, 0.3), {"message": object.union(base.message, {"tenant": "other"})})
		with data.global.model as thresholds
		with data.tenants.acme.model as {"fraud_review": 0.25}
}

# A tenant may only tighten: its 0.99 does not relax the country pack's 0.6
# (nor the global pack's 0.7 and 0.9).
test_tenant_cannot_loosen if {
	{r.action | some r in model_reasons(global.reasons)} == {"review"} with input as scored("transactional", 0.0, 0.65)
		with data.global.model as {"fraud_review": 0.7, "fraud_block": 0.9}
		with data.countries.de.model as {"fraud_review": 0.6}
		with data.tenants.acme.model as {"fraud_review": 0.99, "fraud_block": 0.99}
}

# The ham twin: under the pack's 0.6, nothing for the tenant either.
test_tenant_cannot_loosen_ham if {
	count(model_reasons(global.reasons)) == 0 with input as scored("transactional", 0.0, 0.55)
		with data.global.model as {"fraud_review": 0.7, "fraud_block": 0.9}
		with data.countries.de.model as {"fraud_review": 0.6}
		with data.tenants.acme.model as {"fraud_review": 0.99, "fraud_block": 0.99}
}

# A tenant's spam_block blocks misdeclared marketing, which the packs only
# hold for review.
test_tenant_spam_block if {
	{r.action | some r in model_reasons(global.reasons)} == {"block"} with input as scored("transactional", 0.8, 0.0)
		with data.global.model as thresholds
		with data.tenants.acme.model as {"spam_block": 0.7}
}

# The ham twin: the same body declared promotional is expected to market.
test_tenant_spam_block_promotional_allowed if {
	count(model_reasons(global.reasons)) == 0 with input as scored("promotional", 0.8, 0.0)
		with data.global.model as thresholds
		with data.tenants.acme.model as {"spam_block": 0.7}
}

# The shipped global data has the three thresholds.
test_shipped_thresholds if {
	global_data := data.global.model
	global_data.fraud_review < global_data.fraud_block
	is_number(global_data.spam_review)
}
