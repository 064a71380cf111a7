// Package fuzz holds msgfilter's cross-package fuzz targets: they drive a
// real filter.Engine with the embedded policy packs. Package-level targets
// live beside their packages; run.sh runs every Fuzz target of the module:
//
//	fuzz/run.sh 30s
//
// runs each target for 30 seconds and keeps any crasher in the target's
// testdata/fuzz/ directory, where "go test ./..." replays it from then on.
package fuzz
