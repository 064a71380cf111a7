// Package redisstore is the state.Store for a fleet of gateway nodes: opt-outs,
// conversation windows and limits live in Redis (one server or Redis Cluster),
// so every node sees the same state and counters are shared exactly. Use it
// when more than one process checks messages for the same senders; a single
// node is better served by state.NewMemory, and importing state alone does
// not pull in the Redis client.
//
// Each Store method is one Lua script (EVALSHA, falling back to EVAL when the
// server has not cached it), so it is atomic and costs one round trip. All
// keys of one (tenant, sender) share a {hash tag} and hence a cluster slot:
//
//	<prefix>{<tenant>:<sender>}:c:<channel>:<recipient>  hash in, sc     conversation; TTL retention
//	<prefix>{<tenant>:<sender>}:o:<recipient>            hash out, at    opt state; no TTL while opted out
//	<prefix>{<tenant>:<sender>}:r:<window ms>            hash i, n       fixed-window rate counter
//	<prefix>{<tenant>:<sender>}:f:<fingerprint>          zset            flood set: recipient → last send
//
// Fields are escaped (% { } : as %25 %7B %7D %3A), so no two keys collide
// and a field cannot move a key to another slot. The price of one slot per
// sender is that a very large sender's state sits on one cluster node.
//
// Durability: RecordInbound returns nil once Redis has applied the change.
// It survives a Redis restart only as far as the server persists it: run it
// with appendonly yes and appendfsync always for opt-outs that are never
// lost (the outage test does exactly that). CheckPersistence reads the
// server's settings at start, warns when AOF is off, and gives the value a
// readiness check reports. When Redis cannot be reached every method
// returns an error wrapping state.ErrUnavailable; the caller retries
// RecordInbound and applies its fail-open or fail-closed option to checks.
//
// Deadlines: every method returns by the deadline of its ctx. Build the
// client with ContextTimeoutEnabled: true, so that go-redis itself stops
// waiting at the deadline; without it go-redis waits its own ReadTimeout
// and retries (seconds against a stalled server), and the Store runs each
// call on a goroutine that it abandons at the deadline, at most
// MaxDetached at a time.
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/state"
)

// Config configures a Store. The zero value gives the documented defaults.
type Config struct {
	// Prefix starts every key (default "msgfilter:"). It may not contain
	// '{' or '}', which would break the cluster hash tag.
	Prefix string
	// Retention is how long a conversation is remembered after its last
	// inbound message (default state.DefaultRetention, 24h).
	Retention time.Duration
	// Logger receives CheckPersistence's warnings (default slog.Default()).
	Logger *slog.Logger
}

// MaxDetached bounds the calls a Store runs on abandoned goroutines for a
// client without ContextTimeoutEnabled (see the package documentation):
// past it, a call fails at once with state.ErrUnavailable rather than pile
// up goroutines behind a stalled server.
const MaxDetached = 1024

// DefaultPrefix is the key prefix used when Config.Prefix is empty.
const DefaultPrefix = "msgfilter:"

// ErrConfig reports an unusable Config.
var ErrConfig = errors.New("redisstore: invalid config")

// Store is a state.Store backed by Redis. It is safe for concurrent use
// (go-redis clients are); its zero value is not usable: create one with New.
// Several Stores, in one process or many, may share one Redis and agree on
// every limit.
type Store struct {
	c         redis.UniversalClient
	prefix    string
	retention int64 // milliseconds
	log       *slog.Logger
	// detached is nil when the client honours ctx deadlines itself;
	// otherwise a semaphore of calls running on goroutines.
	detached chan struct{}
}

var _ state.Store = (*Store)(nil)

