package main

import (
	"context"
	"errors"
	"io"
)

// runEval is built by the content-evaluation work (issue 3).
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("eval: not built yet")
}
