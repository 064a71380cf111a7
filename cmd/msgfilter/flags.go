package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// errHelp is returned when the user asked for a verb's usage (-h): it was
// printed on stdout and the exit status is 0.
var errHelp = errors.New("help requested")

// usageError is a mistake in the command line: run prints it with the
// verb's usage on stderr and exits 2.
type usageError struct {
	msg   string
	usage string // the verb's usage; the tool's when empty
}

func (e *usageError) Error() string { return e.msg }

// verb is one sub-command's flags and synopsis.
type verb struct {
	*flag.FlagSet
	synopsis string // e.g. "check [flags] [FILE|-]"
	summary  string // one paragraph on what it does
}

// newVerb returns an empty flag set for a sub-command. Its output is
// discarded: parse reports errors and usage exactly once, itself.
func newVerb(name, synopsis, summary string) *verb {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &verb{FlagSet: fs, synopsis: synopsis, summary: summary}
}

// usage is the verb's help text: synopsis, summary and flags.
func (v *verb) usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: msgfilter %s\n", v.synopsis)
	if v.summary != "" {
		fmt.Fprintf(&b, "\n%s\n", v.summary)
	}
	hasFlags := false
	v.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		b.WriteString("\nflags:\n")
		v.SetOutput(&b)
		v.PrintDefaults()
		v.SetOutput(io.Discard)
	}
	return b.String()
}

// parse parses args with flags before, between or after the other arguments
// (users type "check in.jsonl -summary" as often as "check -summary
// in.jsonl"); "--" ends the flags. It returns the other arguments, errHelp
// after printing the usage on stdout for -h, or a *usageError.
func (v *verb) parse(args []string, stdout io.Writer) ([]string, error) {
	var rest []string
	for {
		if err := v.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, v.usage())
				return nil, errHelp
			}
			return nil, v.usageErr("%v", err)
		}
		left := v.Args()
		if len(left) == 0 {
			return rest, nil
		}
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			return append(rest, left...), nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// usageErr is a *usageError carrying the verb's usage.
func (v *verb) usageErr(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), usage: v.usage()}
}

// isSet reports whether the flag was given on the command line.
func (v *verb) isSet(name string) bool {
	set := false
	v.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// isHelp reports whether arg asks for help where a verb is expected.
func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}
