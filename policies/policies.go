// Package policies embeds msgfilter's default policy packs: global rules,
// one pack per country in DESIGN.md's table, and the channel rules. The
// engine loads them when no other source is configured (see
// filter.WithPolicies); README.md beside this file is the guide for rule
// authors.
package policies

import "embed"

// FS holds global/, countries/<cc>/ and channels/<name>/, and the golden
// message cases under cases/ that "msgfilter test" runs.
//
//go:embed global countries channels cases
var FS embed.FS
