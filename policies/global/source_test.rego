package msgfilter.global_source_test

import data.msgfilter.global

# A valid SMS submitted from a known German address, no registry: allowed.
base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "DE", "tenant": "acme", "length": 30},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "ACME", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+4915123456789", "country": "DE", "number_type": "mobile"},
	"source": {"present": true, "country": "DE", "asn": 3320, "reserved": false, "found": true, "blocked": false},
	"content": {"opt_out_text": false, "categories": {}, "phone_numbers": []},
	"links": [],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

with_source(fields) := object.union(base, {"source": object.union(base.source, fields)})

with_sender(fields) := object.union(base, {"sender": object.union(base.sender, fields)})

test_base_allowed if {
	count(global.reasons) == 0 with input as base
}

# global/source-ip-blocked

test_blocked_network_blocked if {
	global.reasons == {{
		"code": "SOURCE_IP_BLOCKED",
		"rule": "global/source-ip-blocked",
		"evidence": "203.0.113.7",
	}} with input as with_source({"blocked": true, "ip": "203.0.113.7"})
}

test_unblocked_network_allowed if {
	count(global.reasons) == 0 with input as with_source({"blocked": false})
}

# global/source-country-blocked

test_blocked_source_country_blocked if {
	rs := global.reasons with input as with_source({"country": "KP", "asn": 131279})
		with data.global.blocked_source_countries as {"KP": true}
	rs == {{"code": "SOURCE_COUNTRY_BLOCKED", "rule": "global/source-country-blocked", "evidence": "KP"}}
}

test_other_source_country_allowed if {
	count(global.reasons) == 0 with input as base
		with data.global.blocked_source_countries as {"KP": true}
}

# A destination pack can block source countries for its own traffic only.
test_destination_blocked_source_country_blocked if {
	rs := global.reasons with input as with_source({"country": "RU"})
		with data.countries.de.blocked_source_countries as {"RU": true}
	{r.code | some r in rs} == {"SOURCE_COUNTRY_BLOCKED"}
}

test_other_destination_source_country_allowed if {
	count(global.reasons) == 0 with input as object.union(with_source({"country": "RU"}), {"message": object.union(base.message, {"country": "FR"})})
		with data.countries.de.blocked_source_countries as {"RU": true}
}

# Without a GeoIP database (found false) the country is unknown: nothing fires.
test_unknown_source_country_allowed if {
	count(global.reasons) == 0 with input as with_source({"country": "KP", "asn": 0, "found": false})
		with data.global.blocked_source_countries as {"KP": true}
}

# The default global data blocks no country.
test_default_blocks_no_source_country if {
	count(global.reasons) == 0 with input as with_source({"country": "KP"})
}

# global/sender-not-registered

test_unregistered_sender_blocked if {
	global.reasons == {{
		"code": "SENDER_NOT_REGISTERED",
		"rule": "global/sender-not-registered",
		"evidence": "ACME",
	}} with input as with_sender({"registered": false})
}

test_registered_sender_allowed if {
	count(global.reasons) == 0 with input as with_sender({"registered": true})
}

# No registry applies (the field is absent): nothing to check against.
test_no_registry_allowed if {
	count(global.reasons) == 0 with input as base
}

# A pack with its own registry rule reports it with its own citation.
test_pack_with_own_registry_rule_silent if {
	count(global.reasons) == 0 with input as with_sender({"registered": false})
		with data.countries.de.sender_registry_rule as true
}
