package msgfilter.countries.br_test

import data.msgfilter.countries.br

base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "promotional", "country": "BR", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "America/Sao_Paulo"},
	"sender": {"raw": "29000", "kind": "short_code", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "", "country": "BR", "number_type": "mobile"},
	"content": {"opt_out_text": false, "categories": {}},
	"links": [],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

gambling(score, hosts) := object.union(base, {
	"content": {"categories": {"gambling": {"score": score, "terms": ["apostas"], "evidence": ["apostas"]}}},
	"links": [{"host": h, "domain": h} | some h in hosts],
})

test_no_gambling_allowed if {
	count(br.reasons) == 0 with input as base
}

test_betting_without_link_blocked if {
	br.reasons == {{"code": "GAMBLING_CONTENT", "rule": "br/gambling-content", "evidence": "apostas"}} with input as gambling(2, [])
}

test_betting_on_unauthorized_site_blocked if {
	count(br.reasons) == 1 with input as gambling(2, ["bet-brasil.com"])
}

test_betting_on_bet_br_site_allowed if {
	count(br.reasons) == 0 with input as gambling(2, ["www.operador.bet.br"])
}

test_betting_mixing_bet_br_and_other_site_blocked if {
	count(br.reasons) == 1 with input as gambling(2, ["operador.bet.br", "bit.ly"])
}

# The ham twin: one ambiguous term is not gambling content.
test_one_weak_term_allowed if {
	count(br.reasons) == 0 with input as gambling(1, [])
}
