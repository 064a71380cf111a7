package msgfilter.global_linkrisk_test

import data.msgfilter.global

base := {
	"schema": 1,
	"message": {"channel": "sms", "kind": "transactional", "country": "DE", "tenant": "", "length": 60},
	"time": {"local": "2026-03-10T12:00", "date": "2026-03-10", "weekday": "tuesday", "minute": 720, "zone": "UTC"},
	"sender": {"raw": "SHOP", "kind": "alphanumeric", "country": "", "number_type": "", "valid": true, "reason": ""},
	"recipient": {"e164": "+4915123456789", "country": "DE", "number_type": "mobile"},
	"source": {"present": false, "country": "", "asn": 0, "reserved": false, "found": false, "blocked": false},
	"content": {"opt_out_text": false, "categories": {}, "phone_numbers": []},
	"links": [],
	"conversation": {"has_inbound": false, "inbound_age_minutes": 0},
}

# A link as the engine describes it today, without the link-risk fields.
plain := {
	"url": "https://www.example-shop.com/order/123",
	"host": "www.example-shop.com",
	"unicode_host": "www.example-shop.com",
	"domain": "example-shop.com",
	"ip_literal": false,
	"shortener": false,
	"punycode": false,
	"mixed_script": false,
	"userinfo": false,
	"homograph_of": "",
	"phishing": false,
	"blocked": false,
}

# The same link with every link-risk field present and false.
quiet := object.union(plain, {
	"brand_of": "",
	"brand_in_subdomain": false,
	"brand_in_path": false,
	"brand_in_text": false,
	"typosquat": false,
	"combosquat": false,
	"abused_tld": false,
	"free_hosting": false,
	"dynamic_dns": false,
	"ascii_lookalike": false,
	"lure_words": false,
	"random_label": false,
	"digit_heavy": false,
	"hyphen_heavy": false,
	"credential_path": false,
})

with_link(fields) := object.union(base, {"links": [object.union(quiet, fields)]})

suspicious(rs) := {r | some r in rs; r.code == "SUSPICIOUS_LINK"}

action(rs) := a if {
	some r in suspicious(rs)
	a := object.get(r, "action", "block")
}

# The engine does not fill the fields yet: nothing fires.
test_fields_absent_allowed if {
	count(suspicious(global.reasons)) == 0 with input as object.union(base, {"links": [plain]})
}

test_fields_false_allowed if {
	count(suspicious(global.reasons)) == 0 with input as with_link({})
}

# paypal-secure-login.com/signin: a combo-squat (4) with a credential path (1).
test_combosquat_reviewed if {
	action(global.reasons) == "review" with input as with_link({
		"url": "https://paypal-secure-login.com/signin",
		"brand_of": "paypal.com", "combosquat": true, "credential_path": true,
	})
}

# Ham twin: the real brand's link has no signal.
test_real_brand_allowed if {
	count(suspicious(global.reasons)) == 0 with input as with_link({"url": "https://www.paypal.com/signin", "brand_of": ""})
}

# A typo-squat on an abused TLD with a credential path: 4 + 1 + 1 = block.
test_typosquat_abused_tld_blocked if {
	action(global.reasons) == "block" with input as with_link({
		"url": "https://paypall.top/login",
		"brand_of": "paypal.com", "typosquat": true, "abused_tld": true, "credential_path": true,
	})
}

# A brand in the subdomain of another domain.
test_brand_in_subdomain_reviewed if {
	action(global.reasons) == "review" with input as with_link({
		"url": "http://login.paypal.com.secure-verify.co.uk/x",
		"brand_of": "paypal.com", "brand_in_subdomain": true,
	})
}

# Weak signals alone stay below review: a shortener, an abused TLD, a
# machine-made label.
test_one_weak_signal_allowed if {
	count(suspicious(global.reasons)) == 0 with input as with_link({"shortener": true})
	count(suspicious(global.reasons)) == 0 with input as with_link({"abused_tld": true})
	count(suspicious(global.reasons)) == 0 with input as with_link({"random_label": true})
}

