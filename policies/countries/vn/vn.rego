# Vietnam: Decree 91/2020/ND-CP on fighting spam messages.
package msgfilter.countries.vn

# METADATA
# title: No promotional messages to Vietnam
# description: >-
#   Decree 91/2020 allows advertising messages only with the recipient's prior
#   consent and a registered brand name, which this engine cannot verify:
#   promotional traffic is refused.
# related_resources:
#   - ref: https://english.luatvietnam.vn/decree-no-91-2020-nd-cp-dated-august-14-2020-of-the-government-on-fighting-against-spam-text-messages-spam-emails-and-spam-calls-189003-Doc1.html
#     description: Decree No. 91/2020/ND-CP on fighting spam messages, spam emails and spam calls
# custom:
#   id: vn/promotional-not-allowed
#   effective: "2020-10-01"
reasons contains r if {
	input.message.kind == "promotional"
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "vn/promotional-not-allowed", "evidence": "kind promotional"}
}
