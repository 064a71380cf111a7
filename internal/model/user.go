package model

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/msgfilter/msgfilter/internal/fnv1a"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// Defaults of TrainUser.
const (
	// DefaultFolds is the number of cross-validation folds TrainUser cuts
	// the user's lines into.
	DefaultFolds = 5
	// DefaultMaxHam leaves the scores as trained. On the stand-ins (UCI,
	// Mendeley and Thai in turn as a user's lines, TestEvalUserStandIns),
	// a calibration does nothing where the user's ham is easy. Where the
	// ham is hard, each ham it spares costs 2.5 to 6 missed spam or fraud
	// (MODEL.md).
	DefaultMaxHam = 1
)

// WithFolds sets the number of cross-validation folds of TrainUser (2 to
// 20).
func WithFolds(k int) Option { return func(o *options) { o.folds = k } }

// WithMaxHam sets the share of the user's ham that may reach 0.5 out of
// fold (TrainUser's calibration). 1 leaves the scores as trained.
func WithMaxHam(share float64) Option { return func(o *options) { o.maxHam = share } }

// WithUserWeight sets the weight of each user line against the base set
// in TrainUser (default 1: a user line counts as much as a base one).
func WithUserWeight(w float64) Option { return func(o *options) { o.userWeight = w } }

// UserFit is what TrainUser measured on the user's lines and the
// calibration it chose from them.
type UserFit struct {
	// Folds is the number of folds; 0 when the user's lines were too few
	// to cross-validate (fewer ham, or fewer spam and fraud, than folds):
	// then Shift is 0 and OutOfFold nil.
	Folds  int
	Weight float64 // of each user line against the base set
	// Shift is added to the spam and the fraud logit of the model (it is
	// never positive: the calibration only lowers scores), so that at
	// most MaxHam of the user's ham reaches 0.5 out of fold.
	Shift     float64
	MaxHam    float64
	HamBefore float64 // the share of the user's ham reaching 0.5 out of fold before the shift
	// OutOfFold holds, for every user example in the order given, its
	// scores by the model trained without its fold, the shift applied.
	OutOfFold []Scores
}

// TrainUser trains a model on base (the default training set, or nothing)
// and a user's own labelled lines weighted WithUserWeight, and tells what
// the lines support before the model is deployed: k-fold
// cross-validation inside the user's lines (each fold scored by a model
// trained on base and the other folds) gives their out-of-fold scores.
//
// With WithMaxHam below 1 it also calibrates: the spam and fraud logits
// (the model's bias) are shifted so that at most that share of the
// user's ham reaches 0.5, the global pack's review threshold, out of
// fold. The shift only ever lowers scores.
//
// The returned model is trained on base and every user line, its bias
// shifted. Folds are cut by a hash of the text (duplicates fall in one
// fold), so the result is deterministic like Train's; with the defaults
// the model is Train's on base and the lines appended. Without user
// lines it is Train(ctx, base, opts...).
func TrainUser(ctx context.Context, base, user []Example, opts ...Option) (*Model, *UserFit, error) {
	o := getOptions(opts)
	if o.folds < 2 || o.folds > 20 {
		return nil, nil, fmt.Errorf("model: %d folds outside [2, 20]", o.folds)
	}
	if !(o.maxHam >= 0 && o.maxHam <= 1) {
		return nil, nil, fmt.Errorf("model: ham share %v outside [0, 1]", o.maxHam)
	}
	if !(o.userWeight > 0 && o.userWeight <= 1000) {
		return nil, nil, fmt.Errorf("model: user weight %v outside (0, 1000]", o.userWeight)
	}
	fit := &UserFit{Weight: o.userWeight, MaxHam: o.maxHam}
	if len(user) == 0 {
		m, err := Train(ctx, base, opts...)
		return m, fit, err
	}
	var nHam, nBad int
	for _, e := range user {
		if e.Class == Ham {
			nHam++
		} else {
			nBad++
		}
	}
	if nHam >= o.folds && nBad >= o.folds {
		oof, err := outOfFold(ctx, base, user, fit.Weight, o.folds, opts)
		if err != nil {
			return nil, nil, err
		}
		fit.Folds = o.folds
		fit.Shift, fit.HamBefore = calibrate(user, oof, o.maxHam)
		for i := range oof {
			oof[i] = oof[i].shifted(fit.Shift)
		}
		fit.OutOfFold = oof
	}
	m, err := Train(ctx, withWeight(base, user, fit.Weight, nil), opts...)
	if err != nil {
		return nil, nil, err
	}
	if fit.Shift != 0 {
		m.bias[0] = float32(float64(m.bias[0]) + fit.Shift)
		m.bias[1] = float32(float64(m.bias[1]) + fit.Shift)
		m.info += fmt.Sprintf("; calibrated on the user's lines: logits %+.3f (at most %g of their ham at 0.5 out of fold)", fit.Shift, o.maxHam)
	}
	return m, fit, nil
}

