# The naive baseline: the same policy minimums written the way a first
# attempt would, scanning the raw message in Rego on every evaluation. It
# exists only to be measured against the engine (bench/naive.go); no
# production code uses it.
package naive

cc := lower(input.country) if input.country != ""

cc := c if {
	input.country == ""
	some prefix, c in data.naive.dial
	startswith(input.recipient, concat("", ["+", prefix]))
}

body := lower(input.body)

# Letters and digits, everything else one space, padded: whole-word terms
# match with spaces around them.
words := concat("", [" ", regex.replace(body, `[^\pL\pN]+`, " "), " "])

hit(t) if {
	not t.word
	contains(body, t.text)
}

hit(t) if {
	t.word
	contains(words, concat("", [" ", t.text, " "]))
}

# A category flags when the weights of the terms found add up to 2.
scores[category] := s if {
	some category, list in data.naive.terms[cc]
	s := sum([t.weight | some t in list; hit(t)])
	s >= 2
}

global_scores[category] := s if {
	some category, list in data.naive.terms.global
	s := sum([t.weight | some t in list; hit(t)])
	s >= 2
}

review_categories := {"us": {"alcohol", "firearms"}}

reasons contains {"code": code, "action": action, "evidence": category} if {
	some category, _ in scores
	code := data.naive.codes[category]
	not exempt(category)
	action := category_action(category)
}

category_action(c) := "review" if {
	c in object.get(review_categories, cc, set())
} else := "block"

exempt("gambling") if {
	cc == "am"
	input.kind == "transactional"
}

reasons contains {"code": "FRAUD_LURE", "action": "review", "evidence": "fraud_lure"} if global_scores.fraud_lure

# Links, found with one regular expression over the raw body.
links := regex.find_n(`(?i)(?:https?://|www\.)[^\s]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|io|ly|me|in|xyz|co|bet|ee|gl|th|cn|ir|ae|tr|ru|top|site|online|gd|cc|gy)\b(?:/[^\s]*)?`, input.body, -1)

hosts contains h if {
	some l in links
	h := split(regex.replace(lower(l), `^[a-z]+://`, ""), "/")[0]
}

reasons contains {"code": "URL_NOT_ALLOWED", "action": "block", "evidence": l} if {
	cc in data.naive.no_links
	some l in links
}

reasons contains {"code": "URL_SHORTENER", "action": "block", "evidence": h} if {
	cc in data.naive.shortener_countries
	some h in hosts
	h in data.naive.shorteners
}

reasons contains {"code": "DOMAIN_BLOCKED", "action": "block", "evidence": h} if {
	some h in hosts
	some d in data.naive.blocked_domains
	endswith(h, d)
}

