package filter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/msgfilter/msgfilter/rules"
)

// Policy lifecycle.
//
// A revision is everything a check reads that can change without a restart:
// the compiled rules, the matchers built from their term lists, the phishing
// feed, the GeoIP databases. Reload builds a whole new revision off to the
// side, runs the packs' Rego tests against it, and only then swaps one
// pointer: a check loads that pointer once, so it never sees half a revision
// and a check in flight finishes on the revision it started with. On any
// failure the running revision stays and the error is reported (the
// returned error, the reload hook, the log and the metrics). The revision
// replaced last is kept for Rollback.
//
// GeoIP databases are read into memory rather than memory-mapped: an old
// revision may still be serving a check when it is replaced, and memory the
// garbage collector owns cannot be unmapped under it.

// Reload errors.
var (
	// ErrNoPrevious is returned by Rollback before any reload.
	ErrNoPrevious = errors.New("filter: no previous policy revision")
	// ErrPolicyTests means the new revision's Rego tests failed; the
	// running revision stays. It is wrapped by a *TestFailure.
	ErrPolicyTests = errors.New("filter: policy tests failed")
)

// TestFailure reports the Rego tests that failed or errored in a revision
// that Reload refused.
type TestFailure struct {
	Failed []rules.TestResult
}

func (e *TestFailure) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "filter: %d policy tests failed", len(e.Failed))
	for i, r := range e.Failed {
		if i == 5 {
			fmt.Fprintf(&b, "\n\t... and %d more", len(e.Failed)-i)
			break
		}
		b.WriteString("\n\t" + r.String())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrPolicyTests) true.
func (e *TestFailure) Is(target error) bool { return target == ErrPolicyTests }

// Reload loads the policies of fsys (nil: the source the Engine was created
// with, read again), re-opens the phishing feed and GeoIP databases, runs the
// Rego tests of every pack and, when all of that succeeds, makes the new
// revision the one that decides. On error nothing changes. Reloads are
// serialized; Reload is safe to call concurrently with checks and with
// itself.
func (e *Engine) Reload(ctx context.Context, fsys fs.FS) error {
	return e.reload(ctx, fsys, "fs")
}

// ReloadBundle is Reload from a policy bundle (see rules.OpenBundle). With
// WithBundleVerification, a bundle that is unsigned or does not verify is
// refused before anything is compiled. A bundle older than the one
// deciding (its signed manifest revision or signature time, see
// rules.CheckUpgrade) is refused with an error matching
// rules.ErrBundleDowngrade: a replayed bundle must not bring back rules
// that were fixed. RollbackBundle and Rollback go back on purpose.
func (e *Engine) ReloadBundle(ctx context.Context, r io.Reader) error {
	return e.reloadBundle(ctx, r, "bundle")
}

// RollbackBundle is ReloadBundle without the downgrade check: an
// operator's explicit return to an older bundle (still verified, compiled
// and tested like any other). It is reported with the source "rollback".
func (e *Engine) RollbackBundle(ctx context.Context, r io.Reader) error {
	return e.reloadBundle(ctx, r, "rollback")
}

func (e *Engine) reload(ctx context.Context, fsys fs.FS, source string) error {
	var v rules.BundleVersion // a directory: nothing known
	if fsys == nil {
		v = e.opts.version // the source the Engine was created with, WithBundle's version included
	}
	return e.swapIn(ctx, fsys, v, source)
}

// swapIn builds the revision of fsys, of bundle version v (zero for a
// directory), and makes it decide. A bundle (v not zero, or a bundle
// source) that is older than the running one is refused first, unless the
// source is "rollback".
func (e *Engine) swapIn(ctx context.Context, fsys fs.FS, v rules.BundleVersion, source string) error {
	if e.policy.Load() == nil {
		return ErrZeroEngine
	}
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	if fsys == nil {
		fsys = e.opts.policies
	}
	start := time.Now()
	cur := e.policy.Load()
	ev := ReloadEvent{Source: source, Previous: cur.revision}
	var err error
	if bundleSource(source) && source != "rollback" {
		err = rules.CheckUpgrade(e.version, v)
	}
	var p *policy
	if err == nil {
		p, err = e.loadRevision(ctx, fsys, e.opts.reloadTests)
	}
	ev.Duration = time.Since(start)
	if err != nil {
		ev.Err = err
		e.reported(ev)
		return err
	}
	e.prev.Store(e.policy.Swap(p))
	e.prevVersion, e.version = e.version, v
	ev.Revision = p.revision
	e.reported(ev)
	return nil
}

// BundleVersion returns the version of the bundle deciding now (zero for a
// directory or the embedded packs). A caller that replaces this Engine
// with a new one built from a bundle compares the two with
// rules.CheckUpgrade, as ReloadBundle does. It waits for a reload in
// progress.
func (e *Engine) BundleVersion() rules.BundleVersion {
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	return e.version
}

// bundleSource reports whether a reload of that source reads a bundle.
func bundleSource(source string) bool {
	return source == "bundle" || source == "poll" || source == "rollback"
}

// Rollback makes the revision that decided before the last Reload (or
// Rollback) decide again; a second Rollback undoes the first. It is an
// explicit return, so the bundle downgrade check does not apply; the
// revision it brings back keeps its bundle version, and later bundles are
// checked against that. It returns ErrNoPrevious before any successful
// Reload.
func (e *Engine) Rollback() error {
	if e.policy.Load() == nil {
		return ErrZeroEngine
	}
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	prev := e.prev.Load()
	if prev == nil {
		return ErrNoPrevious
	}
	cur := e.policy.Swap(prev)
	e.prev.Store(cur)
	e.version, e.prevVersion = e.prevVersion, e.version
	e.reported(ReloadEvent{Source: "rollback", Revision: prev.revision, Previous: cur.revision})
	return nil
}

// loadRevision builds a complete revision: the policies with their matchers
// and feed (loadPolicy), the GeoIP databases and, when test is set, a
// passing run of the packs' Rego tests.
func (e *Engine) loadRevision(ctx context.Context, fsys fs.FS, test bool) (*policy, error) {
	p, err := e.loadPolicy(ctx, fsys)
	if err != nil {
		return nil, err
	}
	if !test {
		return p, nil
	}
	results, err := p.set.Test(ctx)
	if err != nil {
		return nil, err
	}
	var failed []rules.TestResult
	for _, r := range results {
		if !r.Pass || r.Err != nil {
			failed = append(failed, r)
		}
	}
	if len(failed) > 0 {
		return nil, &TestFailure{Failed: failed}
	}
	return p, nil
}
