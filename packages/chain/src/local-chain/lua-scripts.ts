/**
 * LocalChain state transitions as Redis Lua scripts (spec chain.md §7.2, §7.4, §10.1, §13). ARGV[1] is always the
 * namespace (key prefix). Results are JSON strings: `{ok, block, events}` or `{ok:false, kind:'pool', code}` /
 * `{ok:false, kind:'dispatch', name}`; admin scripts return `{err}` on misuse.
 */
import { LuaScript } from './lua-script.js';

const COMMON = `
local ns = ARGV[1]
local function k(s) return ns .. s end
local function sk(netuid, s) return ns .. 'subnet:' .. netuid .. ':' .. s end
local function num(x, d) local v = tonumber(x) if v == nil then return d end return v end
local function hyper(netuid)
  local flat = redis.call('HGETALL', sk(netuid, 'hyper'))
  if #flat == 0 then return nil end
  local h = {}
  for i = 1, #flat, 2 do h[flat[i]] = flat[i + 1] end
  return h
end
local function curBlock() return num(redis.call('GET', k('block')), 0) end
local function neuronOf(netuid, hotkey)
  local uid = redis.call('HGET', sk(netuid, 'uids'), hotkey)
  if not uid then return nil end
  return cjson.decode(redis.call('HGET', sk(netuid, 'neurons'), uid))
end
local function putNeuron(netuid, n) redis.call('HSET', sk(netuid, 'neurons'), tostring(n.uid), cjson.encode(n)) end
local function event(b, method, data)
  local e = {block = b, section = 'subtensorModule', method = method, data = data}
  redis.call('LPUSH', k('events'), cjson.encode(e))
  redis.call('LTRIM', k('events'), 0, 999)
  return e
end
local function pool(code) return cjson.encode({ok = false, kind = 'pool', code = code}) end
local function dispatch(name) return cjson.encode({ok = false, kind = 'dispatch', name = name}) end
local function stakeThreshold() return num(redis.call('HGET', k('config'), 'stakeThresholdRao'), 0) end
local function epochOf(b, netuid, tempo) return math.floor((b + netuid + 1) / (tempo + 1)) end

-- internal_set_weights checks 1..13 (section 7.2) and effect; 'reveal' skips the rate limit like the chain's reveal path.
local function applyWeights(netuid, me, hotkey, h, dests, vals, versionKey, reveal, b)
  if tonumber(netuid) == 0 then return dispatch('CanNotSetRootNetworkWeights') end
  if #dests ~= #vals then return dispatch('WeightVecNotEqualSize') end
  local n = redis.call('HLEN', sk(netuid, 'neurons'))
  if #dests > n then return dispatch('UidsLengthExceedUidsInSubNet') end
  if not me then return dispatch('HotKeyNotRegisteredInSubNet') end
  local owner = (h.ownerHotkey ~= nil and h.ownerHotkey == hotkey)
  if num(me.stakeRao, 0) < stakeThreshold() and not owner then return dispatch('NotEnoughStakeToSetWeights') end
  local vk = num(h.weightsVersionKey, 0)
  if vk ~= 0 and versionKey < vk then return dispatch('IncorrectWeightVersionKey') end
  -- check 8 (SettingWeightsTooFast) never dispatches here: the pool rejects it first with code 6, as on finney.
  local selfWeight = (#dests == 1 and dests[1] == me.uid)
  if (not me.validatorPermit) and (not selfWeight) and (not owner) then return dispatch('NeuronNoValidatorPermit') end
  local seen = {}
  for _, u in ipairs(dests) do
    if seen[u] then return dispatch('DuplicateUids') end
    seen[u] = true
  end
  for _, u in ipairs(dests) do if u >= n then return dispatch('UidVecContainInvalidOne') end end
  if (not selfWeight) and #dests < math.min(num(h.minAllowedWeights, 1), n) then return dispatch('WeightVecLengthIsLow') end
  local mx = 0
  for _, v in ipairs(vals) do if v > mx then mx = v end end
  local up = {}
  for i, v in ipairs(vals) do
    if mx == 0 then up[i] = v
    elseif mx > 32768 then up[i] = math.floor(v * (65535 / mx))
    else up[i] = math.floor(v * 65535 / mx + 0.5) end
  end
  local limit = num(h.maxWeightsLimit, 65535)
  if (not selfWeight) and limit ~= 65535 then
    for _, v in ipairs(up) do if v > limit then return dispatch('MaxWeightExceeded') end end
  end
  local row = {}
  for i, u in ipairs(dests) do row[i] = {u, up[i]} end
  redis.call('HSET', sk(netuid, 'weights'), tostring(me.uid), cjson.encode(row))
  me.lastUpdate = b
  putNeuron(netuid, me)
  local method = 'WeightsSet'
  if reveal then method = 'TimelockedWeightsRevealed' end
  local e = event(b, method, {tonumber(netuid), me.uid})
  return cjson.encode({ok = true, block = b, events = {e}})
end
`;

