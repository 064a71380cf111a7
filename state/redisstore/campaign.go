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
// it holds, in the fleet's slot:
//
//	<prefix>{fleet}:rep:<band hex>  string  expiry (Unix ms), signature length n, n signature values, then bands, 16 hex digits a value; TTL state.RepresentativeTTL
//
// Values are compared as fixed-width hex in Lua, whose numbers cannot hold
// 64 bits. The signature's length is in the value because signatures of
// different lengths may meet (they share the shorter's positions). The
// expiry in the value follows the caller's clock, as the memory store's
// does; the key's TTL only collects garbage.

var _ state.Campaigns = (*Store)(nil)

// resolveScript: KEYS representative keys of the message's bands; ARGV
// signature length and signature hex, the bands hex (in KEYS order), values
// to share, now, ttl (ms), most representatives. Returns the bands hex of
// each confirmed representative; else the message becomes the
// representative of its free bands and the script returns them, or the
// message's own bands when none is free.
var resolveScript = redis.NewScript(`
local sig, bands, need, now, ttl, most = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local expiry = string.format('%016x', now + ttl)
local seen, confirmed, out, free = {}, {}, {}, {}
for i = 1, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if v and tonumber(string.sub(v, 1, 16), 16) <= now then v = nil end
  if not v then
    free[#free + 1] = i
  else
    local rep = string.sub(v, 17)
    if not seen[rep] and #out < most then
      seen[rep] = true
      -- rep and sig both start with their length; compare the positions
      -- they share.
      local n = 16 * tonumber(string.sub(rep, 1, 16), 16)
      local same = 0
      for j = 17, 16 + math.min(n, #sig - 16), 16 do
        if string.sub(rep, j, j + 15) == string.sub(sig, j, j + 15) then same = same + 1 end
      end
      if same >= need then
        confirmed[rep] = true
        out[#out + 1] = string.sub(rep, 17 + n)
      end
    end
    -- A confirmed representative is kept under the bands of the message
    -- that hold it (state.Campaigns: each band lapses on its own).
    if confirmed[rep] then redis.call('SET', KEYS[i], expiry .. rep, 'PX', ttl) end
  end
end
if #out > 0 then return out end
if #free == 0 then return {bands} end
local held = {}
for _, i in ipairs(free) do held[#held + 1] = string.sub(bands, 16 * i - 15, 16 * i) end
held = table.concat(held)
for _, i in ipairs(free) do
  redis.call('SET', KEYS[i], expiry .. sig .. held, 'PX', ttl)
end
return {held}
`)

// Resolve implements state.Campaigns in one script.
func (s *Store) Resolve(ctx context.Context, bands, sig []uint64, minSame int, now time.Time) ([]uint64, error) {
	if err := state.ValidateResolve(bands, sig, minSame, now); err != nil {
		return nil, err
	}
	if len(bands) == 0 {
		return nil, nil
	}
	keys := make([]string, len(bands))
	for i, b := range bands {
		keys[i] = s.fleetKey("rep", bandName(b))
	}
	sigHex := hexValues([]uint64{uint64(len(sig))}) + hexValues(sig)
	r, err := do(ctx, s, func(ctx context.Context) ([]string, error) {
		return resolveScript.Run(ctx, s.c, keys, sigHex, hexValues(bands), minSame, now.UnixMilli(),
			state.RepresentativeTTL.Milliseconds(), state.MaxRepresentatives).StringSlice()
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
