package model_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/msgfilter/msgfilter/internal/model"
)

// userLines are a user's own traffic in a language the fixture does not
// hold: operator notices (ham), some of which read like the operator's
// promotions (spam), and scams (fraud). The notices with a dial code
// share words with the promotions, so out of fold some of them score as
// spam: what a calibration has to move.
func userLines() []model.Example {
	var ex []model.Example
	for i := range 12 {
		ex = append(ex,
			model.Example{Text: fmt.Sprintf("Plg Yth, pulsa Rp%d.000 telah masuk ke nomor Anda. Terima kasih", 10+i), Class: model.Ham},
			model.Example{Text: fmt.Sprintf("Sisa kuota Anda %d MB. Cek paket di *363# sebelum %d Nov", 100+i, 1+i), Class: model.Ham},
			model.Example{Text: fmt.Sprintf("PROMO paket %dGB hanya Rp%d ribu! Aktifkan sekarang di *550*%d# buruan", 2+i, 20+i, 900+i), Class: model.Spam},
			model.Example{Text: fmt.Sprintf("Selamat! Anda menang hadiah Rp%d juta, transfer biaya admin ke rek BRI %d sekarang", 5+i, 412000+i), Class: model.Fraud},
		)
	}
	// notices that read like the promotions
	for i := range 2 {
		ex = append(ex, model.Example{Text: fmt.Sprintf("PROMO paket %dGB hanya Rp%d ribu! Paket Anda aktif di *550*%d# buruan", 3+i, 25+i, 800+i), Class: model.Ham})
	}
	return ex
}

