package model

import (
	"fmt"
	"math"
	"strings"

	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// Class is what a message is: ham (legitimate), spam (unsolicited
// marketing) or fraud (phishing, smishing, scams).
type Class uint8

// Classes.
const (
	Ham Class = iota
	Spam
	Fraud
	numClasses
)

func (c Class) String() string {
	switch c {
	case Ham:
		return "ham"
	case Spam:
		return "spam"
	case Fraud:
		return "fraud"
	}
	return fmt.Sprintf("class(%d)", uint8(c))
}

// ParseClass returns the class named "ham", "spam" or "fraud".
func ParseClass(s string) (Class, error) {
	switch s {
	case "ham":
		return Ham, nil
	case "spam":
		return Spam, nil
	case "fraud":
		return Fraud, nil
	}
	return 0, fmt.Errorf("%w: %q", ErrClass, s)
}

// Model is a multinomial logistic regression over hashed features: for each
// bucket a spam and a fraud weight (logits relative to ham). It is read-only
// once built, so it is safe for concurrent use. The zero value is not
// usable: get one from Default, Parse, Load or Train.
type Model struct {
	bits uint8
	mask uint32
	w    []float32 // bucket*2: spam, fraud
	bias [2]float32
	info string
}

// Info returns the description recorded when the model was trained.
func (m *Model) Info() string { return m.info }

// Buckets returns the size of the hashed weight table.
func (m *Model) Buckets() int { return 1 << m.bits }

// bucket returns the bucket of a feature hash in m's table.
func (m *Model) bucket(h uint32) uint32 { return h & m.mask }

// TopN is the number of features Scores keeps per class as evidence.
const TopN = 3

// Scores are a model's verdict on one body. The zero value means "no
// verdict" (both probabilities zero).
type Scores struct {
	Spam, Fraud float64 // probabilities; Ham is 1 - Spam - Fraud
	logit       [2]float64
}

type contribution struct {
	f      feature
	weight float32
}

// Score scores the features f. It does not allocate and is safe for
// concurrent use with distinct Features.
func (m *Model) Score(f *Features) Scores {
	var s Scores
	scale := f.scale()
	var sum [3][2]float64 // per group
	for i := range f.feats {
		ft := &f.feats[i]
		b := m.bucket(ft.hash) * 2
		w := m.w[b : b+2 : b+2]
		g := &sum[groupOf(ft.kind)]
		g[0] += float64(w[0])
		g[1] += float64(w[1])
	}
	for k := range 2 {
		s.logit[k] = float64(m.bias[k]) + sum[0][k]*scale[0] + sum[1][k]*scale[1] + sum[2][k]*scale[2]
	}
	s.settle()
	return s
}

// settle turns the logits into probabilities (softmax with ham at 0).
func (s *Scores) settle() {
	mx := max(0, s.logit[0], s.logit[1])
	h := math.Exp(-mx)
	sp := math.Exp(s.logit[0] - mx)
	fr := math.Exp(s.logit[1] - mx)
	sum := h + sp + fr
	s.Spam, s.Fraud = sp/sum, fr/sum
}

// Evidence is one feature that weighed towards a class.
type Evidence struct {
	Feature string  // human-readable: `word "verify"`, `link shortener`
	Weight  float64 // its contribution to the class's logit
}

// Top returns the features of f that weighed most towards class c (Spam
// or Fraud) in m, largest first, at most TopN, each named once. Only
// positive contributions are listed, and the online layer's are not. Top
// allocates: call it for evidence and explanations, not on every message.
func (m *Model) Top(c Class, f *Features) []Evidence {
	if c != Spam && c != Fraud {
		return nil
	}
	scale := f.scale()
	var top [TopN]contribution
	for i := range f.feats {
		ft := f.feats[i]
		w := float64(m.w[m.bucket(ft.hash)*2+uint32(c-1)]) * scale[groupOf(ft.kind)]
		if w <= float64(top[TopN-1].weight) || hasHash(&top, ft.hash) {
			continue
		}
		j := TopN - 1
		for j > 0 && w > float64(top[j-1].weight) {
			top[j] = top[j-1]
			j--
		}
		top[j] = contribution{ft, float32(w)}
	}
	var out []Evidence
	for _, t := range top {
		if t.f.kind == 0 {
			break
		}
		out = append(out, Evidence{f.name(t.f), float64(t.weight)})
	}
	return out
}

// hasHash reports whether the feature hash is already among the top: a
// feature that occurs twice is named once.
func hasHash(t *[TopN]contribution, h uint32) bool {
	for i := range t {
		if t[i].f.kind != 0 && t[i].f.hash == h {
			return true
		}
	}
	return false
}

// scale returns each group's feature value: 1/sqrt(its occurrences).
func (f *Features) scale() [3]float64 {
	var scale [3]float64
	for g, n := range f.n {
		if n > 0 {
			scale[g] = 1 / math.Sqrt(float64(n))
		}
	}
	return scale
}

// name recomputes a feature's readable name from the text it came from.
func (f *Features) name(ft feature) string {
	t := f.t
	switch ft.kind {
	case kindWord:
		return fmt.Sprintf("word %q", maskedToken(t.Bytes(f.form)[ft.start:ft.end]))
	case kindBigram:
		w := t.Bytes(f.form)[ft.start:ft.end]
		return fmt.Sprintf("words %q", maskedToken(w))
	case kindChars:
		j := t.Bytes(textnorm.Joined)
		// The original's digits are masked too: names are evidence in the
		// facts, which a template's digits must not change (filter's
		// template cache serves one body's decision to another).
		return fmt.Sprintf("characters %q in %q", maskString(string(j[ft.start:ft.end])), maskString(strings.TrimSpace(t.Original(textnorm.Joined, int(ft.start), int(ft.end)))))
	case kindShape:
		if ft.shape == shapePhonePrefix {
			var d []byte
			for _, c := range []byte(f.shapeSrc[ft.start:ft.end]) {
				if isDigit(c) {
					d = append(d, c)
				}
			}
			return fmt.Sprintf("phone number starting %q", d)
		}
		if ft.shape == shapeTLD {
			return fmt.Sprintf("link TLD %q", "."+strings.ToLower(f.shapeSrc[ft.start:ft.end]))
		}
		if int(ft.shape) < len(shapeNames) {
			return shapeNames[ft.shape]
		}
	}
	return "unknown feature"
}

func maskString(s string) string {
	b := []byte(s)
	for i, c := range b {
		if isDigit(c) {
			b[i] = '0'
		}
	}
	return string(b)
}
