package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/geo/countrydb"
)

// Where Debian's tor-geoipdb package installs its ranges.
const (
	torGeoIPv4 = "/usr/share/tor/geoip"
	torGeoIPv6 = "/usr/share/tor/geoip6"
)

// errNoTorGeoIP is wrapped when a tor-geoipdb input file is missing.
var errNoTorGeoIP = errors.New("geoip: tor-geoipdb file missing (install them with: apt-get install tor-geoipdb)")

const geoipUsage = "usage: msgfilter geoip build [-v4 FILE] [-v6 FILE] -o FILE\n"

// runGeoIP dispatches "geoip <verb>"; build is the only verb.
func runGeoIP(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "build" {
		if len(args) > 0 && isHelp(args[0]) {
			fmt.Fprint(stdout, geoipUsage)
			return errHelp
		}
		return &usageError{msg: "geoip takes the verb build", usage: geoipUsage}
	}
	return runGeoIPBuild(ctx, args[1:], stdout, stderr)
}

// runGeoIPBuild converts tor-geoipdb ranges into a MaxMind DB that
// filter.WithGeoIP and "check -geoip" read. The file is written beside its
// final name and renamed into place once it is complete and opens, so a
// gateway reading the old file never sees a half-written one.
func runGeoIPBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := newVerb("geoip build", "geoip build [-v4 FILE] [-v6 FILE] -o FILE",
		"Converts Debian's tor-geoipdb ranges into a MaxMind-format database for check -geoip.")
	v4 := flags.String("v4", torGeoIPv4, "tor IPv4 ranges (FROM,TO,CC with integer bounds)")
	v6 := flags.String("v6", torGeoIPv6, `tor IPv6 ranges (FROM,TO,CC); "" to leave IPv6 out`)
	out := flags.String("o", "", "database to write (required)")
	rest, err := flags.parse(args, stdout)
	if err != nil {
		return err
	}
	if *out == "" || len(rest) > 0 {
		return flags.usageErr("geoip build needs -o FILE and no other argument")
	}
	if *v4 == "" && *v6 == "" {
		return flags.usageErr("geoip build needs -v4 or -v6")
	}
	var inputs [2]io.Reader
	for i, path := range []string{*v4, *v6} {
		if path == "" {
			continue
		}
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %s", errNoTorGeoIP, path)
		}
		if err != nil {
			return fmt.Errorf("geoip: %w", err)
		}
		defer f.Close()
		inputs[i] = f
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	start := time.Now()
	tmp, err := os.CreateTemp(filepath.Dir(*out), filepath.Base(*out)+".tmp*")
	if err != nil {
		return fmt.Errorf("geoip: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this finds nothing
	stats, err := countrydb.FromTorGeoIP(inputs[0], inputs[1], tmp)
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("geoip: build: %w", err)
	}
	db, err := geo.OpenIPDB(tmp.Name())
	if err != nil {
		return fmt.Errorf("geoip: the built database does not open: %w", err)
	}
	db.Close()
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("geoip: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s: %d ranges, %d countries, %d bytes in %v (skipped: %d unknown, %d non-ISO, %d inside IPv4 aliases)\n",
		*out, stats.Ranges, stats.Countries, stats.Bytes, time.Since(start).Round(time.Millisecond),
		stats.Unknown, stats.NonISO, stats.Aliased)
	return nil
}
