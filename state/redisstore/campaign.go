package redisstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/state"
)

// A campaign's representative (state.Campaigns) is stored under each band
// it holds, and its recipients in one sorted set named by its bands, all in
// the fleet's slot:
//
//	<prefix>{fleet}:rep:<band hex>  string  expiry (Unix ms), signature length n, n signature values, then bands, 16 hex digits a value; TTL state.RepresentativeTTL
//	<prefix>{fleet}:c:<bands hex>   zset    campaign: recipient → last send; TTL the window
//
// Values are compared as fixed-width hex in Lua, whose numbers cannot hold
// 64 bits. The signature's length is in the value because signatures of
// different lengths may meet (they share the shorter's positions). The
// expiry in the value follows the caller's clock, as the memory store's
// does, rounded up to a whole second so that a campaign's messages within
// one second write it once; the key's TTL only collects garbage.
//
// A campaign's set is named by its representative's bands rather than by
// a key the caller gives, so CountCampaign's script reads a key it found
// (in the {fleet} slot, as every key it is given).

var _ state.Campaigns = (*Store)(nil)

// resolveLua is the common head of the two scripts: KEYS[1..nb]
// representative keys of the message's bands; ARGV signature length and
// signature hex, the bands hex (in KEYS order), values to share, now, ttl
// (ms), most representatives, nb. It leaves in out the bands hex of each
// confirmed representative; else, when a band is free, the message becomes
// the representative of its free bands and out holds them; else out is
// empty and holders has the bands hex of the representatives holding the
// message's bands (at most 2×most).
const resolveLua = `
local sig, bands, need, now, ttl, most, nb = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local until_ = math.ceil((now + ttl) / 1000) * 1000
local expiry = string.format('%016x', until_)
local seen, confirmed, out, free, freeBand, holders = {}, {}, {}, {}, {}, {}
for i = 1, nb do
  local v = redis.call('GET', KEYS[i])
  local exp = v and tonumber(string.sub(v, 1, 16), 16)
  if v and exp <= now then v = nil end
  if not v then
    local b = string.sub(bands, 16 * i - 15, 16 * i)
    if not freeBand[b] then
      freeBand[b] = true
      free[#free + 1] = i
    end
  else
    local rep = string.sub(v, 17)
    -- rep and sig both start with their length; compare the positions
    -- they share.
    local n = 16 * tonumber(string.sub(rep, 1, 16), 16)
    if not seen[rep] then
      seen[rep] = true
      if #holders < 2 * most then holders[#holders + 1] = string.sub(rep, 17 + n) end
      if #out < most then
        local same = 0
        for j = 17, 16 + math.min(n, #sig - 16), 16 do
          if string.sub(rep, j, j + 15) == string.sub(sig, j, j + 15) then same = same + 1 end
        end
        if same >= need then
          confirmed[rep] = true
          out[#out + 1] = string.sub(rep, 17 + n)
        end
      end
    end
    -- A confirmed representative is kept under the bands of the message
    -- that hold it (state.Campaigns: each band lapses on its own).
    if confirmed[rep] and exp < until_ then redis.call('SET', KEYS[i], expiry .. rep, 'PX', ttl + 1000) end
  end
end
if #out == 0 and #free > 0 then
  local held = {}
  for _, i in ipairs(free) do held[#held + 1] = string.sub(bands, 16 * i - 15, 16 * i) end
  held = table.concat(held)
  for _, i in ipairs(free) do
    redis.call('SET', KEYS[i], expiry .. sig .. held, 'PX', ttl + 1000)
  end
  out = {held}
end
`

// resolveScript: resolveLua's keys and arguments. Returns out, or the
// message's own bands when none is free.
var resolveScript = redis.NewScript(resolveLua + `
if #out > 0 then return out end
return {bands}
`)

