package msgfilter.channels.sms_test

import data.msgfilter.channels.sms

msg(encoding, segments) := {"message": {"channel": "sms", "kind": "promotional", "country": "FR", "tenant": "", "length": 100, "encoding": encoding, "segments": segments}}

test_ten_segments_allowed if {
	count(sms.reasons) == 0 with input as msg("gsm7", 10)
}

test_eleven_segments_too_long if {
	sms.reasons == {{"code": "BODY_TOO_LONG", "rule": "sms/segment-limit", "evidence": "11 ucs2 segments, at most 10"}} with input as msg("ucs2", 11)
}

test_without_segment_fact_allowed if {
	count(sms.reasons) == 0 with input as {"message": {"channel": "sms", "kind": "promotional", "country": "FR", "tenant": "", "length": 5000}}
}
