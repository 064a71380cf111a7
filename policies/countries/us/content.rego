# United States: CTIA's SHAFT content rules as US carriers apply them.
# Go finds the terms (policies/countries/us/terms); these rules decide on the
# categories' scores. Content categories apply to every kind of message
# unless a rule says otherwise.
package msgfilter.countries.us

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No adult content to the United States
# related_resources:
#   - ref: https://www.twilio.com/docs/api/errors/30873
#     description: Twilio error 30873, SHAFT - Sex content is forbidden
#   - ref: https://support.twilio.com/hc/en-us/articles/360045004974-Forbidden-message-categories-for-SMS-and-MMS-in-the-US-and-Canada
#     description: Twilio, forbidden message categories for SMS and MMS in the US and Canada
# custom:
#   id: us/adult-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("adult", "ADULT_CONTENT", "us/adult-content")
}

# METADATA
# title: No tobacco or vape content to the United States
# related_resources:
#   - ref: https://support.twilio.com/hc/en-us/articles/360045004974-Forbidden-message-categories-for-SMS-and-MMS-in-the-US-and-Canada
#     description: Twilio, forbidden message categories for SMS and MMS in the US and Canada
#   - ref: https://support.sideline.com/hc/en-us/articles/32596682332941-Prohibited-Message-Content
#     description: Sideline, prohibited message content (CTIA SHAFT, alcohol and firearms need age gating)
# custom:
#   id: us/tobacco-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("tobacco", "TOBACCO_CONTENT", "us/tobacco-content")
}

# METADATA
# title: No hate content to the United States
# related_resources:
#   - ref: https://www.twilio.com/docs/api/errors/30874
#     description: Twilio error 30874, SHAFT - Hate content is forbidden
#   - ref: https://support.twilio.com/hc/en-us/articles/360045004974-Forbidden-message-categories-for-SMS-and-MMS-in-the-US-and-Canada
#     description: Twilio, forbidden message categories for SMS and MMS in the US and Canada
# custom:
#   id: us/hate-content
#   effective: "2025"
reasons contains r if {
	r := category_reason("hate", "HATE_CONTENT", "us/hate-content")
}

# METADATA
# title: Alcohol content to the United States is held for review (age gating)
# related_resources:
#   - ref: https://support.sideline.com/hc/en-us/articles/32596682332941-Prohibited-Message-Content
#     description: Sideline, prohibited message content (CTIA SHAFT, alcohol and firearms need age gating)
#   - ref: https://docslib.org/download/1501839/messaging-principles-and-best-practices-july-2019
#     description: CTIA Messaging Principles and Best Practices (2019), section 5.3 content
# custom:
#   id: us/alcohol-content
#   effective: "2019-07-01"
reasons contains r if {
	r := object.union(category_reason("alcohol", "ALCOHOL_CONTENT", "us/alcohol-content"), {"action": "review"})
}

# METADATA
# title: Firearms content to the United States is held for review (age gating)
# related_resources:
#   - ref: https://support.sideline.com/hc/en-us/articles/32596682332941-Prohibited-Message-Content
#     description: Sideline, prohibited message content (CTIA SHAFT, alcohol and firearms need age gating)
#   - ref: https://docslib.org/download/1501839/messaging-principles-and-best-practices-july-2019
#     description: CTIA Messaging Principles and Best Practices (2019), section 5.3 content
# custom:
#   id: us/firearms-content
#   effective: "2019-07-01"
reasons contains r if {
	r := object.union(category_reason("firearms", "FIREARMS_CONTENT", "us/firearms-content"), {"action": "review"})
}

# METADATA
# title: No cannabis, CBD or illegal drug content to the United States
# related_resources:
#   - ref: https://api.ctia.org/wp-content/uploads/2023/05/230523-CTIA-Messaging-Principles-and-Best-Practices-FINAL.pdf
#     description: CTIA Messaging Principles and Best Practices (May 2023), 5.3 content that is unlawful, including cannabis under federal law
#   - ref: https://support.twilio.com/hc/en-us/articles/360045004974-Forbidden-message-categories-for-SMS-and-MMS-in-the-US-and-Canada
#     description: Twilio, forbidden message categories for SMS and MMS in the US and Canada (cannabis, CBD, kratom, illegal substances)
# custom:
#   id: us/drugs-content
#   effective: "2023-05-23"
reasons contains r if {
	r := category_reason("drugs", "DRUGS_CONTENT", "us/drugs-content")
}

# METADATA
# title: High-risk loan and debt-relief offers to the United States are held for review
# related_resources:
#   - ref: https://support.twilio.com/hc/en-us/articles/360045004974-Forbidden-message-categories-for-SMS-and-MMS-in-the-US-and-Canada
#     description: Twilio, forbidden message categories in the US and Canada (high-risk financial services - payday and third-party loans; debt collection and forgiveness)
#   - ref: https://api.ctia.org/wp-content/uploads/2023/05/230523-CTIA-Messaging-Principles-and-Best-Practices-FINAL.pdf
#     description: CTIA Messaging Principles and Best Practices (May 2023)
# custom:
#   id: us/loan-content
#   effective: "2023-05-23"
reasons contains r if {
	input.message.kind != "otp"
	r := object.union(category_reason("loan", "LOAN_CONTENT", "us/loan-content"), {"action": "review"})
}

# METADATA
# title: Crypto giveaways and token sales to the United States are held for review
# related_resources:
#   - ref: https://support.twilio.com/hc/en-us/articles/360045004974-Forbidden-message-categories-for-SMS-and-MMS-in-the-US-and-Canada
#     description: Twilio, forbidden message categories in the US and Canada (high-risk financial services - cryptocurrency)
#   - ref: https://api.ctia.org/wp-content/uploads/2023/05/230523-CTIA-Messaging-Principles-and-Best-Practices-FINAL.pdf
#     description: CTIA Messaging Principles and Best Practices (May 2023)
# custom:
#   id: us/crypto-content
#   effective: "2023-05-23"
reasons contains r if {
	input.message.kind != "otp"
	r := object.union(category_reason("crypto", "CRYPTO_CONTENT", "us/crypto-content"), {"action": "review"})
}
