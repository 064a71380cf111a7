# Hong Kong: OFCA's SMS Sender Registration Scheme.
package msgfilter.countries.hk

# METADATA
# title: Alphanumeric sender IDs to Hong Kong carry the registered "#" prefix
# description: >-
#   Under OFCA's scheme registered senders' IDs start with "#", and
#   recipients are told to distrust any other alphanumeric sender.
# related_resources:
#   - ref: https://www.lightreading.com/regulatory-politics/hk-fights-sms-scams-with-sender-registration-scheme
#     description: OFCA SMS Sender Registration Scheme, "#" prefix for registered senders
# custom:
#   id: hk/sender-hash-prefix
#   effective: "2023-12-28"
reasons contains r if {
	input.sender.kind == "alphanumeric"
	not startswith(input.sender.raw, "#")
	r := {"code": "SENDER_ID_FORMAT", "rule": "hk/sender-hash-prefix", "evidence": input.sender.raw}
}
