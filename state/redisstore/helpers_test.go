package redisstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/state"
	"github.com/msgfilter/msgfilter/state/redisstore"
)

// redisAddr returns the address of the shared test server. Without one the
// test skips, unless CI is set: there a missing server is a failure.
func redisAddr(tb testing.TB) string {
	tb.Helper()
	addr := os.Getenv("MSGFILTER_REDIS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	c := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: time.Second, MaxRetries: -1})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		msg := "no Redis at " + addr + " (" + err.Error() + "); set MSGFILTER_REDIS_ADDR or run: eval \"$(bash .ci/redis.sh start)\""
		if os.Getenv("CI") != "" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return addr
}

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
