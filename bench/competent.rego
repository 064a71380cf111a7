# The competent baseline: the policy minimums as an engineer who knows OPA
# would write them without msgfilter's engine. Go does the text work once
# (normalized word, bigram and trigram tokens, link hosts, the local
# minute); Rego decides with set and object lookups against the term sets
# in data: no loops over term lists, no contains() scans, no regex over the
# body. It exists only to be measured against the engine
# (bench/competent.go); no production code uses it.
package competent

cc := input.cc

# 1. Content categories: a category flags when the weights of its terms
# among the message's tokens add up to 2.
hits contains [category, t, w] if {
	some t in input.tokens
	some category, w in data.sets.terms[cc][t]
}

scores[category] := s if {
	some [category, _, _] in hits
	s := sum([w | some [c, _, w] in hits; c == category])
	s >= 2
}

reasons contains {"code": data.sets.codes[category], "action": action} if {
	some category, _ in scores
	not exempt(category)
	action := object.get(data.sets.review, [cc, category], "block")
}

exempt("gambling") if {
	cc == "am"
	input.kind == "transactional"
}

# 2. Fraud lures, from the global lists, in every country.
lure := sum([w | some t in input.tokens; w := data.sets.terms.global[t].fraud_lure])

reasons contains {"code": "FRAUD_LURE", "action": "review"} if lure >= 2

# 3. Links and phone numbers where a country forbids them.
reasons contains {"code": "URL_NOT_ALLOWED", "action": "block"} if {
	data.sets.no_links[cc]
	count(input.hosts) > 0
}

reasons contains {"code": "PHONE_NUMBER_NOT_ALLOWED", "action": "block"} if {
	cc == "ae"
	input.phones > 0
}

# 4. Link hosts: shorteners where a country forbids them, blocked domains
# (the host or any parent domain, listed by Go) everywhere.
reasons contains {"code": "URL_SHORTENER", "action": "block"} if {
	data.sets.shortener_countries[cc]
	some h in input.hosts
	data.sets.shorteners[h]
}

reasons contains {"code": "DOMAIN_BLOCKED", "action": "block"} if {
	some d in input.domains
	data.sets.blocked_domains[d]
}

# 5. Quiet hours, on the recipient's local minute and weekday from Go.
quiet if {
	some w in data.sets.quiet[cc].windows
	w.from <= w.to
	input.minute >= w.from
	input.minute < w.to
}

quiet if {
	some w in data.sets.quiet[cc].windows
	w.from > w.to
	not between(input.minute, w.to, w.from)
}

quiet if data.sets.quiet[cc].closed[input.weekday]

between(x, lo, hi) if {
	x >= lo
	x < hi
}

reasons contains {"code": "QUIET_HOURS", "action": "defer"} if {
	input.kind == "promotional"
	quiet
}

# 6. Kinds and opt-out text.
reasons contains {"code": "PROMOTIONAL_NOT_ALLOWED", "action": "block"} if {
	cc in {"tr", "vn"}
	input.kind == "promotional"
}

reasons contains {"code": "MISSING_OPT_OUT_TEXT", "action": "block"} if {
	cc == "fr"
	input.kind == "promotional"
	not input.tokens.stop
}

# 7. Sender formats and origins.
reasons contains {"code": "SENDER_INVALID", "action": "block"} if input.sender_kind == "invalid"

reasons contains {"code": "SENDER_PREMIUM_RATE", "action": "block"} if input.sender_premium

reasons contains {"code": "SENDER_ID_FORMAT", "action": "block"} if {
	cc == "ae"
	input.kind == "promotional"
	input.sender_kind == "alphanumeric"
	not startswith(input.sender, "AD-")
}

reasons contains {"code": "SENDER_ID_FORMAT", "action": "block"} if {
	cc == "hk"
	input.sender_kind == "alphanumeric"
	not startswith(input.sender, "#")
}

reasons contains {"code": "SENDER_ID_FORMAT", "action": "block"} if {
	cc == "ph"
	some w in ["TEST", "SMS", "MESSAGE"]
	contains(input.sender, w)
}

reasons contains {"code": "SENDER_ID_FORMAT", "action": "block"} if {
	cc == "in"
	input.kind == "promotional"
	not regex.match(`^([A-Z]{2}-)?[0-9]{6}$`, input.sender)
}

reasons contains {"code": "SENDER_ID_FORMAT", "action": "block"} if {
	cc == "in"
	input.kind != "promotional"
	not regex.match(`^([A-Z]{2}-)?[A-Z]{6}$`, input.sender)
}

reasons contains {"code": "SENDER_ORIGIN_MISMATCH", "action": "block"} if {
	cc == "th"
	input.sender_kind == "e164"
	not startswith(input.sender, "+66")
}

# 8. Channels: length and session windows (inbound_age is -1 without a
# last inbound message).
in_window if {
	input.inbound_age >= 0
	input.inbound_age < 1440
}

reasons contains {"code": "BODY_TOO_LONG", "action": "block"} if {
	input.channel == "viber"
	input.length > 1000
}

reasons contains {"code": "OUTSIDE_SESSION_WINDOW", "action": "block"} if {
	input.channel == "whatsapp"
	not input.kind in {"transactional", "otp"}
	not in_window
}

reasons contains {"code": "OUTSIDE_SESSION_WINDOW", "action": "block"} if {
	input.channel == "messenger"
	promotional
	not in_window
}

promotional if input.kind == "promotional"

promotional if count(input.hosts) > 0
