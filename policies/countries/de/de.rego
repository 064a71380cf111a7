# Germany: the Act against Unfair Competition (UWG), section 7.
#
# Reads the fact input.content.opt_out_instruction: true when the
# body tells the recipient how to refuse further messages (an opt_out term
# of the global lists scoring 2 or more: "STOP to 60060", "unsubscribe at
# ...", "Abmelden unter ..."). Without it the rule does not fire:
# input.content.opt_out_text knows only STOP, which these laws do not
# require.
package msgfilter.countries.de

# METADATA
# title: Promotional messages to Germany must say that the recipient may object at any time (UWG section 7)
# description: >-
#   Consent itself is not visible in a message; the notice of the right to object is.
# related_resources:
#   - ref: https://www.gesetze-im-internet.de/uwg_2004/__7.html
#     description: UWG section 7 - advertising by electronic mail (SMS included) without prior express consent is an unacceptable nuisance; the existing-customer exception (7(3)) requires a clear notice in every message that the customer may object at any time, and 7(2) forbids advertising without a valid address for objections
# custom:
#   id: de/missing-opt-out
#   effective: "2004-07-08"
reasons contains r if {
	input.message.kind == "promotional"
	input.content.opt_out_instruction == false
	r := {"code": "MISSING_OPT_OUT_TEXT", "rule": "de/missing-opt-out", "evidence": "no way to refuse further messages in the body"}
}
