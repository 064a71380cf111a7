# Vietnam: content that Decree 91/2020/ND-CP and the laws it points to forbid.
# Go finds the terms (policies/countries/vn/terms); these rules decide on the
# categories' scores. Content categories apply to every kind of message
# unless a rule says otherwise.
package msgfilter.countries.vn

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No political content to Vietnam
# related_resources:
#   - ref: https://lawnet.vn/thong-tin-phap-luat/en/chinh-sach-moi/vietnam-some-definitions-relating-to-spam-messages-spam-emails-and-spam-calls-115250.html
#     description: Decree 91/2020/ND-CP art. 3, messages with content prohibited by law are spam
#   - ref: https://www.sent.dm/resources/vietnam-sms-guide
#     description: Sent.dm, Vietnam SMS guide (virtual currency, gambling, adult, political, religious prohibited)
# custom:
#   id: vn/political-content
#   effective: "2020-10-01"
reasons contains r if {
	r := category_reason("political", "POLITICAL_CONTENT", "vn/political-content")
}

# METADATA
# title: No religious content to Vietnam
# related_resources:
#   - ref: https://lawnet.vn/thong-tin-phap-luat/en/chinh-sach-moi/vietnam-some-definitions-relating-to-spam-messages-spam-emails-and-spam-calls-115250.html
#     description: Decree 91/2020/ND-CP art. 3, messages with content prohibited by law are spam
#   - ref: https://www.sent.dm/resources/vietnam-sms-guide
#     description: Sent.dm, Vietnam SMS guide (virtual currency, gambling, adult, political, religious prohibited)
# custom:
#   id: vn/religious-content
#   effective: "2020-10-01"
reasons contains r if {
	r := category_reason("religious", "RELIGIOUS_CONTENT", "vn/religious-content")
}

# METADATA
# title: No gambling content to Vietnam
# related_resources:
#   - ref: https://lawnet.vn/thong-tin-phap-luat/en/chinh-sach-moi/vietnam-some-definitions-relating-to-spam-messages-spam-emails-and-spam-calls-115250.html
#     description: Decree 91/2020/ND-CP art. 3, messages with content prohibited by law are spam
#   - ref: https://www.sent.dm/resources/vietnam-sms-guide
#     description: Sent.dm, Vietnam SMS guide (virtual currency, gambling, adult, political, religious prohibited)
# custom:
#   id: vn/gambling-content
#   effective: "2020-10-01"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "vn/gambling-content")
}

# METADATA
# title: No adult content to Vietnam
# related_resources:
#   - ref: https://lawnet.vn/thong-tin-phap-luat/en/chinh-sach-moi/vietnam-some-definitions-relating-to-spam-messages-spam-emails-and-spam-calls-115250.html
#     description: Decree 91/2020/ND-CP art. 3, messages with content prohibited by law are spam
#   - ref: https://www.sent.dm/resources/vietnam-sms-guide
#     description: Sent.dm, Vietnam SMS guide (virtual currency, gambling, adult, political, religious prohibited)
# custom:
#   id: vn/adult-content
#   effective: "2020-10-01"
reasons contains r if {
	r := category_reason("adult", "ADULT_CONTENT", "vn/adult-content")
}

# METADATA
# title: No cryptocurrency content to Vietnam
# related_resources:
#   - ref: https://lawnet.vn/thong-tin-phap-luat/en/chinh-sach-moi/vietnam-some-definitions-relating-to-spam-messages-spam-emails-and-spam-calls-115250.html
#     description: Decree 91/2020/ND-CP art. 3, messages with content prohibited by law are spam
#   - ref: https://www.sent.dm/resources/vietnam-sms-guide
#     description: Sent.dm, Vietnam SMS guide (virtual currency, gambling, adult, political, religious prohibited)
# custom:
#   id: vn/crypto-content
#   effective: "2020-10-01"
reasons contains r if {
	r := category_reason("crypto", "CRYPTO_CONTENT", "vn/crypto-content")
}
