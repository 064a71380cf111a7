package model

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// Example is one labelled training message.
type Example struct {
	Text   string
	Class  Class
	Weight float64 // 0 means 1
}

// Option configures Train.
type Option func(*options)

type options struct {
	bits   uint8
	epochs int
	rate   float64
	l2     float64
	seed   uint64
	info   string

	// TrainUser's
	folds      int
	maxHam     float64
	userWeight float64
}

// Defaults, chosen by cross-validation on the train split of the default
// corpora (see MODEL.md).
const (
	DefaultBits   = 18 // 262,144 buckets: 2 MB of weights
	DefaultEpochs = 12
	DefaultRate   = 0.25
	DefaultL2     = 1e-6
	DefaultSeed   = 1
)

func getOptions(opts []Option) options {
	o := options{bits: DefaultBits, epochs: DefaultEpochs, rate: DefaultRate, l2: DefaultL2, seed: DefaultSeed,
		folds: DefaultFolds, maxHam: DefaultMaxHam, userWeight: 1}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithBits sets the table size to 1<<bits buckets (4 to 24).
func WithBits(bits int) Option { return func(o *options) { o.bits = uint8(bits) } }

// WithEpochs sets the number of passes over the examples.
func WithEpochs(n int) Option { return func(o *options) { o.epochs = n } }

// WithL2 sets the L2 penalty applied at every update of a weight.
func WithL2(l2 float64) Option { return func(o *options) { o.l2 = l2 } }

// WithSeed sets the seed of the example order.
func WithSeed(seed uint64) Option { return func(o *options) { o.seed = seed } }

// WithInfo records a description (data, recipe) in the model file.
func WithInfo(s string) Option { return func(o *options) { o.info = s } }

// ErrNoExamples is returned by Train without examples of every class.
var ErrNoExamples = errors.New("model: training needs examples of ham and of spam or fraud")

// Train fits a model to examples with AdaGrad SGD over the softmax loss and
// an L2 penalty. It is deterministic: the examples are sorted first (their
// order does not matter), passes shuffle them with a fixed-seed generator,
// and every sum runs in one order on one goroutine, so the same examples and
// options give a byte-identical model on a given architecture (explicit
// float64 conversions keep the compiler from fusing multiply-adds).
// Classes are not reweighted: the model keeps the training data's prior,
// which favours ham, so text unlike anything it was trained on (another
// script, another language) scores as ham rather than as a coin toss.
// Train checks ctx between passes.
func Train(ctx context.Context, examples []Example, opts ...Option) (*Model, error) {
	o := getOptions(opts)
	if o.bits < minBits || o.bits > maxBits {
		return nil, fmt.Errorf("model: table bits %d outside [%d, %d]", o.bits, minBits, maxBits)
	}
	ex := slices.Clone(examples)
	slices.SortFunc(ex, func(a, b Example) int {
		return cmp.Or(cmp.Compare(a.Text, b.Text), cmp.Compare(a.Class, b.Class), cmp.Compare(a.Weight, b.Weight))
	})
	var count [numClasses]int
	for _, e := range ex {
		if e.Class >= numClasses {
			return nil, fmt.Errorf("%w: class %d", ErrClass, e.Class)
		}
		count[e.Class]++
	}
	if count[Ham] == 0 || count[Spam]+count[Fraud] == 0 {
		return nil, ErrNoExamples
	}
	// Extract once: buckets and values of every example, flat.
	mask := uint32(1)<<o.bits - 1
	var (
		offs    = make([]int, 1, len(ex)+1)
		buckets []uint32
		values  []float32
		t       textnorm.Text
		f       Features
	)
	for _, e := range ex {
		t.Reset(e.Text)
		f.extractBody(&t)
		scale := f.scale()
		for _, ft := range f.feats {
			buckets = append(buckets, ft.hash&mask)
			values = append(values, float32(scale[groupOf(ft.kind)]))
		}
		offs = append(offs, len(buckets))
	}

	w := make([]float64, 2<<o.bits)
	g2 := make([]float64, 2<<o.bits) // AdaGrad: sum of squared gradients
	var bias, biasG2 [2]float64
	order := make([]int, len(ex))
	for i := range order {
		order[i] = i
	}
	rng := splitmix(o.seed)
	for range o.epochs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i := len(order) - 1; i > 0; i-- {
			j := int(rng.next() % uint64(i+1))
			order[i], order[j] = order[j], order[i]
		}
		for _, i := range order {
			e := ex[i]
			ew := e.Weight
			if ew == 0 {
				ew = 1
			}
			bs, vs := buckets[offs[i]:offs[i+1]], values[offs[i]:offs[i+1]]
			z := bias
			for k, b := range bs {
				v := float64(vs[k])
				z[0] += float64(w[2*b] * v)
				z[1] += float64(w[2*b+1] * v)
			}
			s := Scores{logit: z}
			s.settle()
			p := [2]float64{s.Spam, s.Fraud}
			var grad [2]float64
			for k := range 2 {
				y := 0.0
				if e.Class == Class(k+1) {
					y = 1
				}
				grad[k] = float64((p[k] - y) * ew)
				biasG2[k] += float64(grad[k] * grad[k])
				bias[k] -= float64(o.rate * grad[k] / math.Sqrt(biasG2[k]+1e-8))
			}
			for k, b := range bs {
				v := float64(vs[k])
				for c := range 2 {
					idx := 2*int(b) + c
					gr := float64(grad[c]*v) + float64(o.l2*w[idx])
					g2[idx] += float64(gr * gr)
					w[idx] -= float64(o.rate * gr / math.Sqrt(g2[idx]+1e-8))
				}
			}
		}
	}
	m := &Model{bits: o.bits, mask: mask, w: make([]float32, len(w)), info: o.info}
	for i, x := range w {
		m.w[i] = float32(x)
	}
	m.bias = [2]float32{float32(bias[0]), float32(bias[1])}
	return m, nil
}

// splitmix is SplitMix64: a tiny generator whose sequence this package
// owns, so a Go release cannot change a trained model.
type splitmixState struct{ x uint64 }

func splitmix(seed uint64) *splitmixState { return &splitmixState{seed} }

func (s *splitmixState) next() uint64 {
	s.x += 0x9e3779b97f4a7c15
	z := s.x
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
