//go:build race

package geo

// raceEnabled: the race detector makes sync.Pool (the regexp package's
// machines) drop items on purpose.
const raceEnabled = true
