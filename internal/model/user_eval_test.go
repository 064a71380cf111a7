package model_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/msgfilter/msgfilter/internal/corpus"
	"github.com/msgfilter/msgfilter/internal/fnv1a"
	"github.com/msgfilter/msgfilter/internal/model"
)

// operatingPoint is one way of choosing a user model's operating point
// from TrainUser's inner out-of-fold scores: the shifts of the spam and
// fraud logits.
type operatingPoint struct {
	name string
	// shifts returns the spam and fraud logit shifts for a user's lines
	// and their inner out-of-fold scores; baseHam is the base set's own
	// out-of-fold ham share at 0.5.
	shifts func(user []model.Example, oof []model.Scores, baseHam float64) (spam, fraud float64)
}

// joint is TrainUser's calibration at a fixed share.
func joint(share float64) func([]model.Example, []model.Scores, float64) (float64, float64) {
	return func(user []model.Example, oof []model.Scores, _ float64) (float64, float64) {
		c, _ := model.Calibrate(user, oof, share)
		return c, c
	}
}

// spamFirst lowers the spam logit alone until at most share of the ham
// reaches 0.5, as far as that can go (ham whose fraud score alone reaches
// 0.5 it cannot pass), then both logits for the rest: a missed promotion
// on a transactional route costs less than a missed fraud.
func spamFirst(share float64) func([]model.Example, []model.Scores, float64) (float64, float64) {
	return func(user []model.Example, oof []model.Scores, _ float64) (float64, float64) {
		// need[j]: the spam shift below which ham j falls under 0.5
		// (spam + fraud < 0.5 is e^s' + e^f < 1 with ham's logit 0)
		var need []float64
		nHam := 0
		for i, e := range user {
			if e.Class != model.Ham {
				continue
			}
			nHam++
			s, f := oof[i].Logits()
			if f >= 0 {
				need = append(need, math.Inf(-1))
				continue
			}
			need = append(need, math.Log1p(-math.Exp(f))-s)
		}
		slices.Sort(need) // hardest to pass first
		// the a hardest may stay flagged; the rest must pass: the shift
		// falls midway between need[a-1] and need[a], as calibrate's does
		a := int(math.Floor(share*float64(nHam) + 1e-9))
		for a < len(need) && math.IsInf(need[a], -1) {
			a++ // fraud alone flags these: left to the joint shift below
		}
		cs := 0.0
		if a < len(need) && need[a] < 0 {
			cs = need[a] - 0.1
			if a > 0 && !math.IsInf(need[a-1], -1) && need[a-1] < need[a] {
				cs = (need[a-1] + need[a]) / 2
			}
		}
		shifted := make([]model.Scores, len(oof))
		for i, s := range oof {
			shifted[i] = s.Shifted(cs, 0)
		}
		c, _ := model.Calibrate(user, shifted, share)
		return cs + c, c
	}
}

// fewestErrors shifts both logits (never up) to the point where the
// user's inner out-of-fold lines count the fewest errors, a flagged ham
// counting as cost missed spam or fraud: a cost, not a share, chooses.
func fewestErrors(cost float64) func([]model.Example, []model.Scores, float64) (float64, float64) {
	return func(user []model.Example, oof []model.Scores, _ float64) (float64, float64) {
		u := make([]float64, len(oof))
		var cuts []float64
		for i, s := range oof {
			sp, fr := s.Logits()
			mx := max(sp, fr)
			u[i] = mx + math.Log(math.Exp(sp-mx)+math.Exp(fr-mx)) // flagged at 0.5 when >= 0
			if user[i].Class == model.Ham && u[i] >= 0 {
				cuts = append(cuts, u[i])
			}
		}
		slices.Sort(cuts)
		best, bestCost := 0.0, math.Inf(1)
		for j := -1; j < len(cuts); j++ {
			c := 0.0 // j = -1: as trained
			if j >= 0 {
				c = -(cuts[j] + 0.05) // passes cuts[j] and every ham below it
				if j+1 < len(cuts) {
					c = -(cuts[j] + cuts[j+1]) / 2
				}
			}
			errs := 0.0
			for i := range u {
				fl := u[i]+c >= 0
				if user[i].Class == model.Ham && fl {
					errs += cost
				} else if user[i].Class != model.Ham && !fl {
					errs++
				}
			}
			if errs < bestCost {
				best, bestCost = c, errs
			}
		}
		return best, best
	}
}

// classOf names a class's column, apart from the labels: ham, or spam
// and fraud together.
func classOf(class string) string {
	if class == "ham" {
		return "all ham"
	}
	return "spam+fraud"
}