/** set_weights: ARGV ns, netuid, hotkey, destsJson, valsJson, versionKey. Pool codes 1 and 6 first, then §7.2. */
export const SET_WEIGHTS = new LuaScript(`${COMMON}
local netuid, hotkey = ARGV[2], ARGV[3]
local dests, vals, versionKey = cjson.decode(ARGV[4]), cjson.decode(ARGV[5]), tonumber(ARGV[6])
local h = hyper(netuid)
if not h then return dispatch('MechanismDoesNotExist') end
local b = curBlock()
local me = neuronOf(netuid, hotkey)
local stake = 0
if me then stake = num(me.stakeRao, 0) end
if stake < stakeThreshold() then return pool(1) end
local cr = h.commitRevealEnabled == '1'
if (not cr) and me and me.lastUpdate ~= 0 and b - me.lastUpdate < num(h.weightsRateLimit, 100) then return pool(6) end
if cr then return dispatch('CommitRevealEnabled') end
return applyWeights(netuid, me, hotkey, h, dests, vals, versionKey, false, b)
`);

/** commit_timelocked_weights: ARGV ns, netuid, hotkey, commitHex, revealRound, version, lastStoredRound (§10.1). */
export const COMMIT_WEIGHTS = new LuaScript(`${COMMON}
local netuid, hotkey, commit = ARGV[2], ARGV[3], ARGV[4]
local revealRound, version, lastStored = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local b = curBlock()
local me = neuronOf(netuid, hotkey)
local stake = 0
if me then stake = num(me.stakeRao, 0) end
if stake < stakeThreshold() then return pool(1) end
if revealRound < lastStored then return pool(15) end
local h = hyper(netuid)
if not h then return dispatch('MechanismDoesNotExist') end
if h.commitRevealEnabled ~= '1' then return dispatch('CommitRevealDisabled') end
if version ~= 4 then return dispatch('IncorrectCommitRevealVersion') end
if not me then return dispatch('HotKeyNotRegisteredInSubNet') end
if me.lastUpdate ~= 0 and b - me.lastUpdate < num(h.weightsRateLimit, 100) then return dispatch('CommittingWeightsTooFast') end
local tempo = num(h.tempo, 10)
local epoch = epochOf(b, tonumber(netuid), tempo)
local mine = 0
local flat = redis.call('HGETALL', sk(netuid, 'commits'))
for i = 2, #flat, 2 do
  local c = cjson.decode(flat[i])
  if c.hotkey == hotkey and c.commitEpoch == epoch then mine = mine + 1 end
end
if mine >= 10 then return dispatch('TooManyUnrevealedCommits') end
local seq = redis.call('HINCRBY', k('config'), 'commitSeq', 1)
redis.call('HSET', sk(netuid, 'commits'), epoch .. ':' .. seq, cjson.encode({
  hotkey = hotkey, commitBlock = b, commit = commit, revealRound = revealRound, commitEpoch = epoch,
  revealEpoch = epoch + num(h.revealPeriodEpochs, 1)}))
me.lastUpdate = b
putNeuron(netuid, me)
local e = event(b, 'TimelockedWeightsCommitted', {hotkey, tonumber(netuid), revealRound})
return cjson.encode({ok = true, block = b, events = {e}})
`);

/**
 * Reveal of one decrypted commit: ARGV ns, netuid, commitField, hotkey, destsJson, valsJson, versionKey.
 * Removes the commit and applies §7.2 in one step, so a reveal happens at most once even with a crash or a race.
 */
