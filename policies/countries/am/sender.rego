package msgfilter.countries.am

# senders.txt beside this file is the registry of alphanumeric sender IDs
# and short codes (one per line, any case, '#' comments); Go turns it into
# input.sender.registered. The file in the repository is an example: replace
# it with the registry your Armenian carriers confirm. data.json's
# sender_registry_rule keeps the global rule of the same code silent here.

# METADATA
# title: Sender IDs to Armenia must be registered with the carriers
# related_resources:
#   - ref: https://www.sent.dm/resources/am-sms-guidance
#     description: Sent.dm, Armenia SMS guidelines (alphanumeric sender IDs need pre-registration)
# custom:
#   id: am/sender-not-registered
#   effective: "2025"
reasons contains r if {
	input.sender.registered == false
	r := {"code": "SENDER_NOT_REGISTERED", "rule": "am/sender-not-registered", "evidence": input.sender.raw}
}
