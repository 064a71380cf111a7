package rules

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// BundleVersion is what a bundle says about its age: the revision of its
// .manifest (signed with the other files) and the issue time of its
// signature (the JWT's "iat" claim, trusted only once verified). Sign
// bundles with an "iat" claim (opa sign --claims-file) or give them an
// ordered revision (a decimal counter or an RFC 3339 time) so that a
// replayed older bundle can be told apart; see CheckUpgrade.
type BundleVersion struct {
	Revision string    // "" when the bundle has no manifest revision
	Issued   time.Time // zero when unsigned or signed without "iat"
}

// IsZero reports whether v says nothing about the bundle's age.
func (v BundleVersion) IsZero() bool { return v.Revision == "" && v.Issued.IsZero() }

func (v BundleVersion) String() string {
	s := "revision " + strconv.Quote(v.Revision)
	if !v.Issued.IsZero() {
		s += " signed " + v.Issued.Format(time.RFC3339)
	}
	return s
}

// ErrBundleDowngrade means a bundle is older than the running one, or
// cannot be ordered after it: replaying an older signed bundle would bring
// back rules that were fixed. It is wrapped by a *DowngradeError.
var ErrBundleDowngrade = errors.New("rules: bundle older than the running one")

// DowngradeError reports a refused bundle and the versions compared.
type DowngradeError struct {
	Running, Next BundleVersion
	Reason        string
}

func (e *DowngradeError) Error() string {
	return fmt.Sprintf("rules: refusing bundle %s after running %s: %s", e.Next, e.Running, e.Reason)
}

// Is makes errors.Is(err, ErrBundleDowngrade) true.
func (e *DowngradeError) Is(target error) bool { return target == ErrBundleDowngrade }

// CheckUpgrade reports whether a bundle of version next may replace the
// running bundle of version running; it returns nil or a *DowngradeError.
// An engine calls it before swapping in a bundle's policies, and skips it
// only for an explicit rollback. The order, first that applies:
//
//  1. Nothing is known about the running bundle (a directory, or a bundle
//     without revision or signed time): any bundle may follow.
//  2. Both are signed with "iat": next must not be older.
//  3. Both revisions are decimal counters, or both RFC 3339 times: next
//     must not be older. Equal versions pass (the same bundle re-read).
//  4. Otherwise, when the running bundle could be ordered (it has "iat" or
//     an ordered revision) but next cannot be ordered against it, next is
//     refused: nothing proves it is not a replay.
//  5. Otherwise (neither can be ordered, such as two git hashes without
//     "iat"), next passes: there is no order to enforce.
func CheckUpgrade(running, next BundleVersion) error {
	refuse := func(reason string) error {
		return &DowngradeError{Running: running, Next: next, Reason: reason}
	}
	if running.IsZero() {
		return nil
	}
	if !running.Issued.IsZero() && !next.Issued.IsZero() {
		if next.Issued.Before(running.Issued) {
			return refuse("signed earlier")
		}
		return nil
	}
	if c, ok := compareRevisions(next.Revision, running.Revision); ok {
		if c < 0 {
			return refuse("older revision")
		}
		return nil
	}
	if _, ordered := revisionOrder(running.Revision); ordered || !running.Issued.IsZero() {
		return refuse("cannot be ordered after the running bundle (sign it with iat or give it an ordered revision)")
	}
	return nil
}

// compareRevisions compares two ordered revisions of the same kind.
func compareRevisions(a, b string) (int, bool) {
	ka, oka := revisionOrder(a)
	kb, okb := revisionOrder(b)
	if !oka || !okb || ka.kind != kb.kind {
		return 0, false
	}
	switch {
	case ka.n < kb.n:
		return -1, true
	case ka.n > kb.n:
		return 1, true
	}
	return 0, true
}

type orderKey struct {
	kind int // 1 counter, 2 time
	n    int64
}

// revisionOrder returns the order key of a revision that is a decimal
// counter or an RFC 3339 time.
func revisionOrder(rev string) (orderKey, bool) {
	if n, err := strconv.ParseUint(rev, 10, 63); err == nil {
		return orderKey{1, int64(n)}, true
	}
	if t, err := time.Parse(time.RFC3339Nano, rev); err == nil {
		return orderKey{2, t.Unix()}, true
	}
	return orderKey{}, false
}
