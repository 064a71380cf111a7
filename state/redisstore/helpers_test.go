package redisstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/state"
	"github.com/msgfilter/msgfilter/state/redisstore"
)

// newClient connects to the test server and closes the client after the test.
func newClient(tb testing.TB, addr string) *redis.Client {
	tb.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr})
	tb.Cleanup(func() { c.Close() })
	return c
}

// testPrefix returns a key prefix no other test uses and deletes its keys
// (only its keys: nothing global is flushed) when the test ends.
func testPrefix(tb testing.TB, c *redis.Client) string {
	tb.Helper()
	var b [8]byte
	rand.Read(b[:])
	prefix := "msgfilter-test:" + hex.EncodeToString(b[:]) + ":"
	tb.Cleanup(func() {
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		for len(keys) > 0 {
			n := min(len(keys), 500)
			c.Del(ctx, keys[:n]...)
			keys = keys[n:]
		}
	})
	return prefix
}

func newStore(tb testing.TB, c redis.UniversalClient, prefix string) *redisstore.Store {
	tb.Helper()
	s, err := redisstore.New(c, redisstore.Config{Prefix: prefix})
	if err != nil {
		tb.Fatalf("New = %v", err)
	}
	return s
}

var _ state.Store = (*redisstore.Store)(nil)
