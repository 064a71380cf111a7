# Rules on conversation state: opt-outs and the limits the state store
# counts. Go reads the store into input.conversation before evaluation
# (opted_out), and these rules decide on it. The rate and flood limits are
# counted atomically by the store after the policies let a message through,
# so Go decides them from the store's answer (filter/conversation.go): their
# limits rules below decide nothing here, they carry the METADATA Go cites in
# the RATE_LIMIT and DUPLICATE_FLOOD reasons.
package msgfilter.global

# METADATA
# title: No promotional or service messages to a recipient who opted out
# description: >-
#   A recipient who replied STOP (or UNSUBSCRIBE, END, QUIT, CANCEL, OPTOUT,
#   REVOKE, STOPALL, or the local equivalent) gets no further messages of the
#   kinds in opted_out_blocks_kinds (promotional and service by default) from
#   that sender until a START. The FCC's 2024 TCPA order makes any reasonable
#   opt-out binding, naming these words; CTIA requires honouring them on every
#   program. Transactional and OTP messages may stay allowed: add them to the
#   list to block them too.
# related_resources:
#   - ref: https://docs.fcc.gov/public/attachments/FCC-24-24A1.pdf
#     description: FCC 24-24, TCPA revocation of consent by any reasonable means (47 CFR 64.1200(a)(10))
#   - ref: https://docslib.org/download/1501839/messaging-principles-and-best-practices-july-2019
#     description: CTIA Messaging Principles and Best Practices, opt-out keywords
# custom:
#   id: global/opted-out
#   effective: "2025-04-11"
reasons contains r if {
	input.conversation.opted_out
	input.message.kind in data.global.opted_out_blocks_kinds
	r := {"code": "OPTED_OUT", "rule": "global/opted-out", "evidence": sprintf("the recipient opted out; %s messages are not sent", [input.message.kind])}
}

# METADATA
# title: A sender may not exceed its message rate
# description: >-
#   Carriers and platforms cap each sender's throughput and filter traffic
#   that exceeds it. The cap is rate_limit in the global, destination or
#   channel pack's data (or the tenant's RateLimit), counted per tenant and
#   sender in fixed windows by the state store.
# related_resources:
#   - ref: https://docslib.org/download/1501839/messaging-principles-and-best-practices-july-2019
#     description: CTIA Messaging Principles and Best Practices, throughput and unwanted message volumes
# custom:
#   id: global/rate-limit
#   effective: "2019-07-01"
limits contains {"code": "RATE_LIMIT", "rule": "global/rate-limit"}

# METADATA
# title: One template may not flood many recipients from one sender
# description: >-
#   The same message template sent by one sender to more recipients than
#   duplicate_flood allows within its window is a spam or smishing run
#   (snowshoeing and volumetric abuse); the template fingerprint masks codes,
#   amounts, links and names (filter/conversation.go).
# related_resources:
#   - ref: https://docslib.org/download/1501839/messaging-principles-and-best-practices-july-2019
#     description: CTIA Messaging Principles and Best Practices, unwanted messages and snowshoeing
#   - ref: https://docslib.org/doc/1645763/t-mobile-code-of-conduct
#     description: T-Mobile Code of Conduct, spam and snowshoeing
# custom:
#   id: global/duplicate-flood
#   effective: "2020-09-01"
limits contains {"code": "DUPLICATE_FLOOD", "rule": "global/duplicate-flood"}
