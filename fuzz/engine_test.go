package fuzz

import (
	"context"
	"encoding/json"
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

// FuzzCheck decodes arbitrary JSON into a Message and checks it with a cached
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
		`{}`, `null`, `[`,
	} {
		f.Add([]byte(s))
	}
	uncached := engine(f, filter.WithCacheSizes(-1, -1))
	cached := engine(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var m filter.Message
		if json.Unmarshal(b, &m) != nil {
			return
		}
		ctx := context.Background()
		want, err := uncached.Check(ctx, &m)
		if err != nil {
			if !errors.Is(err, filter.ErrInvalidMessage) {
				t.Fatalf("Check(%s) = %v, want a decision or a validation error", b, err)
			}
			return
		}
		again, err := uncached.Check(ctx, &m)
		if err != nil || !reflect.DeepEqual(again, want) {
			t.Fatalf("Check(%s) not deterministic:\n%+v\n%+v (%v)", b, want, again, err)
		}
		for i := range 2 { // a miss, then a hit
			got, err := cached.Check(ctx, &m)
			if err != nil {
				t.Fatalf("cached Check(%s): %v", b, err)
			}
			got.Cache, got.Cached = "", false
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("cached Check(%s) #%d =\n%+v, uncached\n%+v", b, i, got, want)
			}
		}
	})
}
