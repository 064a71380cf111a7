package model

// LureKinds names the kinds of lure words Extract found, for tests.
func (f *Features) LureKinds() []string {
	var out []string
	for s := shapeLureUrgent; s <= shapeLureGamble; s++ {
		if f.lure&(1<<(s-shapeLureUrgent)) != 0 {
			out = append(out, shapeNames[s])
		}
	}
	return out
}

// ShapeNames names the shape features Extract found, for tests.
func (f *Features) ShapeNames() []string {
	var out []string
	for _, ft := range f.feats {
		if ft.kind == kindShape && int(ft.shape) < len(shapeNames) {
			out = append(out, shapeNames[ft.shape])
		}
	}
	return out
}

// IsMoneyWord is isMoneyWord, for tests.
func IsMoneyWord(tok []byte) bool { return isMoneyWord(tok) }

// Logits returns the spam and fraud logits of s (against ham), for tests.
func (s Scores) Logits() (spam, fraud float64) { return s.logit[0], s.logit[1] }

// Shifted returns s with spam and fraud added to its logits, for tests.
func (s Scores) Shifted(spam, fraud float64) Scores {
	s.logit[0] += spam
	s.logit[1] += fraud
	s.settle()
	return s
}

// Calibrate is calibrate, for tests.
func Calibrate(user []Example, ss []Scores, share float64) (shift, before float64) {
	return calibrate(user, ss, share)
}
