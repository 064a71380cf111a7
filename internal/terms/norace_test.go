//go:build !race

package terms

const raceEnabled = false
