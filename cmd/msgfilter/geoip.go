package main

import (
	"context"
	"errors"
	"io"
)

// runGeoIP is built by the links, IP and sender work (issue 4).
func runGeoIP(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("geoip: not built yet")
}
