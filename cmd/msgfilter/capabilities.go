package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/msgfilter/msgfilter/rules"
	"github.com/open-policy-agent/opa/v1/ast"
)

// runCapabilities writes the OPA capabilities the engine compiles policies
// with, for "opa check --capabilities". It is a hidden verb: go generate in
// policies/ runs it, and a test checks the file it wrote is current.
func runCapabilities(_ context.Context, args []string, stdout io.Writer) error {
	flags := newVerb("capabilities", "capabilities [-o FILE]",
		"Writes the OPA capabilities policies compile with (OPA's built-ins less the ones\nthe engine refuses) for opa check --capabilities.")
	out := flags.String("o", "", "file to write (default: stdout)")
	rest, err := flags.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return flags.usageErr("capabilities takes no arguments")
	}
	b, err := capabilitiesJSON()
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(b)
		return err
	}
	if err := writeAtomic(*out, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return fmt.Errorf("capabilities: %w", err)
	}
	return nil
}

// capabilitiesJSON is rules.Capabilities as an indented JSON file with the
// built-ins in name order, so that the checked-in file diffs well.
func capabilitiesJSON() ([]byte, error) {
	caps := rules.Capabilities()
	caps.Builtins = slices.Clone(caps.Builtins)
	slices.SortStableFunc(caps.Builtins, func(a, b *ast.Builtin) int { return strings.Compare(a.Name, b.Name) })
	// OPA drops an empty allow_net (omitempty), which would read back as
	// "any host": the engine's is empty, no host, and the file says so.
	file := struct {
		*ast.Capabilities
		AllowNet []string `json:"allow_net"`
	}{caps, caps.AllowNet}
	if file.AllowNet == nil {
		file.AllowNet = []string{}
	}
	b, err := json.MarshalIndent(file, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("capabilities: %w", err)
	}
	return append(b, '\n'), nil
}
