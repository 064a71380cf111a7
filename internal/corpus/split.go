package corpus

import (
	"errors"

	"github.com/msgfilter/msgfilter/internal/fnv1a"
)

// Split selects messages by the FNV-1a 32-bit hash of their exact text: the
// eval split is the messages whose hash is divisible by 5 (about a fifth),
// the train split the others. Repeats of a text always fall on the same
// side. The zero value is All.
type Split int

// Splits.
const (
	All   Split = iota // every message
	Eval               // hash % 5 == 0: report on it, never tune on it
	Train              // the rest: tune term lists on it
)

// ErrSplit is returned by ParseSplit for a name it does not know.
var ErrSplit = errors.New("corpus: split must be eval, train or all")

// ParseSplit returns the split named "eval", "train" or "all".
func ParseSplit(name string) (Split, error) {
	switch name {
	case "eval":
		return Eval, nil
	case "train":
		return Train, nil
	case "all":
		return All, nil
	}
	return All, ErrSplit
}

func (s Split) String() string {
	switch s {
	case Eval:
		return "eval"
	case Train:
		return "train"
	}
	return "all"
}

// Contains reports whether text belongs to the split.
func (s Split) Contains(text string) bool {
	if s == All {
		return true
	}
	return InEval(text) == (s == Eval)
}

// InEval reports whether text is in the eval split: its FNV-1a 32-bit hash
// is divisible by 5.
func InEval(text string) bool {
	return fnv1a.String32(text)%5 == 0
}