// withWeight returns base and the user's lines weighted w, only those
// keep accepts when it is not nil. A weight of 1 is left as the zero
// Weight, so that it trains exactly what appending the lines does.
func withWeight(base, user []Example, w float64, keep func(int) bool) []Example {
	ex := slices.Clip(base)
	for i, e := range user {
		if keep != nil && !keep(i) {
			continue
		}
		if w != 1 {
			e.Weight = w * orOne(e.Weight)
		}
		ex = append(ex, e)
	}
	return ex
}

// orOne is an Example's weight: 0 means 1.
func orOne(w float64) float64 {
	if w == 0 {
		return 1
	}
	return w
}

// userFold is the fold of a user line: FNV-1a of its text, mixed so that
// a split by the same hash (the corpora's eval split is FNV-1a % 5) does
// not leave a fold empty.
func userFold(text string, k int) int {
	return int(mix(fnv1a.String32(text)) % uint32(k))
}

// outOfFold scores every user line with a model trained on base and the
// user's other folds, weighted w.
func outOfFold(ctx context.Context, base, user []Example, w float64, k int, opts []Option) ([]Scores, error) {
	out := make([]Scores, len(user))
	var (
		t textnorm.Text
		f Features
	)
	for i := range k {
		m, err := Train(ctx, withWeight(base, user, w, func(j int) bool { return userFold(user[j].Text, k) != i }), opts...)
		if err != nil {
			return nil, fmt.Errorf("model: fold %d: %w", i, err)
		}
		for j, e := range user {
			if userFold(e.Text, k) == i {
				t.Reset(e.Text)
				f.extractBody(&t)
				out[j] = m.Score(&f)
			}
		}
	}
	return out, nil
}

// unwanted is the logit of spam + fraud against ham: spam + fraud >= 0.5
// exactly when it is >= 0. fraud >= 0.5 implies spam + fraud >= 0.5, so
// it alone says whether the 0.5 thresholds flag a message.
func (s Scores) unwanted() float64 {
	mx := max(s.logit[0], s.logit[1])
	return mx + math.Log(math.Exp(s.logit[0]-mx)+math.Exp(s.logit[1]-mx))
}

// shifted returns s with c added to both logits.
func (s Scores) shifted(c float64) Scores {
	s.logit[0] += c
	s.logit[1] += c
	s.settle()
	return s
}

// hamUnwanted returns the unwanted logits of the user's ham, highest
// first.
func hamUnwanted(user []Example, ss []Scores) []float64 {
	var ham []float64
	for i, e := range user {
		if e.Class == Ham {
			ham = append(ham, ss[i].unwanted())
		}
	}
	slices.Sort(ham)
	slices.Reverse(ham)
	return ham
}

// calibrate returns the shift (<= 0) of both logits after which at most
// share of the user's ham has spam + fraud >= 0.5, and the share before.
// The threshold falls midway between the last ham allowed and the first
// that is not, so that neither sits on it (a tenth of a logit under the
// first when none is allowed or the two tie).
func calibrate(user []Example, ss []Scores, share float64) (shift, before float64) {
	ham := hamUnwanted(user, ss)
	n := 0
	for _, u := range ham {
		if u >= 0 {
			n++
		}
	}
	before = float64(n) / float64(len(ham))
	// ham allowed at or above 0.5 (the epsilon keeps 3/26 × 26 at 3)
	a := int(math.Floor(share*float64(len(ham)) + 1e-9))
	if a >= len(ham) || ham[a] < 0 {
		return 0, before
	}
	cut := ham[a] + 0.1
	if a > 0 && ham[a-1] > ham[a] {
		cut = (ham[a-1] + ham[a]) / 2
	}
	return min(0, -cut), before
}