var operatingPoints = []operatingPoint{
	{"-max-ham 1 (as trained)", joint(1)},
	{"-max-ham 0.02", joint(0.02)},
	{"-max-ham 0.01", joint(0.01)},
	{"-max-ham 0.005", joint(0.005)},
	{"the base set's own ham share", func(user []model.Example, oof []model.Scores, baseHam float64) (float64, float64) {
		c, _ := model.Calibrate(user, oof, baseHam)
		return c, c
	}},
	{"spam logit first, 0.01", spamFirst(0.01)},
	{"fewest errors, a ham = 1 miss", fewestErrors(1)},
	{"fewest errors, a ham = 10", fewestErrors(10)},
}

// TestEvalUserStandIns is the stand-in for a user's own lines on
// permissively licensed data only, from which TrainUser's default
// operating point is chosen (MODEL.md, "Training on a user's own
// lines"): each of UCI, Mendeley and Thai in turn is the user (its train
// split), the other two and the synthetic business ham the base set.
// Each fifth of the user's lines is scored by model.TrainUser on the base
// set and the other four fifths, and each operating point is chosen from
// TrainUser's own inner folds (nested: the fifth scored takes no part).
// It prints, per operating point, the flagged share of each of the user's
// labels at the shipped thresholds. The eval split is not read. About 105
// trainings: skipped under the race detector and with -short.
func TestEvalUserStandIns(t *testing.T) {
	dir := dataDir(t)
	if raceEnabled || testing.Short() {
		t.Skip("105 trainings: skipped under the race detector and with -short")
	}
	th := shipped(t)
	const k = 5
	for _, u := range corpus.ModelCorpora {
		var others []string
		for _, c := range corpus.ModelCorpora {
			if c != u {
				others = append(others, c)
			}
		}
		baseLs := readLabelled(t, dir, corpus.Train, others...)
		base := append(examples(t, baseLs), model.BusinessHam()...)
		var baseHam, baseFlagged int
		for _, s := range outOfFold(t, baseLs, model.BusinessHam()) {
			if s.Class == "ham" {
				baseHam++
				if flagged(s.s, th) {
					baseFlagged++
				}
			}
		}
		baseShare := float64(baseFlagged) / float64(baseHam)

		ls := readLabelled(t, dir, corpus.Train, u)
		if v, err := strconv.ParseFloat(os.Getenv("MODEL_USER_SHARE"), 64); err == nil {
			// fewer lines, as a user may have: a share of them by a hash
			// of the text that neither fold function shares
			ls = slices.DeleteFunc(ls, func(l corpus.Labelled) bool {
				return float64(fnv1a.String32(l.Text)%1000) >= 1000*v
			})
		}
		var labels []string
		for _, l := range ls {
			if !slices.Contains(labels, l.Label) {
				labels = append(labels, l.Label)
			}
		}
		if len(labels) > 2 {
			// the user's ham, and their spam and fraud, in all
			labels = append(labels, classOf("ham"), classOf("spam"))
		}
		n := map[string]int{}
		fl := make([]map[string]int, len(operatingPoints))
		shifts := make([][]string, len(operatingPoints))
		for p := range fl {
			fl[p] = map[string]int{}
		}
		for i := range k {
			var (
				user []model.Example
				held []corpus.Labelled
			)
			for _, l := range ls {
				if fold(l.Text, k) == i {
					held = append(held, l)
				} else {
					user = append(user, examples(t, []corpus.Labelled{l})...)
				}
			}
			m, fit, err := model.TrainUser(context.Background(), base, user, append(trainOptions(), model.WithMaxHam(1))...)
			if err != nil {
				t.Fatal(err)
			}
			ss := scoreAll(m, held)
			for _, s := range ss {
				n[s.Label]++
				n[classOf(s.Class)]++
			}
			for p, op := range operatingPoints {
				cs, cf := op.shifts(user, fit.OutOfFold, baseShare)
				if cs > 0 || cf > 0 {
					t.Errorf("%s, %s fold %d: shifts %v, %v raise scores", op.name, u, i, cs, cf)
				}
				shifts[p] = append(shifts[p], fmt.Sprintf("%.2f/%.2f", cs, cf))
				for _, s := range ss {
					if flagged(s.s.Shifted(cs, cf), th) {
						fl[p][s.Label]++
						fl[p][classOf(s.Class)]++
					}
				}
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "user: %s train split; base: %s train split and business ham (its own out-of-fold ham at 0.5: %.2f%%)\n",
			u, strings.Join(others, ", "), 100*baseShare)
		fmt.Fprintf(&b, "%-30s", "operating point")
		for _, l := range labels {
			fmt.Fprintf(&b, " %14s", fmt.Sprintf("%s (%d)", l, n[l]))
		}
		b.WriteString("  spam/fraud logit shift per fold\n")
		for p, op := range operatingPoints {
			fmt.Fprintf(&b, "%-30s", op.name)
			for _, l := range labels {
				fmt.Fprintf(&b, " %13.2f%%", pct(fl[p][l], n[l]))
			}
			fmt.Fprintf(&b, "  %s\n", strings.Join(shifts[p], " "))
		}
		t.Log("\n" + b.String())
	}
}
