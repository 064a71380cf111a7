# RCS Business Messaging.
package msgfilter.channels.rcs

# METADATA
# title: An RCS text message is at most 3,072 characters
# related_resources:
#   - ref: https://docs.aws.amazon.com/sms-voice/latest/userguide/sms-limitations-rcs.html
#     description: AWS End User Messaging, RCS limits - text message body 3,072 characters
# custom:
#   id: rcs/body-length
#   effective: "2026"
reasons contains r if {
	input.message.length > data.channels.rcs.max_length
	r := {"code": "BODY_TOO_LONG", "rule": "rcs/body-length", "evidence": sprintf("%d characters", [input.message.length])}
}
