# Rules on campaigns: near-duplicates of a body across the fleet's senders,
# tenants and recipients (filter/campaign.go: MinHash band keys of the
# normalized body, counted and marked in the state store). Go reads whether
# the campaign was reported into input.campaign before evaluation; the
# campaign's recipients per window are counted atomically after the policies
# let a message through, so Go decides that bound from the store's answer:
# its limits rule below decides nothing here, it carries the METADATA Go
# cites in the DUPLICATE_FLOOD reason.
package msgfilter.global

# METADATA
# title: No near-duplicates of a message reported as fraud or spam
# description: >-
#   A message whose body shares a campaign band key with a message reported
#   as fraud or spam (POST /v1/report, Engine.Report) is a copy of the
#   reported campaign, whatever its sender, word changes, codes or links. A
#   report of the campaign as ham lifts the mark.
# related_resources:
#   - ref: https://docslib.org/download/1501839/messaging-principles-and-best-practices-july-2019
#     description: CTIA Messaging Principles and Best Practices, unwanted messages and consumer complaints
# custom:
#   id: global/reported-content
#   effective: "2026-11-29"
reasons contains r if {
	input.campaign.reported
	r := {"code": "REPORTED_CONTENT", "rule": "global/reported-content", "evidence": "a near-duplicate of this message was reported as fraud or spam"}
}

# METADATA
# title: One campaign may not flood many recipients, whatever its senders
# description: >-
#   Near-duplicates of one body (one word changed, codes, amounts and links
#   rotated) sent by any senders and tenants to more distinct recipients
#   than campaign_flood allows within its window are a spam or smishing run
#   that rotates sender IDs (snowshoeing). The bound is campaign_flood in the
#   global or destination pack's data; exempt_kinds leaves out kinds whose
#   templates many senders share legitimately (one-time passwords).
# related_resources:
#   - ref: https://docslib.org/download/1501839/messaging-principles-and-best-practices-july-2019
#     description: CTIA Messaging Principles and Best Practices, unwanted messages and snowshoeing
#   - ref: https://docslib.org/doc/1645763/t-mobile-code-of-conduct
#     description: T-Mobile Code of Conduct, spam and snowshoeing
# custom:
#   id: global/campaign-flood
#   effective: "2026-11-29"
limits contains {"code": "DUPLICATE_FLOOD", "rule": "global/campaign-flood"}
