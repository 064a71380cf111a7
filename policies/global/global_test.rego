package msgfilter.global_test

import data.msgfilter.global

# A valid transactional SMS from an 11-character sender ID: no global rule fires.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "DE", "tenant": "", "length": 42},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "ACMEBANKING", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+4915123456789", "country": "DE", "number_type": "mobile"},
	"content": {"opt_out_text": false},
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

with_sender(sender) := object.union(base, {"sender": sender})

test_base_message_allowed if {
	count(global.reasons) == 0 with input as base
}

# global/sender-id-length

test_sender_id_twelve_characters_format if {
	global.reasons == {{
		"code": "SENDER_ID_FORMAT",
		"rule": "global/sender-id-length",
		"evidence": "ACMEBANKINGS",
	}} with input as with_sender({"raw": "ACMEBANKINGS", "valid": false, "reason": "alphanumeric sender ID has 12 characters, want at most 11"})
}

test_sender_id_eleven_characters_allowed if {
	count(global.reasons) == 0 with input as with_sender({"raw": "ACMEBANKING"})
}

# Characters, not bytes: "Crédit-Agri" is 11 characters and 12 bytes.
test_sender_id_eleven_non_ascii_characters_allowed if {
	count(global.reasons) == 0 with input as with_sender({"raw": "Crédit-Agri"})
}

test_sender_id_twelve_non_ascii_characters_format if {
	global.reasons == {{
		"code": "SENDER_ID_FORMAT",
		"rule": "global/sender-id-length",
		"evidence": "Crédit-Agric",
	}} with input as with_sender({"raw": "Crédit-Agric", "valid": false, "reason": "too long"})
}

# The length rule is about sender IDs: a long E.164 number is judged by validity alone.
test_long_e164_sender_not_id_format if {
	codes := {r.code | some r in global.reasons} with input as with_sender({
		"raw": "+4915123456789",
		"kind": "e164",
		"country": "DE",
		"number_type": "mobile",
	})
	not "SENDER_ID_FORMAT" in codes
	count(codes) == 0
}

# global/sender-invalid

test_invalid_sender_blocked if {
	global.reasons == {{
		"code": "SENDER_INVALID",
		"rule": "global/sender-invalid",
		"evidence": "+12: e164 sender has 2 digits, want 7 to 15",
	}} with input as with_sender({"raw": "+12", "kind": "invalid", "valid": false, "reason": "e164 sender has 2 digits, want 7 to 15"})
}

test_valid_e164_sender_allowed if {
	count(global.reasons) == 0 with input as with_sender({
		"raw": "+4915123456789",
		"kind": "e164",
		"country": "DE",
		"number_type": "mobile",
	})
}

# An invalid alphanumeric ID of at most 11 characters is SENDER_INVALID.
test_short_invalid_sender_id_invalid if {
	global.reasons == {{
		"code": "SENDER_INVALID",
		"rule": "global/sender-invalid",
		"evidence": "ACME BANK!: sender ID has characters outside A-Z, 0-9 and -",
	}} with input as with_sender({"raw": "ACME BANK!", "valid": false, "reason": "sender ID has characters outside A-Z, 0-9 and -"})
}

# An over-long ID is reported once, as SENDER_ID_FORMAT, not also as SENDER_INVALID.
test_long_invalid_sender_id_reported_once if {
	rs := global.reasons with input as with_sender({"raw": "ACMEBANKINGSERVICES", "valid": false, "reason": "too long"})
	count(rs) == 1
	some r in rs
	r.code == "SENDER_ID_FORMAT"
}

# global/sender-premium-rate

test_premium_rate_sender_blocked if {
	global.reasons == {{
		"code": "SENDER_PREMIUM_RATE",
		"rule": "global/sender-premium-rate",
		"evidence": "+449090123456",
	}} with input as with_sender({"raw": "+449090123456", "kind": "e164", "country": "GB", "number_type": "premium_rate"})
}

test_toll_free_sender_allowed if {
	count(global.reasons) == 0 with input as with_sender({"raw": "+448001234567", "kind": "e164", "country": "GB", "number_type": "toll_free"})
}

# A premium-rate number that is also invalid reports both problems.
test_invalid_premium_rate_sender_both_reported if {
	codes := {r.code | some r in global.reasons} with input as with_sender({
		"raw": "+449090123456",
		"kind": "e164",
		"country": "GB",
		"number_type": "premium_rate",
		"valid": false,
		"reason": "test",
	})
	codes == {"SENDER_PREMIUM_RATE", "SENDER_INVALID"}
}
