package filter

import (
	"syscall"
	"time"
)

// wallClock is the engine's default clock: the wall clock alone, to the
// microsecond, by the vDSO's gettimeofday (Go's syscall package calls it
// there). time.Now reads the monotonic clock too, a second vDSO call and a
// twentieth of a templated check, for a reading the engine never uses: a
// message's time is a wall time (a Message.Time has no monotonic reading),
// and the state stores keep wall times. Should the call fail, time.Now
// answers.
func wallClock() time.Time {
	var tv syscall.Timeval
	if syscall.Gettimeofday(&tv) != nil {
		return time.Now()
	}
	return time.Unix(tv.Sec, tv.Usec*1000)
}