export const REVEAL_COMMIT = new LuaScript(`${COMMON}
local netuid, field, hotkey = ARGV[2], ARGV[3], ARGV[4]
if redis.call('HDEL', sk(netuid, 'commits'), field) == 0 then return cjson.encode({ok = false, kind = 'gone'}) end
local h = hyper(netuid)
if not h then return dispatch('MechanismDoesNotExist') end
local b = curBlock()
return applyWeights(netuid, neuronOf(netuid, hotkey), hotkey, h, cjson.decode(ARGV[5]), cjson.decode(ARGV[6]),
  tonumber(ARGV[7]), true, b)
`);

/** serve_axon: ARGV ns, netuid, hotkey, version, ip, ipType, ipValid(0|1), port, protocol (§7.4 pool codes). */
export const SERVE_AXON = new LuaScript(`${COMMON}
local netuid, hotkey, version, ip = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local ipType, ipValid, port, protocol = tonumber(ARGV[6]), ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9])
local h = hyper(netuid)
if not h then return dispatch('MechanismDoesNotExist') end
if not redis.call('HGET', sk(netuid, 'uids'), hotkey) then return pool(10) end
if ipType ~= 4 and ipType ~= 6 then return pool(255) end
if ipValid ~= '1' then return pool(11) end
local b = curBlock()
local prevJson = redis.call('HGET', sk(netuid, 'axons'), hotkey)
if prevJson then
  local p = cjson.decode(prevJson)
  if p.ip == ip and p.port == port and p.version == version and p.ipType == ipType and p.protocol == protocol then
    return cjson.encode({ok = true, skipped = 'unchanged', block = b})
  end
  if p.block ~= 0 and b - p.block < num(h.servingRateLimit, 50) then return pool(12) end
end
if port == 0 then return pool(13) end
redis.call('HSET', sk(netuid, 'axons'), hotkey, cjson.encode({block = b, version = version, ip = ip, port = port,
  ipType = ipType, protocol = protocol, placeholder1 = 0, placeholder2 = 0}))
local e = event(b, 'AxonServed', {tonumber(netuid), hotkey})
return cjson.encode({ok = true, block = b, events = {e}})
`);

/** Admin: create a subnet if absent. ARGV ns, netuid, hyperJson. Returns 1 when created, 0 when it existed. */
export const CREATE_SUBNET = new LuaScript(`${COMMON}
local netuid = ARGV[2]
if redis.call('EXISTS', sk(netuid, 'hyper')) == 1 then return 0 end
local h = cjson.decode(ARGV[3])
for name, v in pairs(h) do redis.call('HSET', sk(netuid, 'hyper'), name, tostring(v)) end
redis.call('SADD', k('subnets'), netuid)
event(curBlock(), 'NetworkAdded', {tonumber(netuid)})
return 1
`);

/**
 * Admin: register a hotkey (idempotent). ARGV ns, netuid, hotkey, coldkey, stakeRao, permit ('1' | '0' | '' = by stake).
 * Returns {uid, created} or {err}.
 */
export const REGISTER_NEURON = new LuaScript(`${COMMON}
local netuid, hotkey, coldkey, stakeRao, permit = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local h = hyper(netuid)
if not h then return cjson.encode({err = 'SubnetNotFound'}) end
local existing = redis.call('HGET', sk(netuid, 'uids'), hotkey)
if existing then return cjson.encode({uid = tonumber(existing), created = false}) end
local n = redis.call('HLEN', sk(netuid, 'neurons'))
if n >= num(h.maxAllowedUids, 256) then return cjson.encode({err = 'SubnetFull'}) end
local b = curBlock()
putNeuron(netuid, {uid = n, hotkey = hotkey, coldkey = coldkey, stakeRao = stakeRao, validatorPermit = (permit == '1'),
  permitPinned = (permit ~= ''), lastUpdate = b, registeredAt = b, active = true, incentive = 0, consensus = 0,
  dividends = 0, emissionRao = '0'})
redis.call('HSET', sk(netuid, 'uids'), hotkey, n)
event(b, 'NeuronRegistered', {tonumber(netuid), n, hotkey})
return cjson.encode({uid = n, created = true})
`);