func marshal(t *testing.T, m *model.Model) []byte {
	t.Helper()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var small = []model.Option{model.WithBits(12), model.WithEpochs(10)}

func TestTrainUserWithoutUserLinesIsTrain(t *testing.T) {
	ctx := context.Background()
	want, err := model.Train(ctx, fixture, small...)
	if err != nil {
		t.Fatal(err)
	}
	got, fit, err := model.TrainUser(ctx, fixture, nil, small...)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(marshal(t, got), marshal(t, want)) {
		t.Error("TrainUser without user lines differs from Train")
	}
	if fit.Folds != 0 || fit.OutOfFold != nil || fit.Shift != 0 {
		t.Errorf("fit = %+v, want no cross-validation", fit)
	}
}

// With the defaults the model is the one appending the lines trained: the
// cross-validation only reports.
func TestTrainUserDefaultsAppendTheLines(t *testing.T) {
	ctx := context.Background()
	user := userLines()
	want, err := model.Train(ctx, append(slices.Clone(fixture), user...), small...)
	if err != nil {
		t.Fatal(err)
	}
	got, fit, err := model.TrainUser(ctx, fixture, user, small...)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(marshal(t, got), marshal(t, want)) {
		t.Error("TrainUser with its defaults differs from Train on the lines appended")
	}
	if fit.Folds != model.DefaultFolds || len(fit.OutOfFold) != len(user) || fit.Shift != 0 || fit.Weight != 1 {
		t.Errorf("fit: folds %d, %d out-of-fold scores for %d lines, shift %v, weight %v", fit.Folds, len(fit.OutOfFold), len(user), fit.Shift, fit.Weight)
	}
	for i, s := range fit.OutOfFold {
		if s == (model.Scores{}) {
			t.Errorf("line %d has no out-of-fold score", i)
		}
	}
	// the user's lines in another order: the same model
	rev := slices.Clone(user)
	slices.Reverse(rev)
	again, _, err := model.TrainUser(ctx, fixture, rev, small...)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(marshal(t, again), marshal(t, got)) {
		t.Error("the order of the user's lines changed the model")
	}
}

func TestTrainUserWeight(t *testing.T) {
	ctx := context.Background()
	user := userLines()
	weighted := slices.Clone(fixture)
	for _, e := range user {
		e.Weight = 3
		weighted = append(weighted, e)
	}
	want, err := model.Train(ctx, weighted, small...)
	if err != nil {
		t.Fatal(err)
	}
	got, fit, err := model.TrainUser(ctx, fixture, user, append(small, model.WithUserWeight(3))...)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(marshal(t, got), marshal(t, want)) || fit.Weight != 3 {
		t.Errorf("TrainUser with weight 3 (fit %v) differs from Train on the lines weighted 3", fit.Weight)
	}
}

// hamReaching counts the user's ham whose out-of-fold spam + fraud reaches
// 0.5.
func hamReaching(user []model.Example, fit *model.UserFit) (n, ham int) {
	for i, e := range user {
		if e.Class == model.Ham {
			ham++
			if s := fit.OutOfFold[i]; s.Spam+s.Fraud >= 0.5 {
				n++
			}
		}
	}
	return n, ham
}

func TestTrainUserCalibrates(t *testing.T) {
	ctx := context.Background()
	user := userLines()
	plain, fit0, err := model.TrainUser(ctx, fixture, user, small...)
	if err != nil {
		t.Fatal(err)
	}
	before, ham := hamReaching(user, fit0)
	if before == 0 {
		t.Fatalf("no user ham reaches 0.5 out of fold: the fixture no longer tests a calibration")
	}
	for _, share := range []float64{0, 0.03, float64(before) / float64(ham)} {
		t.Run(fmt.Sprint(share), func(t *testing.T) {
			m, fit, err := model.TrainUser(ctx, fixture, user, append(small, model.WithMaxHam(share))...)
			if err != nil {
				t.Fatal(err)
			}
			after, _ := hamReaching(user, fit)
			allowed := int(share * float64(ham))
			if after > allowed || fit.Shift > 0 || math.Abs(fit.HamBefore-float64(before)/float64(ham)) > 1e-9 {
				t.Errorf("shift %v: %d of %d ham at 0.5 out of fold (before %d, fit says %v), want at most %d", fit.Shift, after, ham, before, fit.HamBefore, allowed)
			}
			if allowed >= before {
				// already within the share: the scores stay as trained
				if fit.Shift != 0 || !bytes.Equal(marshal(t, m), marshal(t, plain)) {
					t.Errorf("shift %v, want the plain model", fit.Shift)
				}
				return
			}
			// the model written is the plain one with lower scores, and
			// says so
			for _, body := range []string{user[1].Text, user[2].Text, user[3].Text} {
				p, _ := score(plain, body)
				c, _ := score(m, body)
				if c.Spam+c.Fraud >= p.Spam+p.Fraud {
					t.Errorf("%q: calibrated %.4f, plain %.4f: want lower", body, c.Spam+c.Fraud, p.Spam+p.Fraud)
				}
			}
			if !bytes.Contains([]byte(m.Info()), []byte("calibrated")) {
				t.Errorf("info %q does not record the calibration", m.Info())
			}
		})
	}
}

// Too few lines of a side to cut folds: the model is trained, nothing is
// cross-validated or calibrated.
func TestTrainUserTooFewLines(t *testing.T) {
	user := userLines()[:8] // 2 of each class, fewer than 5 folds
	m, fit, err := model.TrainUser(context.Background(), fixture, user, append(small, model.WithMaxHam(0))...)
	if err != nil || m == nil {
		t.Fatal(err)
	}
	if fit.Folds != 0 || fit.OutOfFold != nil || fit.Shift != 0 {
		t.Errorf("fit = %+v, want no cross-validation", fit)
	}
}

func TestTrainUserRejectsOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  model.Option
	}{
		{"one fold", model.WithFolds(1)},
		{"21 folds", model.WithFolds(21)},
		{"negative share", model.WithMaxHam(-0.1)},
		{"share above 1", model.WithMaxHam(1.5)},
		{"NaN share", model.WithMaxHam(math.NaN())},
		{"zero weight", model.WithUserWeight(0)},
		{"infinite weight", model.WithUserWeight(math.Inf(1))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := model.TrainUser(context.Background(), fixture, userLines(), append(small, tc.opt)...); err == nil {
				t.Error("no error")
			}
		})
	}
}
