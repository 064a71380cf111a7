package geo

// DefaultNumbersCapacity is the number of senders and, separately, of
// recipients a zero Numbers remembers.
const DefaultNumbersCapacity = 1 << 16

const (
	shardBits    = 5
	numberShards = 1 << shardBits
)

// Numbers caches ClassifySender and ParseRecipient results, because
// matching a numbering plan's patterns costs about a microsecond and
// gateways see the same senders and recipients over and over.
//
// Only numbers are cached, senders and recipients apart, each as two
// integers (its digits' value and count, and a 32-bit code) that hold no
// pointers for the garbage collector to trace: 16 bytes a number, 2 MiB
// for both caches at the default capacity. Anything else (an alphanumeric
// sender, a short code, a malformed recipient) is classified without
// libphonenumber, faster than a lookup. The cache is bounded: at most
// capacity senders and capacity recipients (DefaultNumbersCapacity when
// zero), each number in the slot its hash picks or the one beside it,
// replacing what the first holds when both are taken. A lookup writes no
// shared memory (codecache.go).
//
// The zero value is ready to use with the default capacity. A Numbers is
// safe for concurrent use and must not be copied after first use.
type Numbers struct {
	capacity int
	senders  [numberShards]codeShard
	recips   [numberShards]codeShard
}

// NewNumbers returns a Numbers that keeps up to capacity senders and
// capacity recipients; capacity <= 0 means DefaultNumbersCapacity.
func NewNumbers(capacity int) *Numbers {
	return &Numbers{capacity: capacity}
}

func (n *Numbers) perShard() int {
	c := n.capacity
	if c <= 0 {
		c = DefaultNumbersCapacity
	}
	return max(1, c/numberShards)
}

// Sender returns ClassifySender(s), from the cache when possible: only
// numbers are cached (the digits of "+" and 7–15 digits, or of 9–15
// digits), as number codes; everything else is classified without
// libphonenumber, faster than a lookup.
func (n *Numbers) Sender(s string) Sender { return classifySender(s, n) }

// senderCode returns numberCode(digits), from the sender cache when n is
// not nil.
func (n *Numbers) senderCode(digits string) uint32 {
	if n == nil {
		return numberCode(digits)
	}
	k := numberKey(digits)
	sh := &n.senders[keyShard(k)]
	c, ok := sh.get(k)
	if !ok {
		c = numberCode(digits)
		sh.put(k, c, n.perShard())
	}
	return c
}

// Recipient returns ParseRecipient(s), from the cache when possible: only
// well-formed numbers ("+" and 7–15 digits) are cached, valid or not, and
// a hit does not allocate.
func (n *Numbers) Recipient(s string) (Recipient, error) {
	k, ok := recipientKey(s)
	if !ok {
		return ParseRecipient(s)
	}
	return decodeRecipient(s, n.recipientCode(s, k))
}

// RecipientZone returns Recipient(s) and, for a valid recipient, the zone
// ZoneOf(s) gives, both from one cache slot: a check that needs both pays
// for one lookup (a Zones lookup repeated the shape check, the key and the
// slot load). The zone is the zero Zone for an invalid recipient, and for
// a valid one whose zone ZoneOf cannot give (the host lacks it: ZoneOf's
// error says so), which is looked up again on every call, as Zones does.
// A hit does not allocate. The Zone shares its All slice with every
// lookup of the same zone: do not modify it.
func (n *Numbers) RecipientZone(s string) (Recipient, Zone, error) {
	k, ok := recipientKey(s)
	if !ok {
		r, err := ParseRecipient(s)
		return r, Zone{}, err
	}
	c := n.recipientCode(s, k)
	r, err := decodeRecipient(s, c)
	if err != nil {
		return r, Zone{}, err
	}
	if id := c >> codeZoneShift & codeZoneMax; id != 0 {
		return r, zones.get(id - 1), nil
	}
	z, _ := ZoneOf(s)
	return r, z, nil
}

// recipientCode returns the recipientCode of s, of valid shape and key k
// (recipientKey), from the recipient cache when it holds it.
func (n *Numbers) recipientCode(s string, k uint64) uint32 {
	sh := &n.recips[keyShard(k)]
	c, ok := sh.get(k)
	if !ok {
		c = recipientCode(s)
		sh.put(k, c, n.perShard())
	}
	return c
}

// numberKey is a key for a string of 1–15 digits that no other such
// string has: their value, and their count for the leading zeros.
func numberKey(digits string) uint64 {
	var v uint64
	for i := 0; i < len(digits); i++ {
		v = v*10 + uint64(digits[i]-'0')
	}
	return v<<5 | uint64(len(digits))
}

// recipientKey returns numberKey(s[1:]) and true when recipientShape(s)
// is "", else false: one pass over a recipient looked up on every check,
// where the shape check and the key read it twice.
func recipientKey(s string) (uint64, bool) {
	if len(s)-1 < minE164Digits || len(s)-1 > maxE164Digits || s[0] != '+' {
		return 0, false
	}
	var v uint64
	for i := 1; i < len(s); i++ {
		d := uint64(s[i]) - '0' // a byte below '0' wraps above 9
		if d > 9 {
			return 0, false
		}
		v = v*10 + d
	}
	return v<<5 | uint64(len(s)-1), true
}

// keyShard spreads number keys over the shards (Fibonacci hashing: the
// low bits of a key are its length).
func keyShard(k uint64) uint64 { return k * 0x9e3779b97f4a7c15 >> (64 - shardBits) }

// len reports the number of cached senders and recipients (for tests).
func (n *Numbers) len() (senders, recipients int) {
	for i := range n.senders {
		senders += n.senders[i].len()
		recipients += n.recips[i].len()
	}
	return senders, recipients
}