/** Admin: update a neuron field. ARGV ns, netuid, hotkey, field ('stakeRao' | 'permit'), value. */
export const UPDATE_NEURON = new LuaScript(`${COMMON}
local netuid, hotkey, field, value = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local me = neuronOf(netuid, hotkey)
if not me then return cjson.encode({err = 'NotRegistered'}) end
if field == 'stakeRao' then me.stakeRao = value
elseif field == 'permit' then
  me.permitPinned = (value ~= '')
  if value ~= '' then me.validatorPermit = (value == '1') end
else return cjson.encode({err = 'UnknownField'}) end
putNeuron(netuid, me)
return cjson.encode({uid = me.uid})
`);

/**
 * One block (§13.3): checks/renews the producer lease (unless forced), increments the block, runs due epochs (§13.5),
 * publishes the block. ARGV ns, producerId, leaseMs, force ('1' = test mode). Returns the block, or -1 when another
 * process holds the lease.
 */
export const TICK = new LuaScript(`${COMMON}
local producer, leaseMs, force = ARGV[2], ARGV[3], ARGV[4]
if force ~= '1' then
  local cur = redis.call('GET', k('producer'))
  if not cur then redis.call('SET', k('producer'), producer, 'PX', leaseMs)
  elseif cur ~= producer then return -1
  else redis.call('PEXPIRE', k('producer'), leaseMs) end
end
local b = redis.call('INCR', k('block'))
for _, netuid in ipairs(redis.call('SMEMBERS', k('subnets'))) do
  local h = hyper(netuid)
  local tempo = num(h.tempo, 10)
  local nid = tonumber(netuid)
  if tempo > 0 and (b + nid + 1) % (tempo + 1) == tempo then
    local n = redis.call('HLEN', sk(netuid, 'neurons'))
    local neurons = {}
    local cand = {}
    for uid = 0, n - 1 do
      local x = cjson.decode(redis.call('HGET', sk(netuid, 'neurons'), tostring(uid)))
      neurons[uid] = x
      if not x.permitPinned then table.insert(cand, x) end
    end
    table.sort(cand, function(a, c)
      local sa, sc = num(a.stakeRao, 0), num(c.stakeRao, 0)
      if sa ~= sc then return sa > sc end
      return a.uid < c.uid
    end)
    local maxVal = num(h.maxValidators, 64)
    for i, x in ipairs(cand) do x.validatorPermit = (i <= maxVal and num(x.stakeRao, 0) > 0) end
    local inc, valS, totalS = {}, {}, 0
    for uid = 0, n - 1 do inc[uid] = 0 end
    for uid = 0, n - 1 do
      local x = neurons[uid]
      local s = num(x.stakeRao, 0)
      local rowJson = redis.call('HGET', sk(netuid, 'weights'), tostring(uid))
      if x.validatorPermit and s > 0 and rowJson then
        local row, sum = cjson.decode(rowJson), 0
        for _, p in ipairs(row) do if p[1] < n then sum = sum + p[2] end end
        if sum > 0 then
          valS[uid] = s
          totalS = totalS + s
          for _, p in ipairs(row) do if p[1] < n then inc[p[1]] = inc[p[1]] + s * p[2] / sum end end
        end
      end
    end
    local incSum = 0
    for uid = 0, n - 1 do incSum = incSum + inc[uid] end
    local total = (tempo + 1) * num(h.emissionPerBlockRao, 1000000000)
    local cutoff = num(h.activityCutoff, 5000)
    for uid = 0, n - 1 do
      local x = neurons[uid]
      x.incentive = 0
      if incSum > 0 then x.incentive = inc[uid] / incSum end
      x.consensus = x.incentive
      x.dividends = 0
      if totalS > 0 and valS[uid] then x.dividends = valS[uid] / totalS end
      x.emissionRao = string.format('%.0f', math.floor(total * 0.5 * x.incentive + total * 0.5 * x.dividends))
      x.active = (b - x.lastUpdate) <= cutoff
      putNeuron(netuid, x)
    end
    redis.call('HSET', sk(netuid, 'state'), 'lastEpochBlock', b)
    event(b, 'EpochRun', {nid})
  end
end
redis.call('PUBLISH', k('blocks'), tostring(b))
return b
`);

/** Drops a commit that cannot be revealed (undecryptable, wrong hotkey, or past its reveal epoch). ARGV ns, netuid, field. */
export const DROP_COMMIT = new LuaScript(`${COMMON}
return redis.call('HDEL', sk(ARGV[2], 'commits'), ARGV[3])
`);
