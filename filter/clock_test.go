package filter

import (
	"testing"
	"time"
)

// TestWallClock: the default clock reads the wall clock, to the
// microsecond, between two readings of time.Now taken around it, and is
// the engine's clock unless a test injects one.
func TestWallClock(t *testing.T) {
	for range 1000 {
		before := time.Now().Round(0)
		got := wallClock()
		after := time.Now().Round(0)
		if got.Before(before.Add(-time.Microsecond)) || got.After(after) {
			t.Fatalf("wallClock() = %v, want between %v and %v", got, before, after)
		}
	}
	if o := resolveOptions(nil); o.clock == nil || o.clock().Sub(time.Now()).Abs() > time.Second {
		t.Error("the default clock is not the wall clock")
	}
}
