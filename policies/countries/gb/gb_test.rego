package msgfilter.countries.gb_test

import data.msgfilter.countries.gb

base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "promotional", "country": "GB", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "Europe/London"},
	"sender": {"raw": "SHOPCO", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "GB", "number_type": "mobile"},
	"content": {"opt_out_text": false, "opt_out_instruction": true, "categories": {}},
	"links": [],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

test_promotional_with_opt_out_allowed if {
	count(gb.reasons) == 0 with input as base
}

test_promotional_without_opt_out_missing if {
	gb.reasons == {{"code": "MISSING_OPT_OUT_TEXT", "rule": "gb/missing-opt-out", "evidence": "no way to refuse further messages in the body"}} with input as object.union(base, {"content": {"opt_out_instruction": false}})
}

test_transactional_without_opt_out_allowed if {
	count(gb.reasons) == 0 with input as object.union(base, {"message": {"kind": "transactional"}, "content": {"opt_out_instruction": false}})
}

# Without the fact (older engines) the rule stays silent (STOP alone is not what the law asks).
test_without_instruction_fact_allowed if {
	count(gb.reasons) == 0 with input as json.remove(base, ["content/opt_out_instruction"])
}
