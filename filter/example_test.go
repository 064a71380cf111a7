package filter_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"testing/fstest"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/msgfilter/msgfilter/filter"
)

func ExampleEngine_Check() {
	engine, err := filter.New() // the embedded default policies
	if err != nil {
		log.Fatal(err)
	}
	msg := &filter.Message{
		ID:        "m-1",
		Channel:   filter.SMS,
		Kind:      filter.Promotional,
		Sender:    "AD-Noon",
		Recipient: "+971501234567",
		Body:      "White Friday: up to 70% off electronics, today only.",
		Time:      time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC), // 22:30 in Dubai
	}
	d, err := engine.Check(context.Background(), msg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Action, d.Until.Format(time.RFC3339))
	for _, r := range d.Reasons {
		fmt.Println(r.Code, r.Rule)
	}
	// Output:
	// defer 2026-11-25T07:00:00+04:00
	// QUIET_HOURS ae/promotional-quiet-hours
}

// Inbound records what recipients send: here a STOP, after which the
// tenant's promotional messages to that recipient are blocked.
func ExampleEngine_Inbound() {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	engine, err := filter.New(filter.WithClock(func() time.Time { return now }))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	res, err := engine.Inbound(ctx, &filter.InboundMessage{
		ID: "in-1", Channel: filter.SMS, Tenant: "acme", Sender: "ACME", Recipient: "+4915123456789", Body: "Stop.",
	})
	if err != nil {
		log.Fatal(err) // not recorded: retry
	}
	fmt.Println("opt-out:", res.OptOut, res.Keyword)
	d, err := engine.Check(ctx, &filter.Message{
		ID: "m-1", Channel: filter.SMS, Kind: filter.Promotional, Tenant: "acme", Sender: "ACME",
		Recipient: "+4915123456789", Body: "Winter sale: 30% off today. Reply STOP to opt out.",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Action, d.Reasons[0].Code)
	// Output:
	// opt-out: true Stop.
	// block OPTED_OUT
}

// Explain answers "why was this blocked?": the decision, the facts the
// policies saw and the titles of the rules that fired.
func ExampleEngine_Explain() {
	engine, err := filter.New()
	if err != nil {
		log.Fatal(err)
	}
	x, err := engine.Explain(context.Background(), &filter.Message{
		ID: "m-2", Channel: filter.SMS, Kind: filter.Transactional, Sender: "ADCB", Recipient: "+971501234567",
		Body: "Vote for the opposition candidate in the presidential election!",
		Time: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range x.Decision.Reasons {
		fmt.Printf("%s %s: %s\n", x.Decision.Action, r.Code, x.Rules[r.Rule])
	}
	fmt.Println("a political signal on its own:", x.Facts.Content.Categories["political"].Score >= 2)
	// Output:
	// block POLITICAL_CONTENT: No political content to the UAE
	// a political signal on its own: true
}

// Reload swaps the policies without a restart; checks in flight finish on
// the revision they started with, and Rollback undoes the swap.
func ExampleEngine_Reload() {
	pack := func(refused string) fstest.MapFS {
		return fstest.MapFS{
			"global/global.rego": {Data: []byte(`package msgfilter.global

# METADATA
# title: Kinds this deployment refuses
# related_resources:
#   - ref: https://example.org/policy
# custom:
#   id: global/kind
#   effective: "2026-01-01"
reasons contains r if {
	input.message.kind == "` + refused + `"
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "global/kind", "evidence": input.message.kind}
}
`)},
		}
	}
	engine, err := filter.New(filter.WithPolicies(pack("promotional")))
	if err != nil {
		log.Fatal(err)
	}
	msg := &filter.Message{ID: "m-3", Channel: filter.SMS, Kind: filter.Promotional, Sender: "Shop",
		Recipient: "+37491123456", Body: "Sale", Time: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	check := func(when string) {
		d, err := engine.Check(context.Background(), msg)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(when, d.Action)
	}
	check("before:")
	if err := engine.Reload(context.Background(), pack("otp")); err != nil {
		log.Fatal(err) // refused: the running revision stays
	}
	check("after reload:")
	if err := engine.Rollback(); err != nil {
		log.Fatal(err)
	}
	check("after rollback:")
	// Output:
	// before: block
	// after reload: allow
	// after rollback: block
}

// A tenant adds its own lists and limits to the packs'.
func ExampleWithTenant() {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	engine, err := filter.New(
		filter.WithClock(func() time.Time { return now }),
		filter.WithTenant("acme", filter.Tenant{
			BlockedDomains: []string{"rival.example"},
			RateLimit:      1, RateWindow: time.Minute,
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	for i, body := range []string{"Your parcel arrives today.", "Your parcel arrives tomorrow.", "Compare https://rival.example/deal"} {
		d, err := engine.Check(context.Background(), &filter.Message{
			ID: fmt.Sprint("m-", i), Channel: filter.SMS, Kind: filter.Transactional, Tenant: "acme",
			Sender: "ACME", Recipient: fmt.Sprint("+491512345678", i), Body: body,
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(d.ID, d.Action, codesOf(d))
	}
	// Output:
	// m-0 allow []
	// m-1 block [RATE_LIMIT]
	// m-2 block [DOMAIN_BLOCKED]
}

func codesOf(d filter.Decision) []filter.Code {
	cs := []filter.Code{}
	for _, r := range d.Reasons {
		cs = append(cs, r.Code)
	}
	return cs
}

// WithMetrics registers the engine's Prometheus metrics; a namespace keeps
// two engines apart on one registry.
func ExampleWithMetrics() {
	reg := prometheus.NewRegistry()
	for _, ns := range []string{"gateway_a", "gateway_b"} {
		engine, err := filter.New(filter.WithMetrics(reg), filter.WithMetricsNamespace(ns))
		if err != nil {
			log.Fatal(err)
		}
		_, err = engine.Check(context.Background(), &filter.Message{
			ID: "m-4", Channel: filter.SMS, Kind: filter.OTP, Sender: "ADCB", Recipient: "+971501234567",
			Body: "Your code is 482913", Time: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC),
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	families, err := reg.Gather()
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range families {
		if strings.HasSuffix(f.GetName(), "_checks_total") {
			m := f.GetMetric()[0]
			fmt.Println(f.GetName(), m.GetLabel()[0].GetValue(), m.GetLabel()[1].GetValue(), m.GetCounter().GetValue())
		}
	}
	// Output:
	// gateway_a_checks_total allow AE 1
	// gateway_b_checks_total allow AE 1
}
