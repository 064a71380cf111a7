# Russia: Federal Law No. 38-FZ "On Advertising" (13 March 2006, in force 1 July 2006) and the operators' SMS rules.
package msgfilter.countries.ru

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No tobacco, vape or smoking-accessory advertising to Russia (38-FZ art. 7(8))
# related_resources:
#   - ref: https://smscentre.com/news/3/spisok-zapreschennoi-reklamy-v-sms-rassylkah-v-rossii
#     description: SMS Centre, advertising prohibited in Russian SMS mailings (Federal Law 38-FZ art. 7; operators fine 100,000-500,000 roubles per message)
#   - ref: https://www.lexology.com/library/detail.aspx?g=9c58505e-7da2-4755-ac00-bb3e12495190
#     description: Lexology, Russia - products whose advertising is not allowed (Advertising Law art. 7)
# custom:
#   id: ru/tobacco-content
#   effective: "2006-07-01"
reasons contains r if {
	r := category_reason("tobacco", "TOBACCO_CONTENT", "ru/tobacco-content")
}

# METADATA
# title: No narcotics advertising to Russia (38-FZ art. 7(2))
# related_resources:
#   - ref: https://smscentre.com/news/3/spisok-zapreschennoi-reklamy-v-sms-rassylkah-v-rossii
#     description: SMS Centre, advertising prohibited in Russian SMS mailings (Federal Law 38-FZ art. 7; operators fine 100,000-500,000 roubles per message)
#   - ref: https://www.lexology.com/library/detail.aspx?g=9c58505e-7da2-4755-ac00-bb3e12495190
#     description: Lexology, Russia - products whose advertising is not allowed (Advertising Law art. 7)
# custom:
#   id: ru/drugs-content
#   effective: "2006-07-01"
reasons contains r if {
	r := category_reason("drugs", "DRUGS_CONTENT", "ru/drugs-content")
}

# METADATA
# title: No gambling, casino or betting advertising in SMS to Russia
# related_resources:
#   - ref: https://smscentre.com/news/3/spisok-zapreschennoi-reklamy-v-sms-rassylkah-v-rossii
#     description: SMS Centre, advertising prohibited in Russian SMS mailings (Federal Law 38-FZ art. 7; operators fine 100,000-500,000 roubles per message)
#   - ref: https://rapporto.ru/en/helpful_info/
#     description: Rapporto, Advertising Law art. 18(1) - advertising over telecommunication networks only with the subscriber's prior consent
# custom:
#   id: ru/gambling-content
#   effective: "2006-07-01"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "ru/gambling-content")
}

# METADATA
# title: No alcohol advertising in SMS to Russia
# related_resources:
#   - ref: https://smscentre.com/news/3/spisok-zapreschennoi-reklamy-v-sms-rassylkah-v-rossii
#     description: SMS Centre, advertising prohibited in Russian SMS mailings (Federal Law 38-FZ art. 7; operators fine 100,000-500,000 roubles per message)
#   - ref: https://rapporto.ru/en/helpful_info/
#     description: Rapporto, Advertising Law art. 18(1) - advertising over telecommunication networks only with the subscriber's prior consent
# custom:
#   id: ru/alcohol-content
#   effective: "2006-07-01"
reasons contains r if {
	r := category_reason("alcohol", "ALCOHOL_CONTENT", "ru/alcohol-content")
}

# METADATA
# title: No weapons advertising in SMS to Russia
# related_resources:
#   - ref: https://smscentre.com/news/3/spisok-zapreschennoi-reklamy-v-sms-rassylkah-v-rossii
#     description: SMS Centre, advertising prohibited in Russian SMS mailings (Federal Law 38-FZ art. 7; operators fine 100,000-500,000 roubles per message)
#   - ref: https://rapporto.ru/en/helpful_info/
#     description: Rapporto, Advertising Law art. 18(1) - advertising over telecommunication networks only with the subscriber's prior consent
# custom:
#   id: ru/firearms-content
#   effective: "2006-07-01"
reasons contains r if {
	r := category_reason("firearms", "FIREARMS_CONTENT", "ru/firearms-content")
}
