package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/msgfilter/msgfilter/policies"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// openPolicies returns the policy source at path: a directory in the pack
// layout, or a bundle file (tar.gz, as "bundle build" writes) read by
// rules.ReadBundle and verified with vc when vc is non-nil. A path that
// does not exist is an error, never the embedded packs.
func openPolicies(path string, vc *bundle.VerificationConfig) (fs.FS, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("policies: %w", err)
	}
	if st.IsDir() {
		return os.DirFS(path), nil
	}
	return readBundleFile(path, vc)
}

// localPolicies is where a rule author's packs are, relative to the
// repository (or their own project) root.
const localPolicies = "policies"

// defaultPolicies is the source of "test" without a directory: ./policies
// when it exists, so that an author's edits are what gets tested, and the
// embedded packs otherwise, said on stderr so that nobody mistakes one for
// the other.
func defaultPolicies(stderr io.Writer) (fs.FS, error) {
	if st, err := os.Stat(localPolicies); err == nil && st.IsDir() {
		return os.DirFS(localPolicies), nil
	}
	fmt.Fprintf(stderr, "msgfilter: no ./%s directory: testing the packs built into this binary\n", localPolicies)
	return policies.FS, nil
}