// countScript: resolveLua's keys and arguments, then the union scratch
// key; ARGV then window (ms), limit, recipient, the prefix of campaign
// keys. Counts the recipient with the campaigns of out, or with holders
// when out is empty. Returns {allowed, count}.
var countScript = redis.NewScript(resolveLua + `
if #out == 0 then out = holders end
local w, limit, rcpt, cprefix = tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10], ARGV[11]
local sets = {}
for i, b in ipairs(out) do sets[i] = cprefix .. b end
local member = false
for _, k in ipairs(sets) do
  redis.call('ZREMRANGEBYSCORE', k, '-inf', now - w)
  if redis.call('ZSCORE', k, rcpt) then member = true end
end
local count
if #sets == 1 then
  count = redis.call('ZCARD', sets[1])
else
  redis.call('ZUNIONSTORE', KEYS[nb + 1], #sets, unpack(sets))
  count = redis.call('ZCARD', KEYS[nb + 1])
  redis.call('DEL', KEYS[nb + 1])
end
count = math.min(count, limit)
if (not member) and count + 1 > limit then return {0, count} end
for _, k in ipairs(sets) do
  redis.call('ZADD', k, now, rcpt)
  redis.call('PEXPIRE', k, w)
end
if not member then count = count + 1 end
return {1, count}
`)

// resolveArgs are the keys and arguments of resolveLua.
func (s *Store) resolveArgs(bands, sig []uint64, minSame int, now time.Time, extra int) ([]string, []any) {
	keys := make([]string, len(bands), len(bands)+extra)
	for i, b := range bands {
		keys[i] = s.fleetKey("rep", bandName(b))
	}
	sigHex := hexValues([]uint64{uint64(len(sig))}) + hexValues(sig)
	return keys, []any{sigHex, hexValues(bands), minSame, now.UnixMilli(),
		state.RepresentativeTTL.Milliseconds(), state.MaxRepresentatives, len(bands)}
}

// Resolve implements state.Campaigns in one script.
func (s *Store) Resolve(ctx context.Context, bands, sig []uint64, minSame int, now time.Time) ([]uint64, error) {
	if err := state.ValidateResolve(bands, sig, minSame, now); err != nil {
		return nil, err
	}
	if len(bands) == 0 {
		return nil, nil
	}
	keys, args := s.resolveArgs(bands, sig, minSame, now, 0)
	r, err := do(ctx, s, func(ctx context.Context) ([]string, error) {
		return resolveScript.Run(ctx, s.c, keys, args...).StringSlice()
	})
	if err != nil {
		return nil, wrap(ctx, "resolve campaign", err)
	}
	var out []uint64
	for _, h := range r {
		if len(h)%16 != 0 {
			return nil, fmt.Errorf("redisstore: resolve campaign: bands %q are not 16-digit hex values", h)
		}
		for i := 0; i < len(h); i += 16 {
			b, err := strconv.ParseUint(h[i:i+16], 16, 64)
			if err != nil {
				return nil, fmt.Errorf("redisstore: resolve campaign: %w", err)
			}
			if !slices.Contains(out, b) {
				out = append(out, b)
			}
		}
	}
	return out, nil
}

// CountCampaign implements state.Campaigns in one script: one round trip
// where resolving, then counting under bands, took two.
func (s *Store) CountCampaign(ctx context.Context, bands, sig []uint64, minSame int, recipient string, limit int, window time.Duration, now time.Time) (state.CampaignOutcome, error) {
	if err := state.ValidateResolve(bands, sig, minSame, now); err != nil {
		return state.CampaignOutcome{}, err
	}
	if err := state.ValidateFleet(nil, nil, recipient, now); err != nil {
		return state.CampaignOutcome{}, err
	}
	if err := state.ValidateCampaign(limit, window); err != nil {
		return state.CampaignOutcome{}, err
	}
	if limit == 0 || len(bands) == 0 {
		return state.CampaignOutcome{Allowed: true}, nil
	}
	keys, args := s.resolveArgs(bands, sig, minSame, now, 1)
	keys = append(keys, s.prefix+"{fleet}:u")
	args = append(args, window.Milliseconds(), limit, recipient, s.fleetKey("c", ""))
	r, err := do(ctx, s, func(ctx context.Context) ([]int64, error) {
		return countScript.Run(ctx, s.c, keys, args...).Int64Slice()
	})
	if err != nil {
		return state.CampaignOutcome{}, wrap(ctx, "count campaign", err)
	}
	if len(r) != 2 {
		return state.CampaignOutcome{}, fmt.Errorf("redisstore: count campaign: script returned %d values, want 2", len(r))
	}
	return state.CampaignOutcome{Allowed: r[0] == 1, Count: int(r[1])}, nil
}

// hexValues writes each value as 16 hex digits.
func hexValues(v []uint64) string {
	var b strings.Builder
	b.Grow(16 * len(v))
	for _, x := range v {
		s := strconv.FormatUint(x, 16)
		b.WriteString("0000000000000000"[len(s):])
		b.WriteString(s)
	}
	return b.String()
}
