# Link risk: one rule weighs the per-link signals Go computes (internal/links
# Risk, mapped into input.links[_] by the engine) with the weights in this
# pack's data.json (link_risk). The rule reads a link only when its risk
# fields are there (brand_of is always set with them, "" for no brand), so it
# stays silent until the engine fills them; it also weighs the older facts
# (punycode, mixed_script, userinfo, shortener).
package msgfilter.global

# METADATA
# title: Links that impersonate a brand or look like throw-away phishing infrastructure
# description: >-
#   Adds the link_risk weights of the link's true signals: a protected brand
#   named in a subdomain or path of another domain, typo- and combo-squats of a
#   brand, a non-ASCII name that reads as ASCII, a name made of lure words
#   ("secure-account-verify"), mixed scripts, user info
#   before the host, dynamic DNS, free hosting, a machine-made label, an
#   abused TLD, a shortener, punycode, many digits or hyphens, a credential
#   path. A domain the fleet first saw less than fresh_minutes ago adds
#   fresh_weight, but only to a link that already has another signal:
#   freshness alone never flags, and an unknown domain is not a fresh one. At
#   or above review the message is held for review; at or above block it is
#   blocked. A destination pack tightens both by setting lower thresholds in
#   its own link_risk; it can never loosen the global ones.
# related_resources:
#   - ref: https://interisle.net/insights/phishing-landscape-2024-an-annual-study-of-the-scope-and-distribution-of-phishing
#     description: Interisle Consulting Group, Phishing Landscape 2024 (abused TLDs, free hosting and subdomain services, brand impersonation)
#   - ref: https://doi.org/10.1145/3133956.3134002
#     description: Kintis et al., "Hiding in Plain Sight, A Longitudinal Study of Combosquatting Abuse", ACM CCS 2017
#   - ref: https://www.usenix.org/conference/usenixsecurity14/technical-sessions/presentation/szurdi
#     description: Szurdi et al., "The Long Taile of Typosquatting Domain Names", USENIX Security 2014
#   - ref: https://apwg.org/trendsreports/
#     description: APWG Phishing Activity Trends Reports (brands targeted, TLDs and hosting used)
# custom:
#   id: global/suspicious-link
#   effective: "2026-11-29"
reasons contains r if {
	some link in input.links
	is_string(link.brand_of) # the link-risk fields are filled in
	score := link_risk_score(link)
	score >= link_risk_threshold("review")
	r := object.union(
		{"code": "SUSPICIOUS_LINK", "rule": "global/suspicious-link", "evidence": sprintf("%s (risk %d)", [link.url, score])},
		link_risk_action(score),
	)
}

# Below the block threshold the reason asks for review.
link_risk_action(score) := {} if {
	score >= link_risk_threshold("block")
} else := {"action": "review"}

# link_risk_score is the sum of the weights of the link's true signals, plus
# the freshness weight when there is at least one other signal.
link_risk_score(link) := base + link_risk_fresh(link) if {
	base := sum([w | some k, w in data.global.link_risk.weights; link[k] == true])
	base > 0
} else := 0

link_risk_fresh(link) := data.global.link_risk.fresh_weight if {
	link.first_seen.known
	link.first_seen.age_minutes < data.global.link_risk.fresh_minutes
} else := 0

# link_risk_threshold is the global threshold, or the destination pack's when
# that is lower (stricter).
link_risk_threshold(name) := min({t |
	some t in [data.global.link_risk[name], object.get(country_link_risk, name, null)]
	is_number(t)
})

country_link_risk := data.countries[lower(input.message.country)].link_risk if {
	is_object(data.countries[lower(input.message.country)].link_risk)
} else := {}
