package msgfilter.global_content_test

import data.msgfilter.global

# A valid transactional SMS; tests add what the matcher found in the body.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "DE", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "ACMEBANK", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+4915123456789", "country": "DE", "number_type": "mobile"},
	"content": {"opt_out_text": false, "categories": {}},
	"links": [],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

with_categories(cats) := object.union(base, {"content": {"categories": cats}})

lure(score, evidence) := {"fraud_lure": {"score": score, "terms": evidence, "evidence": evidence}}

test_no_categories_allowed if {
	count(global.reasons) == 0 with input as base
}

test_strong_lure_reviewed if {
	global.reasons == {{
		"code": "FRAUD_LURE",
		"rule": "global/fraud-lure",
		"evidence": "verify your account",
	}} with input as with_categories(lure(2, ["verify your account"]))
}

test_two_weak_lures_reviewed_with_both_as_evidence if {
	global.reasons == {{
		"code": "FRAUD_LURE",
		"rule": "global/fraud-lure",
		"evidence": "Congratulations, claim",
	}} with input as with_categories(lure(2, ["Congratulations", "claim"]))
}

# The ham twin: "Congratulations on your new home" has one weak term.
test_one_weak_lure_allowed if {
	count(global.reasons) == 0 with input as with_categories(lure(1, ["Congratulations"]))
}

# Country categories are the country packs' business, opt-out keywords the
# channel's: neither makes a fraud lure.
test_other_categories_not_lures if {
	count(global.reasons) == 0 with input as with_categories({
		"political": {"score": 4, "terms": ["election"], "evidence": ["election"]},
		"opt_out": {"score": 2, "terms": ["stop"], "evidence": ["STOP"]},
	})
}

# The rule sets no action: FRAUD_LURE's default (review) applies, so a lure
# never blocks on its own.
test_lure_sets_no_action if {
	some r in global.reasons with input as with_categories(lure(6, ["a", "b", "c"]))
	not "action" in object.keys(r)
}

test_bidi_overflow_reviewed if {
	global.reasons == {{
		"code": "FRAUD_SUSPECTED",
		"rule": "global/bidi-overflow",
		"evidence": "bidi controls nested more than 16 deep",
		"action": "review",
	}} with input as object.union(base, {"content": {"bidi_overflow": true}})
}

# The ham twin: right-to-left text with a couple of marks nests a level or
# two, and the fact is false.
test_bidi_within_bounds_allowed if {
	count(global.reasons) == 0 with input as object.union(base, {"content": {"bidi_overflow": false}})
}
