# Link risk: one rule weighs the per-link signals Go computes (internal/links
# Risk, mapped into input.links[_] by the engine) with the weights in this
# pack's data.json (link_risk). The rule reads a link only when its risk
# fields are there (brand_of is always set with them, "" for no brand); it
# also weighs the older facts (punycode, mixed_script, userinfo, shortener),
# two signals it derives from the link's scripts (foreign_script,
# tld_script_mismatch: expected_scripts.json), and first_seen, which the
# engine reads from the state store.
package msgfilter.global

# METADATA
# title: Links that impersonate a brand or look like throw-away phishing infrastructure
# description: >-
#   Adds the link_risk weights of the link's true signals: a protected brand
#   named in a subdomain or path of another domain, or in the message's text
#   while the link is on a domain no protected brand owns, typo- and
#   combo-squats of a brand, a non-ASCII name that reads as ASCII, a name made of lure words
#   ("secure-account-verify"), mixed scripts, a name written in a script the
#   destination country does not write (Latin is read everywhere) or the
#   country of its TLD does not write (Cyrillic under .de, Chinese under
#   .cc), user info before the host, dynamic DNS, free hosting, a
#   machine-made label, an abused TLD, a shortener, punycode, many digits or hyphens, a credential
#   path, an invite into a messaging app's private group or a private
#   person's chat (chat_invite: chat.whatsapp.com, t.me/+, a LINE ID that
#   is no official account's; the hand-off of investment, job and loan
#   scams, held for review alone). A domain the fleet first saw less than fresh_minutes ago adds
#   fresh_weight, but only to a link that already has another signal:
#   freshness alone never flags, and an unknown domain is not a fresh one. At
#   or above review the message is held for review; at or above block it is
#   blocked. A destination pack tightens both by setting lower thresholds in
#   its own link_risk, and the scripts its recipients are expected to read
#   by listing fewer in link_risk.scripts; it can never loosen the global
#   ones.
# related_resources:
#   - ref: https://interisle.net/insights/phishing-landscape-2024-an-annual-study-of-the-scope-and-distribution-of-phishing
#     description: Interisle Consulting Group, Phishing Landscape 2024 (abused TLDs, free hosting and subdomain services, brand impersonation)
#   - ref: https://doi.org/10.1145/3133956.3134002
#     description: Kintis et al., "Hiding in Plain Sight, A Longitudinal Study of Combosquatting Abuse", ACM CCS 2017
#   - ref: https://www.usenix.org/conference/usenixsecurity14/technical-sessions/presentation/szurdi
#     description: Szurdi et al., "The Long Taile of Typosquatting Domain Names", USENIX Security 2014
#   - ref: https://apwg.org/trendsreports/
#     description: APWG Phishing Activity Trends Reports (brands targeted, TLDs and hosting used)
#   - ref: https://www.fbi.gov/how-we-can-help-you/victim-services/national-crimes-and-victim-resources/cryptocurrency-investment-fraud
#     description: FBI, Cryptocurrency Investment Fraud (scammers move the conversation to WhatsApp or Telegram)
#   - ref: https://consumer.ftc.gov/articles/job-scams
#     description: FTC, Job scams (task and job offers moved to WhatsApp or Telegram chats)
#   - ref: https://www.unicode.org/reports/tr39/#Restriction_Level_Detection
#     description: Unicode Technical Standard #39, Unicode Security Mechanisms (mixed-script and whole-script confusable detection)
#   - ref: https://www.unicode.org/cldr/charts/latest/supplemental/territory_language_information.html
#     description: Unicode CLDR, territory-language information (the scripts each country writes in)
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

# METADATA
# title: A risky link in a body whose text corroborates it is held for review
# description: >-
#   A link whose risk reaches link_risk.model_review (below the review
#   threshold of global/suspicious-link) is held for review when the text
#   around it corroborates it: the content model scores the body at or
#   above the model's corroborated threshold (below the model rules' own
#   thresholds), or, when the text names a protected brand the link's
#   domain is not one of (brand_in_text: impersonation), at or above
#   link_risk.brand_model_suspicion (lower), or the body carries a fraud
#   lure phrase (fraud_lure terms: "update your address", "unusual
#   activity", "claim your reward"). Neither the link nor
#   the text is enough alone: smishing pairs a lure with a throw-away link,
#   while a notice's link is on a domain with no risk signal. The model's
#   score is spam + fraud on a transactional, OTP or service message and
#   fraud alone on the others, as for the model's rules. A destination pack
#   tightens it with a lower link_risk.model_review or
#   brand_model_suspicion, or a lower corroborated in its "model". Not reported when
#   global/suspicious-link or a model rule already is.
# related_resources:
#   - ref: https://interisle.net/insights/phishing-landscape-2024-an-annual-study-of-the-scope-and-distribution-of-phishing
#     description: Interisle Consulting Group, Phishing Landscape 2024 (abused TLDs, free hosting and subdomain services, brand impersonation)
#   - ref: http://www.gsma.com/publicpolicy/mobile-spam-code-of-practice
#     description: GSMA Mobile Spam Code of Practice (operators act against fraudulent SMS)
#   - ref: https://archive.ics.uci.edu/dataset/228/sms+spam+collection
#     description: Content model training data, SMS Spam Collection (CC BY 4.0); also Mendeley SMS Phishing (CC BY 4.0) and Thai SMS (MIT), see internal/model/MODEL.md
# custom:
#   id: global/suspicious-link-content
#   effective: "2026-11-29"
reasons contains r if {
	some link in input.links
	is_string(link.brand_of) # the link-risk fields are filled in
	score := link_risk_score(link)
	score >= link_risk_threshold("model_review")
	not link_risk_reviewed
	why := link_text_corroboration(link)
	r := {
		"code": "SUSPICIOUS_LINK", "rule": "global/suspicious-link-content", "action": "review",
		"evidence": sprintf("%s (risk %d) %s", [link.url, score, why]),
	}
}

