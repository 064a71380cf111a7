# Kazakhstan: the Law on Advertising (No. 508-II, 19 December 2003) and the operators' SMS rules.
package msgfilter.countries.kz

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No alcohol advertising to Kazakhstan (Law on Advertising art. 13(1))
# related_resources:
#   - ref: https://zakonpravo.kz/en/article-13-the-specifics-of-advertising-certain-types-of-products-works-and-services-the-law-on-advertising
#     description: Law on Advertising No. 508-II of 19 December 2003, art. 13(1) - no advertising of alcoholic beverages, tobacco, vapes and their liquids
# custom:
#   id: kz/alcohol-content
#   effective: "2003-12-19"
reasons contains r if {
	r := category_reason("alcohol", "ALCOHOL_CONTENT", "kz/alcohol-content")
}

# METADATA
# title: No tobacco or vape advertising to Kazakhstan (Law on Advertising art. 13(1))
# related_resources:
#   - ref: https://zakonpravo.kz/en/article-13-the-specifics-of-advertising-certain-types-of-products-works-and-services-the-law-on-advertising
#     description: Law on Advertising No. 508-II of 19 December 2003, art. 13(1) - no advertising of alcoholic beverages, tobacco, vapes and their liquids
# custom:
#   id: kz/tobacco-content
#   effective: "2003-12-19"
reasons contains r if {
	r := category_reason("tobacco", "TOBACCO_CONTENT", "kz/tobacco-content")
}

# METADATA
# title: No casino or betting advertising in SMS to Kazakhstan
# related_resources:
#   - ref: https://zakonpravo.kz/en/article-6-general-requirements-for-advertising-chapter-2-general-and-special-requirements-for-advertising-the-law-on-advertising
#     description: Law on Advertising, art. 6(5-1) - advertising of electronic and online casinos is prohibited
#   - ref: https://sbceurasia.com/en/2024/11/14/kazakhstan-clarifies-rules-for-banning-bookmaker-advertising
#     description: Bookmaker and sweepstake advertising only on sports channels and venues, from 9 September 2024
# custom:
#   id: kz/gambling-content
#   effective: "2024-09-09"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "kz/gambling-content")
}

# METADATA
# title: No promotional messages to Kazakhstan outside weekdays 09:00-21:00 local time
# description: >-
#   The operators also hold notifications to these hours unless the subscriber
#   asked for them; the engine cannot tell, so only promotional messages are
#   deferred. Public holidays are not listed yet (no computed calendar).
# related_resources:
#   - ref: https://rules.revicom.ltd/rules-for-the-transmission-of-messages-to-foreign-operators
#     description: Revicom, rules of Kazakhstan's operators - promotional and notification SMS only on weekdays 09:00-21:00 (GMT+6); no numeric sender names; fines from 1,000,000 tenge (as of 1 December 2022)
# custom:
#   id: kz/promotional-quiet-hours
#   effective: "2022-12-01"
reasons contains r if {
	input.message.kind == "promotional"
	until := input.time.quiet_until.promotional
	r := {"code": "QUIET_HOURS", "rule": "kz/promotional-quiet-hours", "evidence": sprintf("quiet hours in %s until %s", [input.time.zone, until]), "until": until}
}

# METADATA
# title: Kazakhstan operators take no numeric sender names
# related_resources:
#   - ref: https://rules.revicom.ltd/rules-for-the-transmission-of-messages-to-foreign-operators
#     description: Revicom, rules of Kazakhstan's operators - promotional and notification SMS only on weekdays 09:00-21:00 (GMT+6); no numeric sender names; fines from 1,000,000 tenge (as of 1 December 2022)
# custom:
#   id: kz/numeric-sender
#   effective: "2022-12-01"
reasons contains r if {
	input.sender.kind in {"e164", "short_code"}
	r := {"code": "SENDER_ID_FORMAT", "rule": "kz/numeric-sender", "evidence": input.sender.raw}
}
