//go:build race

package terms

// raceEnabled: the race detector makes sync.Pool drop items on purpose.
const raceEnabled = true
