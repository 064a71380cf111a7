package rules

import (
	"errors"
	"fmt"
)

// ErrNoPolicies is returned by Load when the source holds no pack at all.
var ErrNoPolicies = errors.New("rules: no policy packs found")

// PolicyError reports a problem in a policy file: a parse or compile error, a
// forbidden built-in, missing METADATA or malformed data. Row is 0 when the
// problem is not tied to a line.
type PolicyError struct {
	File string
	Row  int
	Msg  string

	err error // a sentinel callers branch on, such as ErrPolicyTooLarge
}

// Unwrap returns the sentinel behind the error, if any.
func (e *PolicyError) Unwrap() error { return e.err }

func (e *PolicyError) Error() string {
	if e.Row > 0 {
		return fmt.Sprintf("rules: %s:%d: %s", e.File, e.Row, e.Msg)
	}
	return fmt.Sprintf("rules: %s: %s", e.File, e.Msg)
}

// LoadError collects every PolicyError found while loading a source, so an
// author sees all problems at once. errors.As finds each *PolicyError.
type LoadError struct {
	Errs []*PolicyError
}

func (e *LoadError) Error() string {
	if len(e.Errs) == 1 {
		return e.Errs[0].Error()
	}
	msg := fmt.Sprintf("rules: %d policy errors:", len(e.Errs))
	for _, pe := range e.Errs {
		msg += "\n\t" + pe.Error()
	}
	return msg
}

// Unwrap returns the individual errors.
func (e *LoadError) Unwrap() []error {
	errs := make([]error, len(e.Errs))
	for i, pe := range e.Errs {
		errs[i] = pe
	}
	return errs
}
