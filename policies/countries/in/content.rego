# India: content rules. Go finds the terms (policies/countries/in/terms);
# these rules decide on the categories' scores.
package msgfilter.countries["in"]

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No online money gaming or betting promotion to India
# description: >-
#   The Promotion and Regulation of Online Gaming Act, 2025 bans online
#   money games and any advertisement of them (passed 21 August 2025, assent
#   22 August 2025, in force with its rules from 1 October 2025). E-sports and
#   free social games stay legal; state lotteries fall under other law.
# related_resources:
#   - ref: https://bestmediainfo.com/mediainfo/mediainfo-digital/online-money-gaming-ban-to-take-effect-from-oct-1-under-new-act-ashwini-vaishnaw-10476992
#     description: Minister of Electronics and IT, the Online Gaming Act and its rules apply from 1 October 2025
#   - ref: https://www.deccanherald.com/india/passed-by-parliament-on-august-21-online-gaming-act-to-be-notified-soon-it-secretary-3706432
#     description: The Act prohibits advertisements of online money games (up to two years and Rs 50 lakh)
# custom:
#   id: in/gambling-content
#   effective: "2025-10-01"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "in/gambling-content")
}

# METADATA
# title: No stock tips or unregistered investment advice to India
# description: >-
#   Investment advice and research recommendations need SEBI registration
#   (Investment Advisers Regulations 2013, Research Analysts Regulations
#   2014); since 29 August 2024 regulated entities may not associate with
#   anyone giving unregistered advice or claiming returns. Tips and
#   guaranteed-return claims in bulk messages are that activity. OTPs and
#   bank transactional messages are exempt.
# related_resources:
#   - ref: https://foxmandal.in/News/cutting-ties-with-finfluencers-sebi-distinguishes-between-education-advice
#     description: FoxMandal on SEBI (Intermediaries) (Amendment) Regulations 2024 and the FAQs of 29 January 2025
#   - ref: https://www.businessupturn.com/finance/stock-market/sebi-tightens-norms-brokers-mutual-funds-barred-from-associating-with-unregistered-advisors-and-influencers
#     description: SEBI bars regulated entities from unregistered advisers and stock tips, effective 29 August 2024
# custom:
#   id: in/investment-content
#   effective: "2024-08-29"
reasons contains r if {
	not input.message.kind in {"otp", "transactional"}
	r := category_reason("investment", "INVESTMENT_CONTENT", "in/investment-content")
}

# METADATA
# title: Messages to India must fit a content template registered on DLT for their header
# description: >-
#   Reads the fact input.dlt = {"checked": bool, "header": "HDFCBK",
#   "matched": bool, "template_id": "..."}, set where a template registry is
#   configured (internal/dlt). Without it the rule does not fire.
# related_resources:
#   - ref: https://smart5sms.in/blogs/DLT-Update-Template-Id-Scrubbing-Go-Live-on-1st-April-2021
#     description: TRAI TCCCPR 2018, content template scrubbing live from 1 April 2021; unregistered templates fail
#   - ref: https://c2sms.com/important-communication-related-to-dlt-templates
#     description: DLT template scrubbing rules, {#var#} placeholders of up to 30 characters
#   - ref: https://crm.smsgatewayhub.com/knowledge-base/article/trai-update-2026-changes-to-sms-template-registration-variable-tagging-effective-from-15-jan-2026
#     description: TRAI direction on variable tagging (typed placeholders), from 15 January 2026
# custom:
#   id: in/dlt-template
#   effective: "2021-04-01"
reasons contains r if {
	input.dlt.checked == true
	input.dlt.matched == false
	r := {"code": "TEMPLATE_NOT_REGISTERED", "rule": "in/dlt-template", "evidence": sprintf("no template of header %s fits the body", [input.dlt.header])}
}