reasons contains {"code": "IP_LITERAL_URL", "action": "review", "evidence": h} if {
	some h in hosts
	regex.match(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+(:[0-9]+)?$`, h)
}

reasons contains {"code": "PHONE_NUMBER_NOT_ALLOWED", "action": "block", "evidence": n} if {
	cc == "ae"
	some n in regex.find_n(`\+?[0-9][0-9 -]{7,}[0-9]`, input.body, -1)
}

# Quiet hours, from the pack's own data.json.
ns := time.parse_rfc3339_ns(input.time)

zone := data.naive.packs[cc].time_zone

minute := (h * 60) + m if [h, m, _] := time.clock([ns, zone])

minutes(hhmm) := (to_number(p[0]) * 60) + to_number(p[1]) if p := split(hhmm, ":")

quiet if {
	some w in data.naive.packs[cc].quiet_hours.promotional.windows
	from := minutes(w.from)
	to := minutes(w.to)
	from <= to
	minute >= from
	minute < to
}

quiet if {
	some w in data.naive.packs[cc].quiet_hours.promotional.windows
	from := minutes(w.from)
	to := minutes(w.to)
	from > to
	not between(minute, to, from)
}

between(x, lo, hi) if {
	x >= lo
	x < hi
}

quiet if lower(time.weekday([ns, zone])) in {d | some d in data.naive.packs[cc].quiet_hours.promotional.closed_weekdays}

quiet if {
	[y, mo, d] := time.date([ns, zone])
	sprintf("%04d-%02d-%02d", [y, mo, d]) in {x | some x in data.naive.packs[cc].quiet_hours.promotional.holidays}
}

reasons contains {"code": "QUIET_HOURS", "action": "defer", "evidence": input.time} if {
	input.kind == "promotional"
	quiet
}

# Kinds and opt-out text.
reasons contains {"code": "PROMOTIONAL_NOT_ALLOWED", "action": "block", "evidence": input.kind} if {
	cc in {"tr", "vn"}
	input.kind == "promotional"
}

reasons contains {"code": "MISSING_OPT_OUT_TEXT", "action": "block", "evidence": ""} if {
	cc == "fr"
	input.kind == "promotional"
	not contains(words, " stop ")
}

# Senders.
alphanumeric if {
	not startswith(input.sender, "+")
	regex.match(`[A-Za-z]`, input.sender)
}

reasons contains {"code": "SENDER_INVALID", "action": "block", "evidence": input.sender} if {
	startswith(input.sender, "+")
	not regex.match(`^\+[1-9][0-9]{6,14}$`, input.sender)
}

reasons contains {"code": "SENDER_INVALID", "action": "block", "evidence": input.sender} if input.sender == ""

reasons contains {"code": "SENDER_PREMIUM_RATE", "action": "block", "evidence": input.sender} if {
	some p in ["+449", "+1900", "+3389", "+4990"]
	startswith(input.sender, p)
}

reasons contains {"code": "SENDER_ID_FORMAT", "action": "block", "evidence": input.sender} if {
	cc == "ae"
	input.kind == "promotional"
	alphanumeric
	not startswith(upper(input.sender), "AD-")
}

reasons contains {"code": "SENDER_ID_FORMAT", "action": "block", "evidence": input.sender} if {
	cc == "hk"
	alphanumeric
	not startswith(input.sender, "#")
}

reasons contains {"code": "SENDER_ID_FORMAT", "action": "block", "evidence": input.sender} if {
	cc == "ph"
	some w in ["TEST", "SMS", "MESSAGE"]
	contains(upper(input.sender), w)
}

reasons contains {"code": "SENDER_ID_FORMAT", "action": "block", "evidence": input.sender} if {
	cc == "in"
	input.kind == "promotional"
	not regex.match(`^([A-Z]{2}-)?[0-9]{6}$`, upper(input.sender))
}

reasons contains {"code": "SENDER_ID_FORMAT", "action": "block", "evidence": input.sender} if {
	cc == "in"
	input.kind != "promotional"
	not regex.match(`^([A-Z]{2}-)?[A-Z]{6}$`, upper(input.sender))
}

reasons contains {"code": "SENDER_ORIGIN_MISMATCH", "action": "block", "evidence": input.sender} if {
	cc == "th"
	startswith(input.sender, "+")
	not startswith(input.sender, "+66")
}

# Channels.
in_window if {
	input.last_inbound_at != ""
	ns - time.parse_rfc3339_ns(input.last_inbound_at) < ((24 * 3600) * 1000000000)
}

reasons contains {"code": "BODY_TOO_LONG", "action": "block", "evidence": input.channel} if {
	input.channel == "viber"
	count(input.body) > 1000
}

reasons contains {"code": "OUTSIDE_SESSION_WINDOW", "action": "block", "evidence": input.channel} if {
	input.channel == "whatsapp"
	not input.kind in {"transactional", "otp"}
	not in_window
}

reasons contains {"code": "OUTSIDE_SESSION_WINDOW", "action": "block", "evidence": input.channel} if {
	input.channel == "messenger"
	promotional
	not in_window
}

promotional if input.kind == "promotional"

promotional if count(links) > 0