# A user's site on a free hosting platform is held for review on its own:
# businesses send their own domains.
test_free_hosting_reviewed if {
	action(global.reasons) == "review" with input as with_link({"free_hosting": true})
}

# Throw-away infrastructure: dynamic DNS with a credential path.
test_dynamic_dns_credentials_reviewed if {
	action(global.reasons) == "review" with input as with_link({"dynamic_dns": true, "credential_path": true})
}

# Freshness adds to other signals...
test_fresh_domain_adds if {
	action(global.reasons) == "review" with input as with_link({
		"random_label": true,
		"first_seen": {"known": true, "age_minutes": 30},
	})
}

# ... but never flags alone,
test_fresh_alone_allowed if {
	count(suspicious(global.reasons)) == 0 with input as with_link({"first_seen": {"known": true, "age_minutes": 1}})
}

# ... an unknown domain is not a fresh one,
test_unknown_domain_not_fresh if {
	count(suspicious(global.reasons)) == 0 with input as with_link({
		"random_label": true,
		"first_seen": {"known": false, "age_minutes": 0},
	})
}

# ... and an old domain adds nothing.
test_old_domain_adds_nothing if {
	count(suspicious(global.reasons)) == 0 with input as with_link({
		"random_label": true,
		"first_seen": {"known": true, "age_minutes": 525600},
	})
}

# A destination pack may tighten the thresholds, never loosen them.
test_pack_tightens if {
	action(global.reasons) == "review" with input as object.union(with_link({"abused_tld": true, "random_label": true}), {"message": object.union(base.message, {"country": "AE"})})
		with data.countries.ae.link_risk as {"review": 2}
}

test_pack_cannot_loosen if {
	action(global.reasons) == "review" with input as object.union(with_link({"combosquat": true}), {"message": object.union(base.message, {"country": "AE"})})
		with data.countries.ae.link_risk as {"review": 50, "block": 90}
}

to_ae(fields) := object.union(with_link(fields), {"message": object.union(base.message, {"country": "AE"})})

# A pack's threshold under the link's score holds it for review.
test_pack_threshold_below_score_reviews if {
	action(global.reasons) == "review" with input as to_ae({"brand_in_path": true})
		with data.countries.ae.link_risk as {"review": 2}
}

# The ham twin: a pack's threshold that is not a number is no threshold
# (null sorts below every number: taken as one, it would flag every link).
test_pack_threshold_not_a_number_ignored if {
	count(suspicious(global.reasons)) == 0 with input as to_ae({"brand_in_path": true})
		with data.countries.ae.link_risk as {"review": null}
}

# Without a numeric global threshold, the pack's holds alone.
test_pack_threshold_without_global if {
	action(global.reasons) == "review" with input as to_ae({"brand_in_path": true})
		with data.countries.ae.link_risk as {"review": 2}
		with data.global.link_risk.review as "none"
}

# The ham twin: with neither, nothing is flagged.
test_no_numeric_threshold_nothing_flagged if {
	count(suspicious(global.reasons)) == 0 with input as to_ae({"combosquat": true, "typosquat": true})
		with data.countries.ae.link_risk as {"review": "none"}
		with data.global.link_risk.review as "none"
}

# The new look-alikes Go reports as homograph_of (appıe.com, paypaI.com)
# fire IDN_HOMOGRAPH; ham twin münchen.de does not.
test_dotless_i_homograph_blocked if {
	{r.code | some r in global.reasons} == {"IDN_HOMOGRAPH"} with input as with_link({
		"url": "https://appıe.com/", "host": "xn--appe-wqa.com", "unicode_host": "appıe.com",
		"domain": "xn--appe-wqa.com", "punycode": true, "homograph_of": "apple.com",
	})
}

