// Package fnv1a is the FNV-1a hash without allocation, for the places that
// hash text on the hot path (sender shards, template fingerprints, the
// corpus split). Its results equal hash/fnv's New32a and New64a.
package fnv1a

const (
	offset32 = 2166136261
	prime32  = 16777619
	offset64 = 14695981039346656037
	prime64  = 1099511628211
)

// String32 returns the 32-bit FNV-1a hash of s.
func String32(s string) uint32 {
	h := uint32(offset32)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * prime32
	}
	return h
}

// Hash64 is a running 64-bit FNV-1a hash. Its zero value is not ready: use
// New64.
type Hash64 uint64

// New64 returns a 64-bit hash of nothing yet.
func New64() Hash64 { return offset64 }

// AddByte adds one byte.
func (h *Hash64) AddByte(b byte) { *h = (*h ^ Hash64(b)) * prime64 }

// AddString adds the bytes of s.
func (h *Hash64) AddString(s string) {
	for i := 0; i < len(s); i++ {
		h.AddByte(s[i])
	}
}

// String64 returns the 64-bit FNV-1a hash of s.
func String64(s string) uint64 {
	h := New64()
	h.AddString(s)
	return uint64(h)
}
