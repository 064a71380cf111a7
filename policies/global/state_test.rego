package msgfilter.global_test

import data.msgfilter.global

# base (global_test.rego) is a transactional SMS; these helpers set its kind
# and conversation state.
with_state(kind, conversation) := object.union(base, {
	"message": {"kind": kind},
	"conversation": object.union({"has_inbound": false, "inbound_age_minutes": 0, "opted_out": false, "session_messages": 0}, conversation),
})

state_codes(kind, conversation) := codes if {
	codes := {r.code | some r in global.reasons} with input as with_state(kind, conversation)
}

# global/opted-out

test_opted_out_promotional_blocked if {
	global.reasons == {{
		"code": "OPTED_OUT",
		"rule": "global/opted-out",
		"evidence": "the recipient opted out; promotional messages are not sent",
	}} with input as with_state("promotional", {"opted_out": true})
}

test_not_opted_out_promotional_allowed if {
	count(global.reasons) == 0 with input as with_state("promotional", {"opted_out": false})
}

test_opted_out_service_blocked if {
	state_codes("service", {"opted_out": true}) == {"OPTED_OUT"}
}

test_not_opted_out_service_allowed if {
	state_codes("service", {}) == set()
}

# Transactional and OTP messages still reach an opted-out recipient by default.
test_opted_out_transactional_allowed if {
	state_codes("transactional", {"opted_out": true}) == set()
}

test_opted_out_otp_allowed if {
	state_codes("otp", {"opted_out": true}) == set()
}

test_opted_out_otp_blocked_when_configured if {
	state_codes("otp", {"opted_out": true}) == {"OPTED_OUT"} with data.global.opted_out_blocks_kinds as ["promotional", "service", "otp"]
}

# Facts from before conversation state (no opted_out field) never block.
test_facts_without_state_allowed if {
	count(global.reasons) == 0 with input as object.union(base, {"message": {"kind": "promotional"}})
}

# global/rate-limit and global/duplicate-flood: Go decides them from the
# store's count; the policies declare them for their METADATA.

test_limits_declared if {
	global.limits == {
		{"code": "RATE_LIMIT", "rule": "global/rate-limit"},
		{"code": "DUPLICATE_FLOOD", "rule": "global/duplicate-flood"},
	}
}
