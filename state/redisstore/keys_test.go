package redisstore

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/state"
)

// slot is Redis Cluster's key → slot function: CRC16/XMODEM of the hash tag
// (the bytes between the first '{' and the next '}', when non-empty) or of
// the whole key, modulo 16384.
func slot(key string) uint16 {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			key = key[i+1 : i+1+j]
		}
	}
	var crc uint16
	for i := 0; i < len(key); i++ {
		crc ^= uint16(key[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc % 16384
}

func TestSlotFunction(t *testing.T) {
	// Values from the Redis Cluster specification and CLUSTER KEYSLOT.
	for _, tc := range []struct {
		key  string
		want uint16
	}{
		{"123456789", 12739},
		{"foo", 12182},
		{"{123456789}.following", 12739}, // only the tag is hashed
	} {
		if got := slot(tc.key); got != tc.want {
			t.Errorf("slot(%q) = %d, want %d", tc.key, got, tc.want)
		}
	}
}

// TestKeysOfOneCallShareASlot is what makes the scripts legal on Redis
// Cluster, whatever bytes the fields hold.
func TestKeysOfOneCallShareASlot(t *testing.T) {
	s, err := New(stubClient, Config{Prefix: "p:"})
	if err != nil {
		t.Fatal(err)
	}
	l := state.Limits{Rate: 1, RateWindow: time.Minute, Flood: 1, FloodWindow: time.Hour}
	for _, k := range []state.Key{
		{Tenant: "t", Sender: "ACME", Recipient: "+15550000001", Channel: "sms"},
		{Tenant: "}{", Sender: "{x}", Recipient: "{y}", Channel: "}"},
		{Tenant: "", Sender: "a:b", Recipient: "%7B", Channel: ""},
	} {
		keys, _ := s.consumeArgs(k, l, "{fp}", time.Unix(0, 0))
		for _, key := range keys[1:] {
			if slot(key) != slot(keys[0]) {
				t.Errorf("key %q in slot %d, want %d like %q", key, slot(key), slot(keys[0]), keys[0])
			}
		}
		if got, want := strings.Count(keys[0], "{"), 1; got != want {
			t.Errorf("key %q has %d '{', want %d: fields must be escaped", keys[0], got, want)
		}
	}
	// The ham twin: different senders are spread, not all in one slot.
	a, _ := s.consumeArgs(state.Key{Sender: "A", Recipient: "r"}, l, "", time.Unix(0, 0))
	b, _ := s.consumeArgs(state.Key{Sender: "B", Recipient: "r"}, l, "", time.Unix(0, 0))
	if slot(a[0]) == slot(b[0]) {
		t.Errorf("senders A and B share slot %d; the tag should depend on the sender", slot(a[0]))
	}
}

func FuzzEscapeIsInjective(f *testing.F) {
	f.Add("a:b", "a%3Ab")
	f.Add("{", "%7B")
	f.Add("", "%")
	f.Fuzz(func(t *testing.T, a, b string) {
		ea, eb := escape(a), escape(b)
		if (a == b) != (ea == eb) {
			t.Fatalf("escape(%q) = %q, escape(%q) = %q: equal iff inputs equal", a, ea, b, eb)
		}
		if strings.ContainsAny(ea, "{}:") {
			t.Fatalf("escape(%q) = %q keeps a separator", a, ea)
		}
	})
}

// stubClient is a client that is never dialled: key construction needs none.
var stubClient = redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
