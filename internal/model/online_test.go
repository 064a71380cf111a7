package model_test

import (
	"context"
	"testing"

	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

func TestOnlineReportAndUndo(t *testing.T) {
	ctx := context.Background()
	m := train(t)
	var mem model.Memory
	o := model.NewOnline(&mem, 0)
	campaign := "Congratulations, your number was drawn for a holiday voucher, reply YES to claim"
	twin := "Your holiday booking is confirmed, reply YES to add insurance"
	base, f := score(m, campaign)
	baseTwin, ft := score(m, twin)

	if err := o.Report(ctx, f, model.Fraud); err != nil {
		t.Fatal(err)
	}
	var sc model.Scratch
	after := base
	if err := o.Adjust(ctx, f, &after, &sc); err != nil {
		t.Fatal(err)
	}
	if after.Fraud <= base.Fraud {
		t.Errorf("after a fraud report, Fraud = %.3f, want above %.3f", after.Fraud, base.Fraud)
	}
	// The bound: the logit moves by at most DefaultBound.
	if odds, was := after.Fraud/(1-after.Spam-after.Fraud), base.Fraud/(1-base.Spam-base.Fraud); odds > was*20.1 {
		t.Errorf("one report moved fraud odds from %.4f to %.4f, more than e^%v", was, odds, model.DefaultBound)
	}
	twinAfter := baseTwin
	if err := o.Adjust(ctx, ft, &twinAfter, &sc); err != nil {
		t.Fatal(err)
	}
	if twinAfter.Fraud-baseTwin.Fraud >= after.Fraud-base.Fraud {
		t.Errorf("ham twin moved %.3f, as much as the reported campaign (%.3f)", twinAfter.Fraud-baseTwin.Fraud, after.Fraud-base.Fraud)
	}

	if err := o.Undo(ctx, f, model.Fraud); err != nil {
		t.Fatal(err)
	}
	undone := base
	if err := o.Adjust(ctx, f, &undone, &sc); err != nil {
		t.Fatal(err)
	}
	if undone != base {
		t.Errorf("after Undo, scores = %+v, want the base %+v", undone, base)
	}
}

func TestOnlineFloodIsBounded(t *testing.T) {
	ctx := context.Background()
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	var mem model.Memory
	o := model.NewOnline(&mem, 0)
	otp := "Your Acme verification code is 482913. Do not share it with anyone."
	// A flood: the OTP template itself reported as fraud a thousand times.
	var f model.Features
	f.Extract(textnorm.Normalize(otp))
	for range 1000 {
		if err := o.Report(ctx, &f, model.Fraud); err != nil {
			t.Fatal(err)
		}
	}
	s := m.Score(&f)
	var sc model.Scratch
	if err := o.Adjust(ctx, &f, &s, &sc); err != nil {
		t.Fatal(err)
	}
	if s.Fraud > 0.5 {
		t.Errorf("a flood of fake reports flipped an OTP to fraud %.3f", s.Fraud)
	}
}

func TestOnlineHamReportCountersFraud(t *testing.T) {
	ctx := context.Background()
	m := train(t)
	var mem model.Memory
	o := model.NewOnline(&mem, 0)
	base, f := score(m, "Your parcel fee is due, see http://parcel-fee.top/k2")
	if err := o.Report(ctx, f, model.Ham); err != nil {
		t.Fatal(err)
	}
	s := base
	var sc model.Scratch
	if err := o.Adjust(ctx, f, &s, &sc); err != nil {
		t.Fatal(err)
	}
	if s.Fraud >= base.Fraud {
		t.Errorf("after a ham report, Fraud = %.3f, want below %.3f", s.Fraud, base.Fraud)
	}
}

func TestOnlineAdjustDoesNotAllocate(t *testing.T) {
	ctx := context.Background()
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	var mem model.Memory
	o := model.NewOnline(&mem, 0)
	var (
		tx textnorm.Text
		f  model.Features
		sc model.Scratch
	)
	body := "Your loyalty points expire tonight, redeem them at points-club.example/r now"
	tx.Reset(body)
	f.Extract(&tx)
	if err := o.Report(ctx, &f, model.Fraud); err != nil {
		t.Fatal(err)
	}
	s := m.Score(&f)
	o.Adjust(ctx, &f, &s, &sc)
	allocs := testing.AllocsPerRun(100, func() {
		s := m.Score(&f)
		if err := o.Adjust(ctx, &f, &s, &sc); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Score+Adjust allocates %.1f times, want 0", allocs)
	}
}

func BenchmarkOnlineAdjust(b *testing.B) {
	ctx := context.Background()
	m, err := model.Default()
	if err != nil {
		b.Fatal(err)
	}
	var mem model.Memory
	o := model.NewOnline(&mem, 0)
	var (
		f  model.Features
		sc model.Scratch
	)
	f.Extract(textnorm.Normalize(benchBodies[0].body))
	if err := o.Report(ctx, &f, model.Fraud); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s := m.Score(&f)
		if err := o.Adjust(ctx, &f, &s, &sc); err != nil {
			b.Fatal(err)
		}
	}
}
