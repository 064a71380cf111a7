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

// ReloadBundle is Reload from a policy bundle (see rules.ReadBundle). With
// WithBundleVerification, a bundle that is unsigned or does not verify is
// refused before anything is compiled.
func (e *Engine) ReloadBundle(ctx context.Context, r io.Reader) error {
	return e.reloadBundle(ctx, r, "bundle")
}

func (e *Engine) reload(ctx context.Context, fsys fs.FS, source string) error {
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
	p, err := e.loadRevision(ctx, fsys, e.opts.reloadTests)
	ev.Duration = time.Since(start)
	if err != nil {
		ev.Err = err
		e.reported(ev)
		return err
	}
	e.prev.Store(e.policy.Swap(p))
	ev.Revision = p.revision
	e.reported(ev)
	return nil
}

// Rollback makes the revision that decided before the last Reload (or
// Rollback) decide again; a second Rollback undoes the first. It returns
// ErrNoPrevious before any successful Reload.
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
