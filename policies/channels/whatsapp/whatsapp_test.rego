package msgfilter.channels.whatsapp_test

import data.msgfilter.channels.whatsapp

codes(rs) := {r.code | some r in rs}

msg(kind, conversation) := {
	"message": {"channel": "whatsapp", "kind": kind, "country": "BR", "tenant": "", "length": 20},
	"conversation": conversation,
}

test_promotional_without_inbound_outside_window if {
	"OUTSIDE_SESSION_WINDOW" in codes(whatsapp.reasons) with input as msg("promotional", {"has_inbound": false, "inbound_age_minutes": 0})
}

test_promotional_within_window_allowed if {
	count(whatsapp.reasons) == 0 with input as msg("promotional", {"has_inbound": true, "inbound_age_minutes": 1439})
}

test_window_closes_at_24_hours if {
	"OUTSIDE_SESSION_WINDOW" in codes(whatsapp.reasons) with input as msg("service", {"has_inbound": true, "inbound_age_minutes": 1440})
}

test_otp_without_inbound_allowed if {
	count(whatsapp.reasons) == 0 with input as msg("otp", {"has_inbound": false, "inbound_age_minutes": 0})
}

test_promotional_without_inbound_reports_rule_and_evidence if {
	whatsapp.reasons == {{
		"code": "OUTSIDE_SESSION_WINDOW",
		"rule": "whatsapp/customer-service-window",
		"evidence": "no inbound message from the recipient",
	}} with input as msg("promotional", {"has_inbound": false, "inbound_age_minutes": 0})
}

test_service_1439_minutes_after_inbound_allowed if {
	count(whatsapp.reasons) == 0 with input as msg("service", {"has_inbound": true, "inbound_age_minutes": 1439})
}

test_service_1440_minutes_after_inbound_reports_age if {
	whatsapp.reasons == {{
		"code": "OUTSIDE_SESSION_WINDOW",
		"rule": "whatsapp/customer-service-window",
		"evidence": "last inbound 1440 minutes ago",
	}} with input as msg("service", {"has_inbound": true, "inbound_age_minutes": 1440})
}

test_transactional_long_after_inbound_allowed if {
	count(whatsapp.reasons) == 0 with input as msg("transactional", {"has_inbound": true, "inbound_age_minutes": 100000})
}

test_otp_1440_minutes_after_inbound_allowed if {
	count(whatsapp.reasons) == 0 with input as msg("otp", {"has_inbound": true, "inbound_age_minutes": 1440})
}

# Approved templates (fact input.message.template).

tmsg(kind, template, category) := object.union(msg(kind, {"has_inbound": false, "inbound_age_minutes": 0}), {"message": {"template": template, "template_category": category}})

test_marketing_template_outside_window_allowed if {
	count(whatsapp.reasons) == 0 with input as tmsg("promotional", "spring_sale_2026", "marketing")
}

test_utility_template_outside_window_allowed if {
	count(whatsapp.reasons) == 0 with input as tmsg("service", "order_shipped", "utility")
}

test_free_form_promotional_outside_window_blocked if {
	"OUTSIDE_SESSION_WINDOW" in codes(whatsapp.reasons) with input as tmsg("promotional", "", "")
}

test_template_not_a_string_outside_window_blocked if {
	"OUTSIDE_SESSION_WINDOW" in codes(whatsapp.reasons) with input as tmsg("promotional", true, "marketing")
}
