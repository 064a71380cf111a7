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
