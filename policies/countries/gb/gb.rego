# United Kingdom: the Privacy and Electronic Communications (EC Directive) Regulations 2003 (PECR).
#
# Reads the fact input.content.opt_out_instruction: true when the
# body tells the recipient how to refuse further messages (an opt_out term
# of the global lists scoring 2 or more: "STOP to 60060", "unsubscribe at
# ...", "Abmelden unter ..."). Without it the rule does not fire:
# input.content.opt_out_text knows only STOP, which these laws do not
# require.
package msgfilter.countries.gb

# METADATA
# title: Promotional messages to the United Kingdom must offer a simple way to refuse further messages (PECR regs 22 and 23)
# description: >-
#   Consent itself is not visible in a message; the opt-out means is.
# related_resources:
#   - ref: https://www.legislation.gov.uk/uksi/2003/2426/regulation/22
#     description: PECR reg. 22 - marketing by electronic mail (SMS included) needs consent; under the soft opt-in each message must give a simple means of refusing
#   - ref: https://www.legislation.gov.uk/uksi/2003/2426/regulation/23
#     description: PECR reg. 23 - no marketing mail without a valid address to which the recipient may send a request to stop
# custom:
#   id: gb/missing-opt-out
#   effective: "2003-12-11"
reasons contains r if {
	input.message.kind == "promotional"
	input.content.opt_out_instruction == false
	r := {"code": "MISSING_OPT_OUT_TEXT", "rule": "gb/missing-opt-out", "evidence": "no way to refuse further messages in the body"}
}
