# Indonesia: UU ITE (Law 11/2008 as amended) article 27, as Kominfo enforces it on SMS blasts.
package msgfilter.countries.id

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No gambling content to Indonesia (UU ITE art. 27(2))
# related_resources:
#   - ref: https://aadtoday.com/detail/1050/kominfo-influencer-yang-promosikan-judi-online-bisa-dipidana
#     description: Kominfo (DG Aptika, 20 July 2023) - UU ITE art. 27(2) punishes distributing or transmitting electronic information with gambling content
#   - ref: https://midlandatelier.com/kominfo-will-ask-cellular-operators-to-prevent-online-gambling-whatsapp-and-sms-okezone-techno/
#     description: Kominfo asks mobile operators to stop online-gambling SMS and WhatsApp blasts
# custom:
#   id: id/gambling-content
#   effective: "2008-04-21"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "id/gambling-content")
}

# METADATA
# title: No pornographic content to Indonesia (UU ITE art. 27(1))
# related_resources:
#   - ref: https://voi.id/en/news/383927
#     description: Minister of Communication and Information - online gambling and pornography are negative content operators must block
#   - ref: https://aadtoday.com/detail/1050/kominfo-influencer-yang-promosikan-judi-online-bisa-dipidana
#     description: Kominfo (DG Aptika, 20 July 2023) - UU ITE art. 27(2) punishes distributing or transmitting electronic information with gambling content
# custom:
#   id: id/adult-content
#   effective: "2008-04-21"
reasons contains r if {
	r := category_reason("adult", "ADULT_CONTENT", "id/adult-content")
}