# link_text_corroboration says what in the text corroborates a risky link:
# the model's suspicion first, else a fraud lure phrase; undefined when
# nothing does. A link on a domain foreign to the brand the text names
# needs less of the model: impersonation is half the case already.
link_text_corroboration(link) := sprintf("in a body the content model scores %.2f", [model_suspicion]) if {
	model_corroborated
} else := sprintf("naming %s in a body the content model scores %.2f", [link.brand_of, model_suspicion]) if {
	link.brand_in_text == true
	model_suspicion >= link_risk_threshold("brand_model_suspicion")
	not model_flagged
} else := sprintf("beside the lure %s", [concat(", ", input.content.categories.fraud_lure.evidence)]) if {
	input.content.categories.fraud_lure.score >= 1
}

# link_risk_reviewed: global/suspicious-link fires on one of the links.
link_risk_reviewed if {
	some link in input.links
	is_string(link.brand_of)
	link_risk_score(link) >= link_risk_threshold("review")
}

# Below the block threshold the reason asks for review.
link_risk_action(score) := {} if {
	score >= link_risk_threshold("block")
} else := {"action": "review"}

# link_risk_score is the sum of the weights of the link's true signals, plus
# the freshness weight when there is at least one other signal. The facts'
# signals are found by walking the link's true fields, not by looking every
# weight up in a copy of the link with the derived signals merged in: that
# copy cost one allocation per field for every link of every evaluation.
link_risk_score(link) := base + link_risk_fresh(link) if {
	derived := link_derived_signals(link)
	from_facts := sum([w | link[k] = true; w := link_fact_weights[k]])
	base := from_facts + sum([w | derived[k] = true; w := data.global.link_risk.weights[k]])
	base > 0
} else := 0

# link_derived_signals are the signals derived here from a link's scripts;
# a link without scripts (most of them) has neither, and skips both lookups.
link_derived_signals(link) := {} if {
	object.get(link, "scripts", []) == []
} else := {
	"foreign_script": link_foreign_script(link),
	"tld_script_mismatch": link_tld_script_mismatch(link),
}

# link_fact_weights are the weights of the signals read from a link's facts
# as they are: the derived ones, computed here, win over a field of the same
# name (computed once per evaluation).
link_fact_weights := object.remove(weights, ["foreign_script", "tld_script_mismatch"]) if {
	weights := data.global.link_risk.weights
	is_object(weights)
}

link_risk_fresh(link) := data.global.link_risk.fresh_weight if {
	link.first_seen.known
	link.first_seen.age_minutes < data.global.link_risk.fresh_minutes
} else := 0

# link_risk_threshold is the global threshold, or the destination pack's when
# that is lower (stricter); a value that is not a number is not a threshold.
# Written as branches rather than the minimum of a comprehension, which cost
# a tenth of an evaluation of a message with a link.
link_risk_threshold(name) := min([g, c]) if {
	g := data.global.link_risk[name]
	is_number(g)
	c := country_link_risk[name]
	is_number(c)
} else := g if {
	g := data.global.link_risk[name]
	is_number(g)
} else := c if {
	c := country_link_risk[name]
	is_number(c)
}

country_link_risk := data.countries[lower(input.message.country)].link_risk if {
	is_object(data.countries[lower(input.message.country)].link_risk)
} else := {}

# A label written in a script the destination does not write: a Cyrillic or
# Chinese name sent to Germany, not one sent to Russia or China.
link_foreign_script(link) if {
	some s in object.get(link, "scripts", [])
	not s in destination_scripts
} else := false

# A label written in a script the country of its TLD does not write:
# Cyrillic under .de, Chinese under .cc, Latin with diacritics under .рф. A
# generic TLD (.com) has no country, and expects nothing.
link_tld_script_mismatch(link) if {
	cc := object.get(link, "tld_country", "")
	cc != ""
	some s in object.get(link, "scripts", [])
	not s in object.get(data.global.expected_scripts, cc, ["Latin"])
} else := false

# destination_scripts are the scripts recipients in the destination read:
# Latin everywhere (the web's names are written in it), and the scripts the
# country writes (expected_scripts.json), or of those only the ones the
# destination pack's link_risk.scripts lists.
destination_scripts := {"Latin"} | (country_scripts & pack_scripts)

country_scripts := {s | some s in object.get(data.global.expected_scripts, lower(input.message.country), [])}

pack_scripts := {s | some s in country_link_risk.scripts} if {
	is_array(country_link_risk.scripts)
} else := country_scripts