test_capital_i_homograph_blocked if {
	{r.code | some r in global.reasons} == {"IDN_HOMOGRAPH"} with input as with_link({
		"url": "https://paypaI.com/", "host": "paypai.com", "unicode_host": "paypai.com",
		"domain": "paypai.com", "homograph_of": "paypal.com",
	})
}

test_idn_city_allowed if {
	count(global.reasons) == 0 with input as with_link({
		"url": "https://münchen.de/", "host": "xn--mnchen-3ya.de", "unicode_host": "münchen.de",
		"domain": "xn--mnchen-3ya.de", "punycode": true,
	})
}

# Scripts: a name in a script the destination does not write is held for
# review (punycode 1 + foreign_script 2); the same name sent to a country
# that writes it is not.
idn_link(unicode_host, scripts, tld_country) := {
	"url": sprintf("https://%s/", [unicode_host]), "unicode_host": unicode_host,
	"punycode": true, "scripts": scripts, "tld_country": tld_country,
}

to(country, link) := object.union(with_link(link), {"message": object.union(base.message, {"country": country})})

test_cyrillic_rf_to_germany_reviewed if {
	action(global.reasons) == "review" with input as to("DE", idn_link("дом100.рф", ["Cyrillic"], "ru"))
}

test_cyrillic_rf_to_russia_allowed if {
	count(suspicious(global.reasons)) == 0 with input as to("RU", idn_link("дом100.рф", ["Cyrillic"], "ru"))
}

test_thai_name_to_thailand_allowed if {
	count(suspicious(global.reasons)) == 0 with input as to("TH", idn_link("ออกซิเจน.com", ["Thai"], ""))
	count(suspicious(global.reasons)) == 0 with input as to("TH", idn_link("ตัวอย่าง.ไทย", ["Thai"], "th"))
}

test_thai_name_to_germany_reviewed if {
	action(global.reasons) == "review" with input as to("DE", idn_link("ออกซิเจน.com", ["Thai"], ""))
}

test_arabic_name_to_uae_allowed if {
	count(suspicious(global.reasons)) == 0 with input as to("AE", idn_link("مثال.امارات", ["Arabic"], "ae"))
}

test_native_cctlds_allowed if {
	count(suspicious(global.reasons)) == 0 with input as to("CN", idn_link("例子.中国", ["Han"], "cn"))
	count(suspicious(global.reasons)) == 0 with input as to("KR", idn_link("고.한국", ["Hangul"], "kr"))
	count(suspicious(global.reasons)) == 0 with input as to("JP", idn_link("ドメイン名例.jp", ["Han", "Katakana"], "jp"))
}

# Latin letters with diacritics are read everywhere: münchen.de to Germany and
# to Russia alike.
test_latin_idn_allowed_everywhere if {
	count(suspicious(global.reasons)) == 0 with input as to("DE", idn_link("münchen.de", ["Latin"], "de"))
	count(suspicious(global.reasons)) == 0 with input as to("RU", idn_link("münchen.de", ["Latin"], "de"))
}

# The TLD's country: Chinese under .cc (Cocos Islands) sent to China is held
# for review (punycode 1 + tld_script_mismatch 2); under .中国 it is not
# (above).
test_chinese_under_cc_to_china_reviewed if {
	action(global.reasons) == "review" with input as to("CN", idn_link("中国银监会.cc", ["Han"], "cc"))
}

test_cyrillic_under_de_reviewed if {
	action(global.reasons) == "review" with input as to("DE", idn_link("шины.de", ["Cyrillic"], "de"))
	action(global.reasons) == "review" with input as to("RU", idn_link("шины.de", ["Cyrillic"], "de"))
}

# A pack tightens the scripts its recipients are expected to read, never
# widens them.
test_pack_tightens_scripts if {
	action(global.reasons) == "review" with input as to("RU", idn_link("дом.рф", ["Cyrillic"], "ru"))
		with data.countries.ru.link_risk as {"scripts": []}
}

