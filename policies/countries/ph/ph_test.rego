package msgfilter.countries.ph_test

import data.msgfilter.countries.ph

# A transactional SMS to the Philippines from a plain brand sender ID.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "PH", "tenant": "", "length": 40},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "Asia/Manila"},
	"sender": {"raw": "GLOBE", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+639171234567", "country": "PH", "number_type": "mobile"},
	"content": {"opt_out_text": false},
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

with_sender(raw) := object.union(base, {"sender": {"raw": raw}})

reserved(raw) := {{
	"code": "SENDER_ID_FORMAT",
	"rule": "ph/sender-reserved-words",
	"evidence": raw,
}}

# ph/sender-reserved-words

test_plain_sender_id_allowed if {
	count(ph.reasons) == 0 with input as base
}

test_sender_id_test_format if {
	ph.reasons == reserved("TEST") with input as with_sender("TEST")
}

# The words are refused anywhere inside the ID and in any case.
test_sender_id_containing_test_format if {
	ph.reasons == reserved("MyTestCo") with input as with_sender("MyTestCo")
}

test_sender_id_containing_sms_format if {
	ph.reasons == reserved("BANKSMS") with input as with_sender("BANKSMS")
}

test_sender_id_containing_message_format if {
	ph.reasons == reserved("Message-PH") with input as with_sender("Message-PH")
}

# Close spellings that are none of the words.
test_sender_id_tesla_allowed if {
	count(ph.reasons) == 0 with input as with_sender("TESLA")
}

test_sender_id_sm_store_allowed if {
	count(ph.reasons) == 0 with input as with_sender("SM-STORE")
}

test_sender_id_messenger_like_mesage_allowed if {
	count(ph.reasons) == 0 with input as with_sender("MESAGEPH")
}

# Two reserved words in one ID give one reason, not two.
test_sender_id_with_two_words_reported_once if {
	ph.reasons == reserved("TESTSMS") with input as with_sender("TESTSMS")
}

# The rule is about sender IDs, not numbers.
test_e164_sender_allowed if {
	count(ph.reasons) == 0 with input as object.union(base, {"sender": {"raw": "+639171234567", "kind": "e164", "country": "PH", "number_type": "mobile"}})
}