// New returns a Store that keeps its state through c, a *redis.Client,
// *redis.ClusterClient or anything else satisfying redis.UniversalClient.
// New does no I/O; the caller owns c and closes it. A client built without
// ContextTimeoutEnabled (or of a type New cannot inspect) still has every
// call return by its ctx deadline, at the cost of a goroutine per call.
func New(c redis.UniversalClient, cfg Config) (*Store, error) {
	if c == nil {
		return nil, fmt.Errorf("%w: nil client", ErrConfig)
	}
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultPrefix
	}
	if strings.ContainsAny(cfg.Prefix, "{}") {
		return nil, fmt.Errorf("%w: prefix %q contains a brace", ErrConfig, cfg.Prefix)
	}
	if cfg.Retention == 0 {
		cfg.Retention = state.DefaultRetention
	}
	if cfg.Retention < time.Millisecond {
		return nil, fmt.Errorf("%w: retention %v below 1ms", ErrConfig, cfg.Retention)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Store{c: c, prefix: cfg.Prefix, retention: cfg.Retention.Milliseconds(), log: cfg.Logger}
	if !honoursDeadlines(c) {
		s.detached = make(chan struct{}, MaxDetached)
	}
	return s, nil
}

// honoursDeadlines reports whether go-redis stops waiting at a ctx
// deadline with c: only when its options enable context timeouts.
func honoursDeadlines(c redis.UniversalClient) bool {
	switch c := c.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		return c.Options().ContextTimeoutEnabled
	}
	return false
}

