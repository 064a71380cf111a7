package fnv1a

import (
	"hash/fnv"
	"testing"
)

func TestMatchesHashFNV(t *testing.T) {
	for _, s := range []string{"", "a", "hello", "Your code is 482913", "انتخابات", "\xff\x00"} {
		h32 := fnv.New32a()
		h32.Write([]byte(s))
		if got, want := String32(s), h32.Sum32(); got != want {
			t.Errorf("String32(%q) = %#x, want %#x", s, got, want)
		}
		h64 := fnv.New64a()
		h64.Write([]byte(s))
		if got, want := String64(s), h64.Sum64(); got != want {
			t.Errorf("String64(%q) = %#x, want %#x", s, got, want)
		}
	}
}
