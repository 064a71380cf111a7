# SMS: how long a message may be once split into segments.
#
# Reads the facts input.message.encoding ("gsm7" or "ucs2") and
# input.message.segments (internal/smsenc: 160 septets or 70 UCS-2 units
# alone, 153 or 67 per concatenated segment); without them the rule does
# not fire.
package msgfilter.channels.sms

# METADATA
# title: An SMS is at most max_segments concatenated segments
# description: >-
#   Concatenation allows 255 segments (3GPP TS 23.040) but gateways cap the
#   body near 1,600 characters (ten GSM-7 segments); longer bodies are cut or
#   refused downstream. Operators set their own cap in data.json.
# related_resources:
#   - ref: https://sendgrid.com/docs/glossary/what-sms-character-limit
#     description: Twilio, SMS character limit - 160 GSM-7 or 70 UCS-2 characters, 153 or 67 per segment, bodies up to 1,600 characters
#   - ref: https://developer.signalwire.com/guides/messaging-character-limits
#     description: SignalWire, messaging character limits - at most 1,600 characters in an SMS body
# custom:
#   id: sms/segment-limit
#   effective: "2026"
reasons contains r if {
	input.message.segments > data.channels.sms.max_segments
	r := {
		"code": "BODY_TOO_LONG",
		"rule": "sms/segment-limit",
		"evidence": sprintf("%d %s segments, at most %d", [input.message.segments, input.message.encoding, data.channels.sms.max_segments]),
	}
}
