//go:build race

package bodyphones

// raceStride is how many inputs the exhaustive equivalence tests step
// over per input they check: under the race detector, which makes these
// single-goroutine loops ten times slower and has nothing to find in them,
// they check every 16th.
const raceStride = 16
