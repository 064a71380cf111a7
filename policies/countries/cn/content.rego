# China: content rules under MIIT as Chinese carriers apply them.
# Go finds the terms (policies/countries/cn/terms); these rules decide on the
# categories' scores. Content categories apply to every kind of message
# unless a rule says otherwise.
package msgfilter.countries.cn

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No political content to China
# related_resources:
#   - ref: https://www.twilio.com/en-us/legal/service-country-specific-terms/prc-messaging-restrictions
#     description: Twilio, text messaging restrictions in the PRC (political, pornographic, finance-related content)
#   - ref: https://docs.bird.com/connectivity-platform/country-restrictions-and-regulations/china
#     description: Bird, country restrictions, China (networks filter gambling, adult, loans)
# custom:
#   id: cn/political-content
#   effective: "2021-03-30"
reasons contains r if {
	r := category_reason("political", "POLITICAL_CONTENT", "cn/political-content")
}

# METADATA
# title: No adult content to China
# related_resources:
#   - ref: https://www.twilio.com/en-us/legal/service-country-specific-terms/prc-messaging-restrictions
#     description: Twilio, text messaging restrictions in the PRC (political, pornographic, finance-related content)
#   - ref: https://docs.bird.com/connectivity-platform/country-restrictions-and-regulations/china
#     description: Bird, country restrictions, China (networks filter gambling, adult, loans)
# custom:
#   id: cn/adult-content
#   effective: "2021-03-30"
reasons contains r if {
	r := category_reason("adult", "ADULT_CONTENT", "cn/adult-content")
}

# METADATA
# title: No loan content to China
# related_resources:
#   - ref: https://www.twilio.com/en-us/legal/service-country-specific-terms/prc-messaging-restrictions
#     description: Twilio, text messaging restrictions in the PRC (political, pornographic, finance-related content)
#   - ref: https://docs.bird.com/connectivity-platform/country-restrictions-and-regulations/china
#     description: Bird, country restrictions, China (networks filter gambling, adult, loans)
# custom:
#   id: cn/loan-content
#   effective: "2021-03-30"
reasons contains r if {
	r := category_reason("loan", "LOAN_CONTENT", "cn/loan-content")
}

# METADATA
# title: No cryptocurrency content to China
# related_resources:
#   - ref: https://www.twilio.com/en-us/legal/service-country-specific-terms/prc-messaging-restrictions
#     description: Twilio, text messaging restrictions in the PRC (political, pornographic, finance-related content)
#   - ref: https://docs.bird.com/connectivity-platform/country-restrictions-and-regulations/china
#     description: Bird, country restrictions, China (networks filter gambling, adult, loans)
# custom:
#   id: cn/crypto-content
#   effective: "2021-03-30"
reasons contains r if {
	r := category_reason("crypto", "CRYPTO_CONTENT", "cn/crypto-content")
}

# METADATA
# title: No gambling content to China
# related_resources:
#   - ref: https://docs.bird.com/connectivity-platform/country-restrictions-and-regulations/china
#     description: Bird, country restrictions, China (networks filter gambling, adult, loans)
#   - ref: https://www.twilio.com/en-us/legal/service-country-specific-terms/prc-messaging-restrictions
#     description: Twilio, text messaging restrictions in the PRC (political, pornographic, finance-related content)
# custom:
#   id: cn/gambling-content
#   effective: "2021-03-30"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "cn/gambling-content")
}
