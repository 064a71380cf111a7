package msgfilter.channels.rcs_test

import data.msgfilter.channels.rcs

msg(length) := {"message": {"channel": "rcs", "kind": "promotional", "country": "DE", "tenant": "", "length": length}}

test_3072_characters_allowed if {
	count(rcs.reasons) == 0 with input as msg(3072)
}

test_3073_characters_too_long if {
	rcs.reasons == {{"code": "BODY_TOO_LONG", "rule": "rcs/body-length", "evidence": "3073 characters"}} with input as msg(3073)
}