test_pack_cannot_widen_scripts if {
	action(global.reasons) == "review" with input as to("DE", idn_link("дом.рф", ["Cyrillic"], "ru"))
		with data.countries.de.link_risk as {"scripts": ["Latin", "Cyrillic"]}
}

# URL shapes: a host that spells another domain (2) with a kit path (1) is
# held for review; either alone is not.
test_deceptive_host_with_kit_path_reviewed if {
	action(global.reasons) == "review" with input as with_link({"deceptive_host": true, "kit_path": true})
}

test_deceptive_host_alone_allowed if {
	count(suspicious(global.reasons)) == 0 with input as with_link({"deceptive_host": true})
	count(suspicious(global.reasons)) == 0 with input as with_link({"kit_path": true, "redirect_path": true})
	count(suspicious(global.reasons)) == 0 with input as with_link({"non_standard_port": true})
}

# An invite into a messaging app's private group or a private person's chat
# (3) is held for review alone: the hand-off of investment, job and loan
# scams. Blocking needs more (a shortener to it: 4, not 6).
test_chat_invite_reviewed if {
	action(global.reasons) == "review" with input as with_link({"chat_invite": true})
	action(global.reasons) == "review" with input as with_link({"chat_invite": true, "shortener": true})
}

# Its twin: the same link fields with no invite (a business's official
# account, click-to-chat with its number) say nothing.
test_chat_without_invite_allowed if {
	count(suspicious(global.reasons)) == 0 with input as with_link({"chat_invite": false})
}

# .eu (with .ею and .ευ) registers names in the scripts of the EU's official
# languages: a Bulgarian name under .ею sent to Bulgaria and a Greek one
# under .ευ sent to Greece are native; sent to Germany they are foreign.
test_cyrillic_and_greek_under_eu_allowed if {
	count(suspicious(global.reasons)) == 0 with input as to("BG", idn_link("магазин.ею", ["Cyrillic"], "eu"))
	count(suspicious(global.reasons)) == 0 with input as to("BG", idn_link("магазин.eu", ["Cyrillic"], "eu"))
	count(suspicious(global.reasons)) == 0 with input as to("GR", idn_link("κατάστημα.ευ", ["Greek"], "eu"))
}

test_cyrillic_under_eu_to_germany_reviewed if {
	action(global.reasons) == "review" with input as to("DE", idn_link("магазин.ею", ["Cyrillic"], "eu"))
}

# global/suspicious-link-content: a link of risk 2 in a body the model
# scores at or above its corroborated threshold (0.45 here), under the
# model rules' own thresholds, or beside a fraud lure phrase.
model_facts(spam, fraud) := {"spam": spam, "fraud": fraud, "unwanted": spam + fraud, "thresholds": {"fraud_review": 0.5, "fraud_block": 0.9, "spam_review": 0.5, "corroborated": 0.45}}

scored(spam, fields) := object.union(with_link(fields), {"content": object.union(base.content, {"model": model_facts(spam, 0)})})

content_reasons(rs) := {r | some r in rs; r.rule == "global/suspicious-link-content"}

machine_made := {"url": "https://xkqzvbt.com/p", "random_label": true}

# A machine-made host in a body the model half suspects is held for review.
test_risky_link_with_suspect_content_reviewed if {
	rs := global.reasons with input as scored(0.46, machine_made)
	some r in content_reasons(rs)
	r.action == "review"
	r.code == "SUSPICIOUS_LINK"
}

# Ham twin: the same link in a body the model finds clean enough.
test_risky_link_with_clean_content_allowed if {
	count(suspicious(global.reasons)) == 0 with input as scored(0.44, machine_made)
}

# A fraud lure phrase beside a risky link corroborates it, whatever the
# model says: "The carrier cannot deliver, update your address:
# tmgcrg.info/x".
lured(fields) := object.union(with_link(fields), {"content": object.union(base.content, {
	"model": model_facts(0, 0),
	"categories": {"fraud_lure": {"score": 1, "evidence": ["update your address"]}},
})})

