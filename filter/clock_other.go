//go:build !(linux && amd64)

package filter

import "time"

// wallClock is the engine's default clock. On linux/amd64 it reads the wall
// clock alone (clock_linux_amd64.go); elsewhere Go's syscall package has no
// vDSO call for it, and time.Now is the cheaper read.
func wallClock() time.Time { return time.Now() }
