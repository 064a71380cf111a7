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

# METADATA
# title: Bidi controls nested past what a phone honours are held for review
# description: >-
#   Go reads the body as the Unicode Bidirectional Algorithm nests its
#   explicit embeddings, overrides and isolates (content.bidi_overflow: more
#   than 16 open at once). A renderer honours a bounded depth and ignores the
#   controls beyond it, so past it the phone may display the text in another
#   order than the filter read: the filter cannot vouch for what the
#   recipient sees. Ordinary right-to-left text nests one or two levels.
# related_resources:
#   - ref: https://www.unicode.org/reports/tr9/
#     description: UAX #9 Unicode Bidirectional Algorithm, BD2 and X1-X8 (max_depth, overflow controls ignored)
#   - ref: http://www.gsma.com/publicpolicy/mobile-spam-code-of-practice
#     description: GSMA Mobile Spam Code of Practice (operators act against fraudulent SMS)
# custom:
#   id: global/bidi-overflow
#   effective: "2026-11-29"
reasons contains r if {
	input.content.bidi_overflow == true
	r := {"code": "FRAUD_SUSPECTED", "rule": "global/bidi-overflow", "evidence": "bidi controls nested more than 16 deep", "action": "review"}
}