test_risky_link_beside_lure_reviewed if {
	rs := global.reasons with input as lured(machine_made)
	some r in content_reasons(rs)
	r.action == "review"
	contains(r.evidence, "update your address")
}

# Ham twins: the lure beside a link with one weak signal (a shortener), and
# beside a clean link (a bank's notice on its own domain).
test_weak_link_beside_lure_allowed if {
	count(suspicious(global.reasons)) == 0 with input as lured({"url": "https://bit.ly/x", "shortener": true})
}

test_clean_link_beside_lure_allowed if {
	count(suspicious(global.reasons)) == 0 with input as lured({})
}

# Ham twin: a shortener alone (risk 1) in the same body.
test_weak_link_with_suspect_content_allowed if {
	count(suspicious(global.reasons)) == 0 with input as scored(0.46, {"url": "https://bit.ly/x", "shortener": true})
}

# Ham twin: a notice with its own clean link.
test_clean_link_with_suspect_content_allowed if {
	count(suspicious(global.reasons)) == 0 with input as scored(0.49, {})
}

# Marketing declared promotional is expected to score as spam: only its
# fraud score counts.
test_promotional_spam_with_risky_link_allowed if {
	count(content_reasons(global.reasons)) == 0 with input as object.union(scored(0.46, machine_made), {"message": object.union(base.message, {"kind": "promotional"})})
}

test_promotional_fraud_with_risky_link_reviewed if {
	msg := object.union(with_link(machine_made), {
		"message": object.union(base.message, {"kind": "promotional"}),
		"content": object.union(base.content, {"model": model_facts(0, 0.46)}),
	})
	count(content_reasons(global.reasons)) == 1 with input as msg
}

# A link global/suspicious-link already reviews is not reported twice.
test_reviewed_link_not_reported_twice if {
	rs := global.reasons with input as scored(0.46, {"brand_of": "paypal.com", "combosquat": true})
	count(content_reasons(rs)) == 0
	count(suspicious(rs)) == 1
}

# Nor a body a model rule already holds.
test_model_flagged_not_reported_twice if {
	rs := global.reasons with input as scored(0.6, machine_made)
	count(content_reasons(rs)) == 0
	some r in rs
	r.code == "SPAM_SUSPECTED"
}

# Without model facts nothing fires.
test_risky_link_without_model_allowed if {
	count(content_reasons(global.reasons)) == 0 with input as with_link(machine_made)
}

# A pack's link_risk.model_review may only tighten: a lower one reviews a
# shortener (risk 1), a higher one changes nothing.
to_ae_link(spam, fields) := object.union(scored(spam, fields), {"message": object.union(base.message, {"country": "AE"})})

test_pack_model_review_tightens if {
	count(content_reasons(global.reasons)) == 1 with input as to_ae_link(0.46, {"url": "https://bit.ly/x", "shortener": true})
		with data.countries.ae.link_risk as {"model_review": 1}
}

test_pack_model_review_cannot_loosen if {
	count(content_reasons(global.reasons)) == 1 with input as to_ae_link(0.46, machine_made)
		with data.countries.ae.link_risk as {"model_review": 5}
}

# brand_in_text: the text names a protected brand and the link is on a
# domain no protected brand owns ("Netflix: your payment failed, update it
# at bit.ly/x"). With a public shortener (1) it is held for review.
test_brand_in_text_with_shortener_reviewed if {
	action(global.reasons) == "review" with input as with_link({
		"url": "https://bit.ly/3xYz9Qa", "host": "bit.ly", "domain": "bit.ly",
		"shortener": true, "brand_of": "netflix.com", "brand_in_text": true,
	})
}

