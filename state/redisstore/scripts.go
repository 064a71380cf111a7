package redisstore

import "github.com/redis/go-redis/v9"

// The scripts run atomically on the server, which is what lets several
// gateway nodes share limits: no two can both read "59" and write "60".
// Every key a script touches carries the same {tenant:sender} hash tag, so
// the scripts also run on Redis Cluster. Times are Unix milliseconds passed
// by the caller; the server clock is used only for expiry (garbage
// collection), never for a decision.

// inboundScript: KEYS conv, opt; ARGV at, retention, optOut, optIn.
var inboundScript = redis.NewScript(`
local at = tonumber(ARGV[1])
local retention = tonumber(ARGV[2])
local last = redis.call('HGET', KEYS[1], 'in')
if (not last) or tonumber(last) < at then
  redis.call('HSET', KEYS[1], 'in', ARGV[1], 'sc', 0)
  redis.call('PEXPIRE', KEYS[1], retention)
end
if ARGV[3] == '1' or ARGV[4] == '1' then
  local changed = redis.call('HGET', KEYS[2], 'at')
  if (not changed) or tonumber(changed) <= at then
    if ARGV[3] == '1' then
      redis.call('HSET', KEYS[2], 'out', 1, 'at', ARGV[1])
      redis.call('PERSIST', KEYS[2])
    else
      redis.call('HSET', KEYS[2], 'out', 0, 'at', ARGV[1])
      redis.call('PEXPIRE', KEYS[2], retention)
    end
  end
end
return 1
`)

// snapshotScript: KEYS conv, opt; ARGV now, retention.
// Returns {optedOut, hasInbound, lastInbound, sessionCount}.
var snapshotScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local opted = 0
if redis.call('HGET', KEYS[2], 'out') == '1' then opted = 1 end
local c = redis.call('HMGET', KEYS[1], 'in', 'sc')
if c[1] and now < tonumber(c[1]) + tonumber(ARGV[2]) then
  return {opted, 1, tonumber(c[1]), tonumber(c[2] or '0')}
end
return {opted, 0, 0, 0}
`)

// consumeScript: KEYS conv, opt, rate, flood; ARGV now, retention,
// denyOptedOut, session, sessionWindow, rate, rateWindow, flood, floodWindow,
// recipient, hasFingerprint. Returns {allowed, exceeded, optedOut, hasInbound,
// lastInbound, sessionBefore, sessionAfter, rateCount, rateReset, floodCount}.
// The exceeded bits match state.LimitSession, LimitRate and LimitFlood.
var consumeScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local sLimit, sWin = tonumber(ARGV[4]), tonumber(ARGV[5])
local rLimit, rWin = tonumber(ARGV[6]), tonumber(ARGV[7])
local fLimit, fWin = tonumber(ARGV[8]), tonumber(ARGV[9])
local rcpt = ARGV[10]
if ARGV[11] ~= '1' then fLimit = 0 end

local opted = 0
if redis.call('HGET', KEYS[2], 'out') == '1' then opted = 1 end
local has, last, sc = 0, 0, 0
local c = redis.call('HMGET', KEYS[1], 'in', 'sc')
if c[1] and now < tonumber(c[1]) + tonumber(ARGV[2]) then
  has, last, sc = 1, tonumber(c[1]), tonumber(c[2] or '0')
end

local exceeded = 0
local inSession = sLimit > 0 and has == 1 and now < last + sWin
local scAfter = 0
if inSession then
  scAfter = sc
  if sc + 1 > sLimit then exceeded = exceeded + 1 end
end

local rIdx, rCount, rReset = 0, 0, 0
if rLimit > 0 then
  rIdx = math.floor(now / rWin)
  local r = redis.call('HMGET', KEYS[3], 'i', 'n')
  if r[1] and tonumber(r[1]) == rIdx then rCount = tonumber(r[2]) end
  rReset = (rIdx + 1) * rWin
  if rCount + 1 > rLimit then exceeded = exceeded + 2 end
end

local fCount, member = 0, false
if fLimit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - fWin)
  fCount = redis.call('ZCARD', KEYS[4])
  member = redis.call('ZSCORE', KEYS[4], rcpt) ~= false
  if (not member) and fCount + 1 > fLimit then exceeded = exceeded + 4 end
end

local allowed = 0
if exceeded == 0 and not (ARGV[3] == '1' and opted == 1) then
  allowed = 1
  if inSession then
    scAfter = sc + 1
    redis.call('HINCRBY', KEYS[1], 'sc', 1)
  end
  if rLimit > 0 then
    rCount = rCount + 1
    redis.call('HSET', KEYS[3], 'i', rIdx, 'n', rCount)
    redis.call('PEXPIRE', KEYS[3], rReset - now + 1000)
  end
  if fLimit > 0 then
    redis.call('ZADD', KEYS[4], now, rcpt)
    redis.call('PEXPIRE', KEYS[4], fWin)
    if not member then fCount = fCount + 1 end
  end
end
return {allowed, exceeded, opted, has, last, sc, scAfter, rCount, rReset, fCount}
`)
