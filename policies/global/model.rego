# Rules on the content model's scores (internal/model): Go scores the body
# and puts the probabilities in input.content.model, with the thresholds
# these rules compare them with: for each, the lowest set by the global
# pack's data ("model"), the destination's pack (its data's "model") and the
# tenant, so that a pack or a tenant may only make a rule stricter (Go
# resolves them once per destination and tenant, not on every evaluation).
# A threshold none of them sets is absent, and its rule does not fire; with
# no model facts, nothing here fires.
package msgfilter.global

model_thresholds := input.content.model.thresholds

# model_evidence(p, class) names the score and the features that weighed most.
model_evidence(p, class) := sprintf("%s %.2f: %s", [class, p, concat(", ", object.get(input.content.model, ["features", class], []))])

fraud_block if input.content.model.fraud >= model_thresholds.fraud_block

fraud_suspected if fraud_block

fraud_suspected if input.content.model.fraud >= model_thresholds.fraud_review

fraud_action := "block" if fraud_block

else := "review"

# METADATA
# title: A body the content model scores as fraud is blocked, or held for review below the block threshold
# description: >-
#   The shipped model is a logistic regression over hashed word, character
#   and shape features of the normalized body, trained on the train split of
#   the UCI SMS Spam Collection, the Mendeley SMS phishing dataset and the
#   Thai SMS corpus (internal/model/MODEL.md). At or above the pack's block
#   threshold the message is blocked; at or above its review threshold it
#   is held for review. Applies to every kind.
# related_resources:
#   - ref: https://archive.ics.uci.edu/dataset/228/sms+spam+collection
#     description: Almeida, Gómez Hidalgo, Yamakami, SMS Spam Collection (DocEng 2011), CC BY 4.0
#   - ref: https://doi.org/10.17632/f45bkkt8pr.1
#     description: Mishra, Soni, SMS Phishing Dataset (Mendeley Data 2022), CC BY 4.0
#   - ref: https://github.com/ssivakorn/Thai-SMS-spam-filter
#     description: Sivakorn, Thai SMS spam/scam corpus, MIT
#   - ref: http://www.gsma.com/publicpolicy/mobile-spam-code-of-practice
#     description: GSMA Mobile Spam Code of Practice (operators act against fraudulent SMS)
# custom:
#   id: global/fraud-suspected
#   effective: "2026-11-29"
reasons contains r if {
	fraud_suspected
	p := input.content.model.fraud
	r := {"code": "FRAUD_SUSPECTED", "rule": "global/fraud-suspected", "evidence": model_evidence(p, "fraud"), "action": fraud_action}
}

# Kinds that declare a message not to be marketing: spam content on them is
# a misdeclaration.
non_marketing_kinds := {"transactional", "otp", "service"}

# unwanted is the model's belief that the body is not legitimate: a fraud
# lure declared transactional is misdeclared too. It is spam + fraud, summed
# by Go (input.content.model.unwanted, exact to the two decimals): the
# engine's fact cache can then tell which side of a threshold the sum is on
# without asking OPA, as it does for fraud alone.
unwanted := input.content.model.unwanted

spam_block if unwanted >= model_thresholds.spam_block

# METADATA
# title: Marketing or spam content may not be sent as a transactional, OTP or service message
# description: >-
#   Carriers and regulators penalize promotional content sent on a
#   transactional route or outside a registered campaign's use case. Held
#   for review by default; blocked where a pack or tenant sets spam_block.
#   Promotional messages are expected to market and are never flagged for
#   it. Not reported when FRAUD_SUSPECTED already is.
# related_resources:
#   - ref: https://www.trai.gov.in/sites/default/files/RegulationUcc19072018.pdf
#     description: TRAI Telecom Commercial Communications Customer Preference Regulations, 2018 (promotional content only on promotional headers)
#   - ref: https://www.ctia.org/the-wireless-industry/industry-commitments/messaging-interoperability-sms-mms
#     description: CTIA Messaging Principles and Best Practices (content must match the registered use case)
#   - ref: https://archive.ics.uci.edu/dataset/228/sms+spam+collection
#     description: Model training data, SMS Spam Collection (CC BY 4.0); also Mendeley SMS Phishing (CC BY 4.0) and Thai SMS (MIT), see internal/model/MODEL.md
# custom:
#   id: global/spam-suspected
#   effective: "2018-07-19"
reasons contains r if {
	input.message.kind in non_marketing_kinds
	unwanted >= model_thresholds.spam_review
	not fraud_suspected
	action := spam_action
	r := {"code": "SPAM_SUSPECTED", "rule": "global/spam-suspected", "evidence": model_evidence(input.content.model.spam, "spam"), "action": action}
}

spam_action := "block" if spam_block

else := "review"

# model_corroborated: the model's suspicion (model_suspicion) reaches its
# corroborated threshold and none of its rules already holds the message.
# One body per kind of score rather than a comparison with
# model_suspicion: OPA allocates at every step, and this way most bodies
# stop at the first comparison (fewer allocations in rules'
# BenchmarkEval, promotional messages with links most).
model_corroborated if {
	input.message.kind == "promotional"
	input.content.model.fraud >= model_thresholds.corroborated
	not fraud_suspected
}

model_corroborated if {
	input.message.kind != "promotional"
	unwanted >= model_thresholds.corroborated
	not model_flagged
}

# model_suspicion is the score the model's rules call unwanted: fraud alone
# on a promotional message (marketing is expected there), spam and fraud on
# the kinds that declare no marketing.
model_suspicion := input.content.model.fraud if {
	input.message.kind == "promotional"
} else := unwanted

# model_flagged: global/fraud-suspected or global/spam-suspected fires.
model_flagged if fraud_suspected

model_flagged if {
	input.message.kind in non_marketing_kinds
	unwanted >= model_thresholds.spam_review
}

# METADATA
# title: A weak fraud lure in a body the content model half suspects is held for review
# description: >-
#   The fraud_lure terms score 1 (below global/fraud-lure's 2, one phrase
#   like "unusual activity" or "update your details" that banks also
#   write) in a body the content model scores at or above the model's
#   corroborated threshold (spam + fraud on a transactional, OTP or service
#   message, fraud alone on the others; below the model rules'
#   thresholds). Neither is enough alone. Not reported when a model rule
#   already fires.
# related_resources:
#   - ref: http://www.gsma.com/publicpolicy/mobile-spam-code-of-practice
#     description: GSMA Mobile Spam Code of Practice (operators act against fraudulent SMS)
#   - ref: https://archive.ics.uci.edu/dataset/228/sms+spam+collection
#     description: Content model training data, SMS Spam Collection (CC BY 4.0); also Mendeley SMS Phishing (CC BY 4.0) and Thai SMS (MIT), see internal/model/MODEL.md
# custom:
#   id: global/fraud-lure-content
#   effective: "2026-11-29"
reasons contains r if {
	lure := input.content.categories.fraud_lure
	lure.score == 1 # 2 and more: global/fraud-lure
	model_corroborated
	r := {
		"code": "FRAUD_LURE", "rule": "global/fraud-lure-content", "action": "review",
		"evidence": sprintf("%s in a body the content model scores %.2f", [concat(", ", lure.evidence), model_suspicion]),
	}
}
