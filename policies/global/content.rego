# Fraud lures, for every destination: Go finds the terms
# (policies/global/terms, fraud_lure) and this rule decides on their score.
package msgfilter.global

# METADATA
# title: Credential, prize, parcel and account-suspension lures are held for review
# description: >-
#   A lure alone is not proof of fraud (banks do ask customers to verify
#   transactions), so the default action of FRAUD_LURE is review, not block:
#   the gateway holds the message for a slower check or a human.
# related_resources:
#   - ref: http://www.gsma.com/publicpolicy/mobile-spam-code-of-practice
#     description: GSMA Mobile Spam Code of Practice (operators act against fraudulent SMS)
#   - ref: https://pdfslide.us/documents/m3aawg-mobile-messaging-best-practices-for-service-account-identifier-and.html
#     description: M3AAWG Mobile Messaging Best Practices for Service Providers (detect and mitigate SMS fraud)
# custom:
#   id: global/fraud-lure
#   effective: "2006"
reasons contains r if {
	lure := input.content.categories.fraud_lure
	lure.score >= 2
	r := {"code": "FRAUD_LURE", "rule": "global/fraud-lure", "evidence": concat(", ", lure.evidence)}
}
