package msgfilter.countries.in_content_test

import data.msgfilter.countries["in"] as india

# A service SMS to India; content tests add categories to it.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "service", "country": "IN", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "Asia/Kolkata"},
	"sender": {"raw": "VM-SHOPCO-S", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+919812345678", "country": "IN", "number_type": "mobile"},
	"content": {"opt_out_text": false, "categories": {}},
	"links": [],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

found(kind, category, score, evidence) := object.union(base, {
	"message": {"kind": kind},
	"content": {"categories": {category: {"score": score, "terms": evidence, "evidence": evidence}}},
})

content_reasons(rs) := {r | some r in rs; r.rule in {"in/gambling-content", "in/investment-content", "in/dlt-template"}}

test_base_allowed if {
	count(content_reasons(india.reasons)) == 0 with input as base
}

# in/gambling-content

test_gambling_strong_term_blocked if {
	content_reasons(india.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "in/gambling-content", "evidence": "सट्टा"}} with input as found("service", "gambling", 2, ["सट्टा"])
}

test_gambling_two_weak_terms_blocked if {
	content_reasons(india.reasons) == {{"code": "GAMBLING_CONTENT", "rule": "in/gambling-content", "evidence": "rummy, win cash"}} with input as found("promotional", "gambling", 2, ["rummy", "win cash"])
}

test_gambling_one_weak_term_allowed if {
	count(content_reasons(india.reasons)) == 0 with input as found("promotional", "gambling", 1, ["matka"])
}

test_gambling_transactional_still_blocked if {
	some r in india.reasons with input as found("transactional", "gambling", 2, ["teen patti"])
	r.code == "GAMBLING_CONTENT"
}

# in/investment-content

test_stock_tips_blocked if {
	content_reasons(india.reasons) == {{"code": "INVESTMENT_CONTENT", "rule": "in/investment-content", "evidence": "intraday tips"}} with input as found("promotional", "investment", 2, ["intraday tips"])
}

test_stock_tips_one_weak_term_allowed if {
	count(content_reasons(india.reasons)) == 0 with input as found("promotional", "investment", 1, ["शेयर बाजार"])
}

test_investment_terms_in_otp_allowed if {
	count(content_reasons(india.reasons)) == 0 with input as found("otp", "investment", 2, ["guaranteed returns"])
}

test_investment_terms_in_bank_transactional_allowed if {
	count(content_reasons(india.reasons)) == 0 with input as found("transactional", "investment", 2, ["assured returns"])
}

# in/dlt-template (fact input.dlt)

test_body_fitting_no_template_not_registered if {
	content_reasons(india.reasons) == {{
		"code": "TEMPLATE_NOT_REGISTERED",
		"rule": "in/dlt-template",
		"evidence": "no template of header SHOPCO fits the body",
	}} with input as object.union(base, {"dlt": {"checked": true, "header": "SHOPCO", "matched": false, "template_id": ""}})
}

test_body_fitting_a_template_allowed if {
	count(content_reasons(india.reasons)) == 0 with input as object.union(base, {"dlt": {"checked": true, "header": "SHOPCO", "matched": true, "template_id": "1107160000000000004"}})
}

test_no_registry_configured_allowed if {
	count(content_reasons(india.reasons)) == 0 with input as object.union(base, {"dlt": {"checked": false, "header": "SHOPCO", "matched": false, "template_id": ""}})
}

test_without_dlt_fact_allowed if {
	count(content_reasons(india.reasons)) == 0 with input as base
}
