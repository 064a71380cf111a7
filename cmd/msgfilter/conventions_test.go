package main

import (
	"strings"
	"testing"
)

// TestHelpExitsZero checks that every verb's -h prints its usage once, on
// stdout, and exits 0.
func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{
		{"-h"}, {"help"},
		{"check", "-h"}, {"check", "--help"}, {"test", "-h"}, {"eval", "-h"},
		{"diff", "-h"}, {"capabilities", "-h"}, {"serve", "-h"}, {"version", "-h"},
		{"geoip", "-h"}, {"geoip", "build", "-h"},
		{"bundle", "-h"}, {"bundle", "build", "-h"}, {"bundle", "sign", "-h"},
		{"bundle", "verify", "-h"}, {"bundle", "inspect", "-h"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, "", args...)
			if code != 0 || strings.Count(out, "usage:") != 1 || errOut != "" {
				t.Errorf("exit %d, %d usages on stdout, stderr %q; want exit 0, one usage, empty stderr\n%s",
					code, strings.Count(out, "usage:"), errOut, out)
			}
		})
	}
}

// TestCommandLineMistakes checks the exit status and message of mistakes:
// 2 with the verb's usage for a bad command line, 1 with a clear error for
// a path that does not exist.
func TestCommandLineMistakes(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"unknown verb", []string{"chekc"}, 2, `unknown command "chekc"`},
		{"unknown flag", []string{"check", "-polices", "x"}, 2, "usage: msgfilter check"},
		{"unknown flag after the file", []string{"check", examplesFile, "-nope"}, 2, "flag provided but not defined: -nope"},
		{"two input files", []string{"check", examplesFile, examplesFile}, 2, "check takes one input file"},
		{"missing input file", []string{"check", "/nope.jsonl"}, 1, "/nope.jsonl: no such file"},
		{"missing policy dir", []string{"check", "-policies", "/nope", examplesFile}, 1, "policies: stat /nope: no such file"},
		{"policies not a bundle", []string{"check", "-policies", examplesFile}, 1, "malformed bundle"},
		{"missing test dir", []string{"test", "/nope"}, 1, "/nope: no such file"},
		{"missing eval data", []string{"eval", "-data", "/nope"}, 1, "-data /nope is not a directory"},
		{"bad -run", []string{"test", "-run", "("}, 2, "-run: error parsing regexp"},
		{"diff without -new", []string{"diff", "-old", "x", examplesFile}, 2, "diff needs -old and -new"},
		{"diff missing policies", []string{"diff", "-old", "/nope", "-new", "/nope", examplesFile}, 1, "/nope"},
		{"bundle without verb", []string{"bundle"}, 2, "bundle takes a verb"},
		{"bundle build missing dir", []string{"bundle", "build", "-o", "/tmp/x.tar.gz", "/nope"}, 1, "bundle: stat /nope"},
		{"bundle sign without key", []string{"bundle", "sign", "x.tar.gz"}, 1, "-key FILE is required"},
		{"bundle verify missing key", []string{"bundle", "verify", "-key", "/nope.pem", "x.tar.gz"}, 1, "key: open /nope.pem"},
		{"bundle inspect missing", []string{"bundle", "inspect", "/nope.tar.gz"}, 1, "/nope.tar.gz"},
		{"geoip missing input", []string{"geoip", "build", "-v4", "/nope", "-v6", "", "-o", "/tmp/x.mmdb"}, 1, "/nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("msgfilter %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tt.args, " "), code, errOut, tt.code, tt.wantErr)
			}
			if code == 2 && strings.Count(errOut, "usage:") != 1 {
				t.Errorf("msgfilter %s printed the usage %d times, want once", strings.Join(tt.args, " "), strings.Count(errOut, "usage:"))
			}
		})
	}
}

// TestFlagsAfterFile checks that flags after the input file are honoured.
func TestFlagsAfterFile(t *testing.T) {
	code, out, errOut := runCLI(t, "", "check", examplesFile, "-explain")
	if code != 0 || !strings.Contains(out, `"facts":`) {
		t.Errorf("check FILE -explain: exit %d, stderr %q; want facts in the output:\n%.300s", code, errOut, out)
	}
	code, _, errOut = runCLI(t, "", "check", "--", "-explain")
	if code != 1 || !strings.Contains(errOut, "open -explain") {
		t.Errorf("check -- -explain: exit %d, stderr %q; want -explain read as a file name", code, errOut)
	}
}
