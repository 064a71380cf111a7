# Turkey: Law 6563 on e-commerce and the IYS consent register.
package msgfilter.countries.tr

# METADATA
# title: No promotional messages to Turkey
# description: >-
#   Law 6563 allows commercial electronic messages only with consent recorded
#   in the IYS register, which this engine cannot see: promotional traffic is
#   refused rather than sent without proof of consent.
# related_resources:
#   - ref: https://www.internationallawoffice.com/Newsletters/Tech-Data-Telecoms-Media/Turkey/ELIG-Attorneys-at-Law/New-e-commerce-legislation
#     description: Law No. 6563 on the Regulation of Electronic Commerce, commercial electronic messages
#   - ref: https://api.support.vonage.com/hc/en-us/articles/204017543-Turkey-SMS-Features-and-Restrictions
#     description: Vonage, Turkey SMS features and restrictions (IYS registration)
# custom:
#   id: tr/promotional-not-allowed
#   effective: "2015-05-01"
reasons contains r if {
	input.message.kind == "promotional"
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "tr/promotional-not-allowed", "evidence": "kind promotional"}
}
