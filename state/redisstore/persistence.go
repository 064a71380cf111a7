package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Persistence is what the server says about keeping writes across a
// restart. An opt-out acknowledged by a server without AOF is lost when it
// restarts: readiness checks report Durable.
type Persistence struct {
	// AOF reports appendonly yes (on every master of a cluster).
	AOF bool
	// Fsync is appendfsync ("always", "everysec" or "no"; for a cluster,
	// the weakest of the masters), or "" when the server forbids CONFIG
	// and only INFO could be read.
	Fsync string
}

// Durable reports whether an acknowledged write survives a crash of the
// server: AOF with fsync on every write.
func (p Persistence) Durable() bool { return p.AOF && p.Fsync == "always" }

func (p Persistence) String() string {
	fsync := p.Fsync
	if fsync == "" {
		fsync = "unknown"
	}
	if !p.AOF {
		return "appendonly no"
	}
	return "appendonly yes, appendfsync " + fsync
}

// CheckPersistence reads the server's persistence settings (CONFIG GET
// appendonly and appendfsync; INFO persistence where CONFIG is forbidden,
// as managed services often do) and logs a warning through Config.Logger
// when AOF is off or fsync is known not to be "always". Call it at start: it is the
// value a readiness check reports. With a cluster client every master is
// read and the weakest setting wins.
func (s *Store) CheckPersistence(ctx context.Context) (Persistence, error) {
	p, err := do(ctx, s, s.readPersistence)
	if err != nil {
		s.log.WarnContext(ctx, "redisstore: cannot read the server's persistence settings; acknowledged opt-outs may not survive a restart", "err", err)
		return Persistence{}, wrap(ctx, "check persistence", err)
	}
	// Where CONFIG is forbidden fsync is unknown: AOF on is then the best
	// the server lets us see, and no reason to warn.
	if !p.AOF || p.Fsync != "" && p.Fsync != "always" {
		s.log.WarnContext(ctx, "redisstore: Redis does not fsync every write; acknowledged opt-outs can be lost when it restarts (want appendonly yes, appendfsync always)",
			"persistence", p.String())
	}
	return p, nil
}

func (s *Store) readPersistence(ctx context.Context) (Persistence, error) {
	cc, ok := s.c.(*redis.ClusterClient)
	if !ok {
		return readPersistence(ctx, s.c)
	}
	var (
		mu    sync.Mutex
		p     Persistence
		first = true
	)
	err := cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
		np, err := readPersistence(ctx, c)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if first {
			p, first = np, false
		} else {
			p = weakest(p, np)
		}
		return nil
	})
	return p, err
}

// readPersistence asks one server.
func readPersistence(ctx context.Context, c redis.Cmdable) (Persistence, error) {
	cfg, cerr := c.ConfigGet(ctx, "append*").Result()
	if cerr == nil {
		return Persistence{AOF: cfg["appendonly"] == "yes", Fsync: cfg["appendfsync"]}, nil
	}
	info, err := c.Info(ctx, "persistence").Result()
	if err != nil {
		return Persistence{}, errors.Join(cerr, err)
	}
	for line := range strings.Lines(info) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "aof_enabled:"); ok {
			return Persistence{AOF: v == "1"}, nil
		}
	}
	return Persistence{}, fmt.Errorf("INFO persistence has no aof_enabled (CONFIG GET: %w)", cerr)
}

// weakest combines two masters' settings: the cluster is as durable as its
// least durable master.
func weakest(a, b Persistence) Persistence {
	rank := map[string]int{"always": 3, "everysec": 2, "no": 1, "": 0}
	if rank[b.Fsync] < rank[a.Fsync] {
		a.Fsync = b.Fsync
	}
	a.AOF = a.AOF && b.AOF
	return a
}