// do runs f within ctx's deadline. With a client that honours deadlines
// that is just f(ctx); otherwise f runs on a goroutine that is abandoned
// when ctx is done (its command may still reach Redis later: every script
// is safe to apply late, and a late count errs on the blocking side).
// The result travels on a channel, so an abandoned goroutine shares no
// variable with its caller.
func do[T any](ctx context.Context, s *Store, f func(ctx context.Context) (T, error)) (T, error) {
	if s.detached == nil || ctx.Done() == nil {
		return f(ctx)
	}
	var zero T
	select {
	case s.detached <- struct{}{}:
	default:
		return zero, fmt.Errorf("%d calls already waiting on the server: %w", MaxDetached, errStalled)
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() { <-s.detached }()
		v, err := f(ctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// errStalled is a transport failure of its own: too many calls in flight.
var errStalled = errors.New("redisstore: server stalled")

// RecordInbound implements state.Store.
func (s *Store) RecordInbound(ctx context.Context, in state.Inbound) error {
	if err := in.Validate(); err != nil {
		return err
	}
	tag := s.tag(in.Key)
	keys := []string{s.convKey(tag, in.Key), s.optKey(tag, in.Key)}
	_, err := do(ctx, s, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, inboundScript.Run(ctx, s.c, keys,
			in.At.UnixMilli(), s.retention, flag(in.OptOut), flag(in.OptIn)).Err()
	})
	return wrap(ctx, "record inbound", err)
}

// Snapshot implements state.Store. The opt state of optOutSender is under
// another hash tag (another cluster slot), so a snapshot with one is the
// script and an HMGET of that key in one pipeline: one round trip, two
// reads that are each atomic.
func (s *Store) Snapshot(ctx context.Context, k state.Key, optOutSender string, now time.Time) (state.Snapshot, error) {
	if err := k.Validate(); err != nil {
		return state.Snapshot{}, err
	}
	if len(optOutSender) > state.MaxFieldLen {
		return state.Snapshot{}, fmt.Errorf("%w: opt-out sender longer than %d bytes", state.ErrInvalid, state.MaxFieldLen)
	}
	other := optOutSender != ""
	if now.IsZero() {
		return state.Snapshot{}, fmt.Errorf("%w: zero time", state.ErrInvalid)
	}
	tag := s.tag(k)
	keys := []string{s.convKey(tag, k), s.optKey(tag, k)}
	type read struct {
		r   []int64
		out bool // optOut's opt state
	}
	got, err := do(ctx, s, func(ctx context.Context) (read, error) {
		if !other {
			r, err := snapshotScript.Run(ctx, s.c, keys, now.UnixMilli(), s.retention).Int64Slice()
			return read{r: r}, err
		}
		run := func(ctx context.Context) (*redis.Cmd, *redis.SliceCmd, error) {
			pipe := s.c.Pipeline()
			snap := snapshotScript.EvalSha(ctx, pipe, keys, now.UnixMilli(), s.retention)
			ok := state.Key{Tenant: k.Tenant, Sender: optOutSender, Recipient: k.Recipient}
			opt := pipe.HMGet(ctx, s.optKey(s.tag(ok), ok), "out")
			_, err := pipe.Exec(ctx)
			return snap, opt, err
		}
		snap, opt, err := run(ctx)
		if err != nil && redis.HasErrorPrefix(err, "NOSCRIPT") {
			if err := snapshotScript.Load(ctx, s.c).Err(); err != nil {
				return read{}, fmt.Errorf("load script: %w", err)
			}
			snap, opt, err = run(ctx)
		}
		if err != nil {
			return read{}, err
		}
		r, err := snap.Int64Slice()
		if err != nil {
			return read{}, err
		}
		v := opt.Val()
		return read{r: r, out: len(v) == 1 && v[0] == "1"}, nil
	})
	if err != nil {
		return state.Snapshot{}, wrap(ctx, "snapshot", err)
	}
	r := got.r
	if len(r) != 4 {
		return state.Snapshot{}, fmt.Errorf("redisstore: snapshot: script returned %d values, want 4", len(r))
	}
	snap := snapshotOf(r[0], r[1], r[2], r[3])
	if other {
		snap.OptedOut = got.out
	}
	return snap, nil
}

// Consume implements state.Store.
func (s *Store) Consume(ctx context.Context, k state.Key, l state.Limits, fingerprint string, now time.Time) (state.Outcome, error) {
	if err := state.ValidateConsume(k, l, fingerprint, now); err != nil {
		return state.Outcome{}, err
	}
	keys, args := s.consumeArgs(k, l, fingerprint, now)
	r, err := do(ctx, s, func(ctx context.Context) ([]int64, error) {
		return consumeScript.Run(ctx, s.c, keys, args...).Int64Slice()
	})
	if err != nil {
		return state.Outcome{}, wrap(ctx, "consume", err)
	}
	return outcomeOf(r, l)
}

// Request is one message of a ConsumeMany batch.
type Request struct {
	Key         state.Key
	Limits      state.Limits
	Fingerprint string
	Now         time.Time
}

// ConsumeMany runs Consume for every request in one pipelined round trip, in
// order. Each request is atomic on its own (exactly as Consume), the batch as
// a whole is not. It returns ErrInvalid before sending anything when a
// request is invalid; otherwise outcomes[i] answers reqs[i] and err is the
// first error met (requests after a failed one may still have been counted).
func (s *Store) ConsumeMany(ctx context.Context, reqs []Request) (outcomes []state.Outcome, err error) {
	for i, r := range reqs {
		if err := state.ValidateConsume(r.Key, r.Limits, r.Fingerprint, r.Now); err != nil {
			return nil, fmt.Errorf("request %d: %w", i, err)
		}
	}
	run := func(ctx context.Context) ([]*redis.Cmd, error) {
		pipe := s.c.Pipeline()
		cmds := make([]*redis.Cmd, len(reqs))
		for i, r := range reqs {
			keys, args := s.consumeArgs(r.Key, r.Limits, r.Fingerprint, r.Now)
			cmds[i] = consumeScript.EvalSha(ctx, pipe, keys, args...)
		}
		_, err := pipe.Exec(ctx)
		return cmds, err
	}
	outcomes, err = do(ctx, s, func(ctx context.Context) ([]state.Outcome, error) {
		cmds, err := run(ctx)
		if err != nil && redis.HasErrorPrefix(err, "NOSCRIPT") {
			// Nothing ran: a script that is not cached fails before it starts.
			if err := consumeScript.Load(ctx, s.c).Err(); err != nil {
				return nil, fmt.Errorf("load script: %w", err)
			}
			cmds, err = run(ctx)
		}
		outcomes := make([]state.Outcome, len(reqs))
		for i, cmd := range cmds {
			r, cerr := cmd.Int64Slice()
			if cerr == nil {
				outcomes[i], cerr = outcomeOf(r, reqs[i].Limits)
			}
			if cerr != nil && err == nil {
				err = cerr
			}
		}
		return outcomes, err
	})
	return outcomes, wrap(ctx, "consume many", err)
}

func (s *Store) consumeArgs(k state.Key, l state.Limits, fingerprint string, now time.Time) (keys []string, args []any) {
	tag := s.tag(k)
	keys = []string{
		s.convKey(tag, k),
		s.optKey(tag, k),
		s.prefix + tag + ":r:" + strconv.FormatInt(l.RateWindow.Milliseconds(), 10),
		s.prefix + tag + ":f:" + escape(fingerprint),
	}
	args = []any{
		now.UnixMilli(), s.retention, flag(l.DenyOptedOut),
		l.Session, l.SessionWindow.Milliseconds(),
		l.Rate, l.RateWindow.Milliseconds(),
		l.Flood, l.FloodWindow.Milliseconds(),
		k.Recipient, flag(fingerprint != ""),
	}
	return keys, args
}

func snapshotOf(opted, has, last, sc int64) state.Snapshot {
	snap := state.Snapshot{OptedOut: opted == 1, HasInbound: has == 1}
	if snap.HasInbound {
		snap.LastInbound = time.UnixMilli(last).UTC()
		snap.SessionCount = int(sc)
	}
	return snap
}

func outcomeOf(r []int64, l state.Limits) (state.Outcome, error) {
	if len(r) != 10 {
		return state.Outcome{}, fmt.Errorf("redisstore: consume: script returned %d values, want 10", len(r))
	}
	out := state.Outcome{
		Snapshot:     snapshotOf(r[2], r[3], r[4], r[5]),
		Allowed:      r[0] == 1,
		Exceeded:     state.Limit(r[1]),
		SessionCount: int(r[6]),
		RateCount:    int(r[7]),
		FloodCount:   int(r[9]),
	}
	if l.Rate > 0 {
		out.RateReset = time.UnixMilli(r[8]).UTC()
	}
	return out, nil
}

func (s *Store) tag(k state.Key) string {
	return "{" + escape(k.Tenant) + ":" + escape(k.Sender) + "}"
}

func (s *Store) convKey(tag string, k state.Key) string {
	return s.prefix + tag + ":c:" + escape(k.Channel) + ":" + escape(k.Recipient)
}

func (s *Store) optKey(tag string, k state.Key) string {
	return s.prefix + tag + ":o:" + escape(k.Recipient)
}

var escaper = strings.NewReplacer("%", "%25", "{", "%7B", "}", "%7D", ":", "%3A")

// escape keeps field boundaries and the hash tag unambiguous.
func escape(s string) string {
	if !strings.ContainsAny(s, "%{}:") {
		return s
	}
	return escaper.Replace(s)
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// wrap adds the operation and, when the failure means "Redis cannot answer
// now" rather than a bug, state.ErrUnavailable. When ctx is done it also
// wraps ctx.Err(): go-redis reports a deadline met on the socket as an I/O
// timeout, and callers tell a spent budget (context.DeadlineExceeded) from
// a broken store.
func wrap(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		err = fmt.Errorf("%w: %w", cerr, err)
	}
	if unavailable(err) {
		return fmt.Errorf("redisstore: %s: %w: %w", op, state.ErrUnavailable, err)
	}
	return fmt.Errorf("redisstore: %s: %w", op, err)
}

// unavailable reports whether err is a transport failure (refused, reset,
// timeout, closed client, cancelled context) or a server reply that means
// "not now": loading, read-only replica, cluster down, busy, out of memory.
func unavailable(err error) bool {
	var reply redis.Error
	if !errors.As(err, &reply) {
		return true
	}
	return redis.IsLoadingError(err) || redis.IsReadOnlyError(err) ||
		redis.IsClusterDownError(err) || redis.IsTryAgainError(err) ||
		redis.IsMasterDownError(err) || redis.IsMaxClientsError(err) ||
		redis.IsOOMError(err) || redis.IsNoReplicasError(err) ||
		redis.HasErrorPrefix(err, "BUSY")
}
