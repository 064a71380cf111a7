# Rules that apply to every message, whatever its destination and channel.
package msgfilter.global

# METADATA
# title: Alphanumeric sender IDs are at most 11 characters
# description: >-
#   GSM 03.40 TP-OA carries at most 11 alphanumeric characters; networks
#   truncate or reject longer sender IDs.
# related_resources:
#   - ref: https://www.3gpp.org/dynareport/23040.htm
#     description: 3GPP TS 23.040 (GSM 03.40), TP-Originating-Address, alphanumeric coding
# custom:
#   id: global/sender-id-length
#   effective: "1992"
reasons contains r if {
	input.sender.kind == "alphanumeric"
	count(input.sender.raw) > 11
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/sender-id-length", "evidence": input.sender.raw}
}

# METADATA
# title: The sender must be a valid E.164 number, short code or sender ID
# related_resources:
#   - ref: https://www.itu.int/rec/T-REC-E.164
#     description: ITU-T E.164, the international public telecommunication numbering plan
# custom:
#   id: global/sender-invalid
#   effective: "2010"
reasons contains r if {
	not input.sender.valid
	not alphanumeric_too_long
	r := {"code": "SENDER_INVALID", "rule": "global/sender-invalid", "evidence": sprintf("%s: %s", [input.sender.raw, input.sender.reason])}
}

# An over-long alphanumeric ID is reported as a format problem, once.
alphanumeric_too_long if {
	input.sender.kind == "alphanumeric"
	count(input.sender.raw) > 11
}

# METADATA
# title: Premium-rate numbers may not send business messages
# description: >-
#   A premium-rate sender invites costly replies and call-backs: a classic
#   fraud flow that carriers and regulators forbid in A2P traffic.
# related_resources:
#   - ref: https://www.infobip.com/glossary/premium-sms-number
#     description: Infobip, premium SMS numbers and their abuse
# custom:
#   id: global/sender-premium-rate
#   effective: "2022-01-07"
reasons contains r if {
	input.sender.kind == "e164"
	input.sender.number_type == "premium_rate"
	r := {"code": "SENDER_PREMIUM_RATE", "rule": "global/sender-premium-rate", "evidence": input.sender.raw}
}
