package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/state"
)

// Same-subject sends (state.Subjects) live under the {fleet} hash tag, with
// the campaign bands they are keyed on:
//
//	<prefix>{fleet}:s:<band hex>:<recipient>  zset  send id → time; TTL the window
//	<prefix>{fleet}:sseq                      string  the counter that makes send ids unique

var _ state.Subjects = (*Store)(nil)

// recentSubjectScript: KEYS bands...; ARGV now, window. Returns {count,
// reopens}: the largest count of one band and when it first drops.
var recentSubjectScript = redis.NewScript(`
local now, w = tonumber(ARGV[1]), tonumber(ARGV[2])
local best, reopens = 0, 0
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - w)
  local n = redis.call('ZCARD', KEYS[i])
  if n > 0 then
    local r = tonumber(redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')[2]) + w
    if n > best then
      best, reopens = n, r
    elseif n == best and r > reopens then
      reopens = r
    end
  end
end
return {best, reopens}
`)

// recordSubjectScript: KEYS seq, bands...; ARGV now, window, max sends.
var recordSubjectScript = redis.NewScript(`
local now, w, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local id = redis.call('INCR', KEYS[1])
for i = 2, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - w)
  redis.call('ZADD', KEYS[i], now, id)
  redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -(cap + 1))
  if redis.call('PTTL', KEYS[i]) < w then
    redis.call('PEXPIRE', KEYS[i], w)
  end
end
return 1
`)

func (s *Store) subjectKeys(bands []uint64, recipient string, extra int) []string {
	keys := make([]string, extra, extra+len(bands))
	for _, b := range bands {
		keys = append(keys, s.fleetKey("s", bandName(b)+":"+escape(recipient)))
	}
	return keys
}

// RecentSubject implements state.Subjects.
func (s *Store) RecentSubject(ctx context.Context, bands []uint64, recipient string, window time.Duration, now time.Time) (state.SubjectCount, error) {
	if err := state.ValidateSubject(bands, recipient, window, now); err != nil {
		return state.SubjectCount{}, err
	}
	if len(bands) == 0 {
		return state.SubjectCount{}, nil
	}
	keys := s.subjectKeys(bands, recipient, 0)
	r, err := do(ctx, s, func(ctx context.Context) ([]int64, error) {
		return recentSubjectScript.Run(ctx, s.c, keys, now.UnixMilli(), window.Milliseconds()).Int64Slice()
	})
	if err != nil {
		return state.SubjectCount{}, wrap(ctx, "recent subject", err)
	}
	if len(r) != 2 {
		return state.SubjectCount{}, fmt.Errorf("redisstore: recent subject: script returned %d values, want 2", len(r))
	}
	out := state.SubjectCount{Count: int(r[0])}
	if out.Count > 0 {
		out.Reopens = time.UnixMilli(r[1]).UTC()
	}
	return out, nil
}

// RecordSubject implements state.Subjects.
func (s *Store) RecordSubject(ctx context.Context, bands []uint64, recipient string, window time.Duration, now time.Time) error {
	if err := state.ValidateSubject(bands, recipient, window, now); err != nil {
		return err
	}
	if len(bands) == 0 {
		return nil
	}
	keys := s.subjectKeys(bands, recipient, 1)
	keys[0] = s.prefix + "{fleet}:sseq"
	_, err := do(ctx, s, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, recordSubjectScript.Run(ctx, s.c, keys, now.UnixMilli(), window.Milliseconds(), state.MaxSubjectSends).Err()
	})
	return wrap(ctx, "record subject", err)
}