# Ham twin: the brand's own shortener ("K PLUS ... kbank.co/x", "Amazon ...
# amzn.to/x") is one of its domains: Go sets no brand_in_text, and the
# shortener alone is not enough.
test_brand_own_shortener_allowed if {
	count(suspicious(global.reasons)) == 0 with input as with_link({
		"url": "https://kbank.co/2Vgkw2a", "host": "kbank.co", "domain": "kbank.co",
		"shortener": true,
	})
}

# Naming a brand is not enough on its own: a shop's notice that names the
# wallet it takes, with the shop's own link, stays allowed.
test_brand_in_text_alone_allowed if {
	count(suspicious(global.reasons)) == 0 with input as with_link({"brand_of": "paypal.com", "brand_in_text": true})
}

# "U.S. Bank: a purchase was declined, verify at cardcheck-alerts.info": the
# brand named, an abused TLD (1).
test_brand_in_text_with_abused_tld_reviewed if {
	action(global.reasons) == "review" with input as with_link({
		"url": "https://cardcheck-alerts.info/a", "host": "cardcheck-alerts.info", "domain": "cardcheck-alerts.info",
		"brand_of": "usbank.com", "brand_in_text": true, "abused_tld": true,
	})
}

# Ham twin: a shop's delivery notice naming the shop, with the carrier's
# tracking link: the carrier is a protected brand's own domain, so Go sets
# no brand_in_text.
test_shop_notice_with_carrier_link_allowed if {
	count(suspicious(global.reasons)) == 0 with input as with_link({
		"url": "https://www.ups.com/track?tracknum=1Z999", "host": "www.ups.com", "domain": "ups.com",
	})
}

# With a machine-made label (2) the brand named elsewhere reaches review,
# as it does with a subdomain or path that names a brand.
test_brand_in_text_with_machine_made_label_reviewed if {
	action(global.reasons) == "review" with input as with_link({
		"url": "http://yjpgbxq.com/mn1lkyE", "brand_of": "amazon.com", "brand_in_text": true, "random_label": true,
	})
}

# In a body the model half suspects, the brand named elsewhere (2) is
# corroborated: global/suspicious-link-content holds it for review.
test_brand_in_text_with_suspect_content_reviewed if {
	rs := global.reasons with input as scored(0.46, {"brand_of": "usbank.com", "brand_in_text": true})
	some r in content_reasons(rs)
	r.action == "review"
}

# Impersonation needs less of the model: the brand named in the text with
# a foreign link, in a body the model scores at or above
# link_risk.brand_model_suspicion (0.25 in the global data).
test_brand_in_text_with_faintly_suspect_content_reviewed if {
	rs := global.reasons with input as scored(0.25, {"brand_of": "usbank.com", "brand_in_text": true})
	some r in content_reasons(rs)
	r.action == "review"
	contains(r.evidence, "naming usbank.com")
}

# Ham twins: the same body scored clean, and a machine-made name (2, no
# brand named) in the faintly suspect body.
test_brand_in_text_with_clean_content_allowed if {
	count(suspicious(global.reasons)) == 0 with input as scored(0.24, {"brand_of": "usbank.com", "brand_in_text": true})
}

test_machine_made_with_faintly_suspect_content_allowed if {
	count(suspicious(global.reasons)) == 0 with input as scored(0.30, machine_made)
}

# A pack may lower brand_model_suspicion, never raise it.
test_pack_brand_model_suspicion_tightens if {
	count(content_reasons(global.reasons)) == 1 with input as to_ae_link(0.1, {"brand_of": "usbank.com", "brand_in_text": true})
		with data.countries.ae.link_risk as {"brand_model_suspicion": 0.1}
}

test_pack_brand_model_suspicion_cannot_loosen if {
	count(content_reasons(global.reasons)) == 1 with input as to_ae_link(0.25, {"brand_of": "usbank.com", "brand_in_text": true})
		with data.countries.ae.link_risk as {"brand_model_suspicion": 0.9}
}
