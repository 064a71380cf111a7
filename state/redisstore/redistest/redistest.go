// Package redistest gives tests a Redis server: the shared one CI starts
// (MSGFILTER_REDIS_ADDR, skipping without one unless CI is set) or a private
// redis-server process a test can kill.
package redistest

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Addr returns the address of the shared test server (MSGFILTER_REDIS_ADDR,
// default 127.0.0.1:6379). Without one the test skips, unless CI is set:
// there a missing server is a failure.
func Addr(tb testing.TB) string {
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
		skipOrFail(tb, "no Redis at "+addr+" ("+err.Error()+"); set MSGFILTER_REDIS_ADDR or run: eval \"$(bash .ci/redis.sh start)\"")
	}
	return addr
}

// skipOrFail skips the test, or fails it when CI is set.
func skipOrFail(tb testing.TB, msg string) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}

// Server is a private redis-server with fsync-always persistence in a
// temporary directory, which the test may kill and restart.
type Server struct {
	tb   testing.TB
	bin  string
	dir  string
	port int
	args []string
	cmd  *exec.Cmd
}

// Start starts redis-server on a free loopback port with fsync-always
// persistence in tb.TempDir() and the extra args (which may override the
// defaults), and kills it when the test ends. Without redis-server on PATH
// the test skips, unless CI is set: there it fails.
func Start(tb testing.TB, args ...string) *Server {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		skipOrFail(tb, "redis-server not on PATH; install it (apt-get install redis-server) or run .ci/redis.sh start")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &Server{tb: tb, bin: bin, dir: tb.TempDir(), port: port, args: args}
	s.Start()
	tb.Cleanup(s.Kill)
	return s
}

// Addr returns the server's address.
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// Start (re)starts the server on the same port and data directory and waits
// until it answers PING.
func (s *Server) Start() {
	s.tb.Helper()
	args := append([]string{"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--dir", s.dir, "--appendonly", "yes", "--appendfsync", "always", "--save", ""}, s.args...)
	s.cmd = exec.Command(s.bin, args...)
	if err := s.cmd.Start(); err != nil {
		s.tb.Fatalf("start redis-server: %v", err)
	}
	c := redis.NewClient(&redis.Options{Addr: s.Addr(), MaxRetries: -1})
	defer c.Close()
	for range 100 {
		if c.Ping(context.Background()).Err() == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.tb.Fatalf("redis-server on %s did not answer", s.Addr())
}

// Freeze stops the server process (SIGSTOP): it keeps its connections and
// the kernel still accepts new ones, but nothing answers, as when a server
// stalls. Thaw resumes it; the test's cleanup thaws before killing.
func (s *Server) Freeze() {
	s.tb.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		s.tb.Fatalf("freeze redis-server: %v", err)
	}
	s.tb.Cleanup(s.Thaw)
}

// Thaw resumes a frozen server (SIGCONT); it does nothing to a running one.
func (s *Server) Thaw() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGCONT)
	}
}

// Kill stops the server the hard way (SIGKILL): only what it fsynced
// survives. Killing a stopped server does nothing.
func (s *Server) Kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
}
