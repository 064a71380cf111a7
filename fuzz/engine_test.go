package fuzz

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/filter"
)

// clock is fixed: decisions must not depend on the wall clock.
var clock = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func engine(f *testing.F, opts ...filter.Option) *filter.Engine {
	f.Helper()
	e, err := filter.New(append([]filter.Option{
		filter.WithClock(func() time.Time { return clock }),
		filter.WithCheckBudget(-1), // fuzzing under -race is slow; a timeout is not a finding
	}, opts...)...)
	if err != nil {
		f.Fatal(err)
	}
	return e
}

// FuzzCheck decodes arbitrary JSON into a Message (filter.DecodeMessage) and checks it with a cached
// and an uncached Engine: no panic, no undecided error other than a
// validation error, the same decision twice (deterministic for a fixed
// clock), and the cached engine's decision equal to the uncached one.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		`{"channel":"sms","kind":"promotional","sender":"AD-Noon","recipient":"+971501234567","body":"Sale casino jackpot"}`,
		`{"channel":"sms","kind":"otp","sender":"ADCB","recipient":"+971501234567","body":"Code 482913","time":"2026-11-24T20:30:00Z"}`,
		`{"channel":"viber","kind":"service","sender":"Shop","recipient":"+37491123456","body":"see https://bit.ly/x or https://раураl.com","source_ip":"8.8.8.8"}`,
		`{"channel":"whatsapp","kind":"transactional","sender":"+14155550100","recipient":"+66812345678","body":"เลือกตั้ง v.o.t.e","last_inbound_at":"2026-11-24T09:00:00Z"}`,
		`{"channel":"sms","kind":"promotional","country":"fr","sender":"Fnac","recipient":"+33612345678","body":"Promo STOP 36111"}`,
		`{"channel":"rcs","kind":"promotional","country":"zz","sender":"","recipient":"1","body":""}`,
		`{"channel":"whatsapp","kind":"promotional","sender":"+5511912345678","recipient":"+5521987654321","body":"Sale","template":"spring","template_category":"marketing"}`,
		`{"channel":"messenger","kind":"service","sender":"ACMEPAGE","recipient":"+12025550123","body":"Shipped","tag":"HUMAN_AGENT"}`,
		`{"channel":"sms","kind":"service","tenant":"DLT","sender":"VM-HDFCBK-S","recipient":"+919812345678","body":"482913 is your OTP - HDFC Bank","time":"2026-03-10T06:30:00Z"}`,
		`{}`, `null`, `[`,
		// Ambiguous JSON (issue 17, item 5): refused by DecodeMessage.
		`{"channel":"sms","kind":"promotional","sender":"AD-Noon","recipient":"+971501234567","body":"casino jackpot","body":"hello"}`,
		`{"channel":"sms","kind":"promotional","sender":"AD-Noon","recipient":"+971501234567","body":"casino jackpot","BODY":"hello"}`,
		"{\"channel\":\"sms\",\"kind\":\"promotional\",\"sender\":\"AD-Noon\",\"recipient\":\"+971501234567\",\"body\":\"ca\xffsino\"}",
		// Times out of bounds (item 6) and a destination override (item 1).
		`{"channel":"sms","kind":"promotional","sender":"AD-Noon","recipient":"+971501234567","body":"casino https://bit.ly/x","time":"9999-12-31T23:59:59Z"}`,
		`{"channel":"sms","kind":"promotional","sender":"AD-Noon","recipient":"+971501234567","body":"casino","time":"0001-01-01T00:00:01Z"}`,
		`{"channel":"whatsapp","kind":"promotional","sender":"+4915123456789","recipient":"+4915223456789","body":"Hi","last_inbound_at":"2099-01-01T00:00:00Z"}`,
		`{"channel":"whatsapp","kind":"promotional","sender":"+4915123456789","recipient":"+4915223456789","body":"Hi","time":"2026-11-24T10:00:00Z","last_inbound_at":"2026-11-24T10:06:00Z"}`,
		`{"channel":"sms","kind":"promotional","country":"DE","sender":"AD-Noon","recipient":"+971501234567","body":"casino jackpot https://bit.ly/x"}`,
	} {
		f.Add([]byte(s))
	}
	// A tenant with a DLT registry, so that the template matcher is fuzzed too.
	dltTenant := filter.WithTenant("dlt", filter.Tenant{DLTTemplates: []filter.DLTTemplate{{
		Header: "HDFCBK", ID: "t1", Category: "service_implicit", Text: "{#numeric#} is your OTP - HDFC Bank {#var#}",
	}}})
	uncached := engine(f, filter.WithCacheSizes(-1, -1), dltTenant)
	cached := engine(f, dltTenant)
	f.Fuzz(func(t *testing.T, b []byte) {
		// The decoder of the CLI and the service: it refuses what would
		// be read two ways (and must not panic on anything).
		m, err := filter.DecodeMessage(b)
		if err != nil {
			if !errors.Is(err, filter.ErrInvalidMessage) {
				t.Fatalf("DecodeMessage(%q) = %v, want a *filter.ValidationError", b, err)
			}
			return
		}
		ctx := context.Background()
		want, err := uncached.Check(ctx, m)
		if err != nil {
			if !errors.Is(err, filter.ErrInvalidMessage) {
				t.Fatalf("Check(%s) = %v, want a decision or a validation error", b, err)
			}
			return
		}
		again, err := uncached.Check(ctx, m)
		if err != nil || !reflect.DeepEqual(again, want) {
			t.Fatalf("Check(%s) not deterministic:\n%+v\n%+v (%v)", b, want, again, err)
		}
		for i := range 2 { // a miss, then a hit
			got, err := cached.Check(ctx, m)
			if err != nil {
				t.Fatalf("cached Check(%s): %v", b, err)
			}
			got.Cached, got.Cache = false, ""
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("cached Check(%s) #%d =\n%+v, uncached\n%+v", b, i, got, want)
			}
		}
	})
}
