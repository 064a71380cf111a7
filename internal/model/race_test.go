//go:build race

package model_test

// raceEnabled: the race detector slows training about tenfold, and the
// evaluations train on one goroutine, where it has nothing to find; the
// costliest passes are left to runs without it (CI time).
const raceEnabled = true
