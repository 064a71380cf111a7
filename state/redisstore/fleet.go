package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/state"
)

// The fleet's state (state.Fleet) spans senders and tenants, so its keys
// share one {fleet} hash tag, one cluster slot, and each call is one script:
//
//	<prefix>{fleet}:since           string  when the first domain was recorded
//	<prefix>{fleet}:d:<domain>      string  first sighting; TTL state.FirstSeenTTL, refreshed when seen
//	<prefix>{fleet}:m:<band hex>    string  reported mark; TTL state.ReportTTL
//	<prefix>{fleet}:u               zset    CountCampaign's scratch union, deleted in the script
//
// and the campaigns' keys (campaign.go).
// The price of one slot is that the fleet's keys sit on one cluster node.

var _ state.Fleet = (*Store)(nil)

func (s *Store) fleetKey(kind, name string) string {
	return s.prefix + "{fleet}:" + kind + ":" + name
}

func bandName(b uint64) string { return strconv.FormatUint(b, 16) }

// observeScript: KEYS since, domains..., marks...; ARGV now, ttl, number of
// domains. Returns {since, first..., reported}.
var observeScript = redis.NewScript(`
local n = tonumber(ARGV[3])
redis.call('SET', KEYS[1], ARGV[1], 'NX')
local out = {tonumber(redis.call('GET', KEYS[1]))}
for i = 2, n + 1 do
  local v = redis.call('GET', KEYS[i])
  if v then
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
  else
    redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
    v = ARGV[1]
  end
  out[#out + 1] = tonumber(v)
end
local reported = 0
for i = n + 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    reported = 1
    break
  end
end
out[#out + 1] = reported
return out
`)

// markScript: KEYS marks...; ARGV set (1 or 0), ttl.
var markScript = redis.NewScript(`
for i = 1, #KEYS do
  if ARGV[1] == '1' then
    redis.call('SET', KEYS[i], 1, 'PX', ARGV[2])
  else
    redis.call('DEL', KEYS[i])
  end
end
return 1
`)

// Observe implements state.Fleet.
func (s *Store) Observe(ctx context.Context, domains []string, bands []uint64, now time.Time, firstSeen []time.Time) (state.Observation, error) {
	if err := state.ValidateFleet(domains, bands, "", now); err != nil {
		return state.Observation{}, err
	}
	if len(firstSeen) != len(domains) {
		return state.Observation{}, fmt.Errorf("%w: firstSeen and domains differ in length", state.ErrInvalid)
	}
	keys := make([]string, 0, 1+len(domains)+len(bands))
	keys = append(keys, s.prefix+"{fleet}:since")
	for _, d := range domains {
		keys = append(keys, s.fleetKey("d", escape(d)))
	}
	for _, b := range bands {
		keys = append(keys, s.fleetKey("m", bandName(b)))
	}
	r, err := do(ctx, s, func(ctx context.Context) ([]int64, error) {
		return observeScript.Run(ctx, s.c, keys, now.UnixMilli(), state.FirstSeenTTL.Milliseconds(), len(domains)).Int64Slice()
	})
	if err != nil {
		return state.Observation{}, wrap(ctx, "observe", err)
	}
	if len(r) != len(domains)+2 {
		return state.Observation{}, fmt.Errorf("redisstore: observe: script returned %d values, want %d", len(r), len(domains)+2)
	}
	for i := range domains {
		firstSeen[i] = time.UnixMilli(r[1+i]).UTC()
	}
	return state.Observation{Since: time.UnixMilli(r[0]).UTC(), Reported: r[len(r)-1] == 1}, nil
}

// MarkReported implements state.Fleet.
func (s *Store) MarkReported(ctx context.Context, bands []uint64, reported bool, now time.Time) error {
	if err := state.ValidateFleet(nil, bands, "", now); err != nil {
		return err
	}
	if len(bands) == 0 {
		return nil
	}
	keys := make([]string, len(bands))
	for i, b := range bands {
		keys[i] = s.fleetKey("m", bandName(b))
	}
	_, err := do(ctx, s, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, markScript.Run(ctx, s.c, keys, flag(reported), state.ReportTTL.Milliseconds()).Err()
	})
	return wrap(ctx, "mark reported", err)
}
