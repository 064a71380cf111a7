// Package policies embeds msgfilter's default policy packs: global rules,
// one pack per country in DESIGN.md's table, and the channel rules. The
// engine loads them when no other source is configured (see
// filter.WithPolicies); README.md beside this file is the guide for rule
// authors.
package policies

import "embed"

// ../capabilities.json is what "opa check --capabilities" needs to accept
// what the engine accepts, and refuse what it refuses. It lives outside this
// directory: opa would mount a JSON file in policies/ as data.
//
//go:generate go run ../cmd/msgfilter capabilities -o ../capabilities.json

// FS holds global/, countries/<cc>/ and channels/<name>/, and the golden
// message cases under cases/ that "msgfilter test" runs.
//
//go:embed global countries channels cases
var FS embed.FS
