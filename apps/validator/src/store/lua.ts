/**
 * Lua scripts that make the store's multi-key updates atomic. Redis runs a script without interleaving any other
 * command, and with AOF the whole script is persisted or none of it.
 */

/**
 * Attach (or replace) one miner's reply to a request that is still pending. Replies attached after creation live in
 * the request's extra hash with a version counter, so the compact entry string is never rewritten.
 * KEYS[1] = request string, KEYS[2] = extra hash. ARGV[1] = hotkey, ARGV[2] = reply JSON. Returns the new version,
 * or 0 when the request is unknown or already scored.
 */
export const ATTACH_REPLY = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], 'r:' .. ARGV[1], ARGV[2])
return redis.call('HINCRBY', KEYS[2], 'v', 1)
`;

/**
 * The scoring transaction (D18): applies one request's per-request scores to the EMA over the whole uid vector,
 * marks the request scored, appends the history record and deletes the request, all or nothing, exactly once.
 *
 * KEYS: 1 scored marker, 2 request string, 3 pending zset, 4 scores hash, 5 hotkeys hash, 6 meta hash, 7 history stream,
 *       8 request extra hash.
 * ARGV: 1 request id, 2 alpha, 3 JSON {hotkey: p}, 4 marker TTL s, 5 history JSON, 6 history max len,
 *       7 the request version the scores were computed from.
 * Returns 1 applied, 0 already applied (marker present), -1 the request changed since it was read (recompute),
 * -2 the request is gone without a marker (nothing to do).
 */
export const APPLY_SCORES = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then return -2 end
local v = redis.call('HGET', KEYS[8], 'v') or '0'
if v ~= ARGV[7] then return -1 end
local alpha = tonumber(ARGV[2])
local rewards = cjson.decode(ARGV[3])
local n = tonumber(redis.call('HGET', KEYS[6], 'n') or '0')
local byHotkey = {}
local hk = redis.call('HGETALL', KEYS[5])
for i = 1, #hk, 2 do byHotkey[hk[i + 1]] = tonumber(hk[i]) end
local r = {}
for hotkey, p in pairs(rewards) do
  local uid = byHotkey[hotkey]
  if uid ~= nil and uid < n then r[uid] = tonumber(p) end
end
local old = {}
local cur = redis.call('HGETALL', KEYS[4])
for i = 1, #cur, 2 do old[tonumber(cur[i])] = tonumber(cur[i + 1]) end
local out = {}
for uid = 0, n - 1 do
  local s = old[uid] or 0
  local p = r[uid] or 0
  out[#out + 1] = tostring(uid)
  out[#out + 1] = string.format('%.17g', alpha * p + (1 - alpha) * s)
end
if n > 0 then redis.call('HSET', KEYS[4], unpack(out)) end
redis.call('SET', KEYS[1], '1', 'EX', tonumber(ARGV[4]))
redis.call('DEL', KEYS[2], KEYS[8])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[6], '*', 'r', ARGV[5])
redis.call('HINCRBY', KEYS[6], 'scored', 1)
return 1
`;

/**
 * Drop a request that failed its last attempt (§11.1: dropped with an error log), marking it so no retry re-applies.
 * KEYS: 1 scored marker, 2 request string, 3 pending zset, 4 meta hash, 5 request extra hash.
 * ARGV: 1 request id, 2 marker TTL s.
 */
export const DROP_REQUEST = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], 'dropped', 'EX', tonumber(ARGV[2]))
redis.call('DEL', KEYS[2], KEYS[5])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HINCRBY', KEYS[4], 'dropped', 1)
return 1
`;
