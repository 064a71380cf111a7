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
