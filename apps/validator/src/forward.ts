/**
 * One ranking round (dojo.md §8.2): build a `RankingRequest` from the next seed row, query a sample of serving miners,
 * keep the valid replies (attributed to the queried hotkey, never the echoed one), persist request + replies with the
 * deadline job.
 */
import { randomUUID } from 'node:crypto';
import type { AxonTarget, QueryOptions } from '@dojo-ts/neuron';
import { type RankingRequest, RankingRequestDef, type Synapse } from '@dojo-ts/protocol';
import { accuracyKey, type Rng, sample } from '@dojo-ts/scoring';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SeedRow, SeedSource } from './datasets/seed-source.js';
import type { ScoreJobData } from './jobs/queues.js';
import { isMiner, isServing, type NeuronView } from './neuron-view.js';
import type { StoreKeys } from './store/keys.js';
import { saveRequest } from './store/request-store.js';
import { addAccuracyKeys, nextCounter } from './store/state-store.js';
import type { RequestEntry, StoredReply } from './store/types.js';

/** The dendrite as the validator uses it (a `Dendrite` satisfies it). */
export interface QueryClient {
  query<F extends object>(
    targets: readonly AxonTarget[],
    synapse: Synapse<F>,
    options?: QueryOptions,
  ): Promise<Array<Synapse<F>>>;
}

/** Dependencies and options of {@link sendRequest}. */
export interface ForwardDeps {
  redis: Redis;
  keys: StoreKeys;
  queue: Queue<ScoreJobData>;
  log: Logger;
  dendrite: QueryClient;
  view: () => NeuronView;
  ownHotkey: string;
  seeds: SeedSource;
  rng: Rng;
  /** `--neuron.sample_size`. */
  sampleSize: number;
  /** `--neuron.miner_stake_threshold` (TAO). */
  stakeThresholdTao: number;
  /** `--neuron.query_timeout_s` (30). */
  timeoutS: number;
  /** `--scoring.deadline_s`. */
  deadlineS: number;
  now?: () => number;
  /** Called with accuracy keys seen for the first time (schedules their accuracy job). */
  onNewAccuracyKeys?: (keys: string[]) => Promise<void>;
}

const MAX_COMPLETIONS = 64;
const MAX_TEXT = 64 * 1024;

/**
 * Validates one reply (§8.2 step 5) and attributes it to the queried hotkey.
 * @returns the stored reply, or null when it is not valid
 */
export function validateReply(
  reply: Synapse<RankingRequest>,
  hotkey: string,
  cids: readonly string[],
): StoredReply | null {
  if (reply.dendrite?.status_code !== 200) return null;
  const method = reply.scoring_method;
  if (method === 'aws_mturk') {
    if (typeof reply.mturk_hit_id !== 'string' || reply.mturk_hit_id.length === 0 || reply.mturk_hit_id.length > 256) {
      return null;
    }
    return { hotkey, scoring_method: method, model_config: null, ranks: [], mturk_hit_id: reply.mturk_hit_id };
  }
  if (method !== 'hf_model' && method !== 'llm_api') return null;
  const mc = reply.model_config;
  if (!mc || typeof mc.model_name !== 'string' || mc.model_name.length === 0 || mc.model_name.length > 256) return null;
  if (method === 'llm_api' && !mc.provider) return null;
  if (!Array.isArray(reply.ranks) || reply.ranks.length === 0) return null;
  const allowed = new Set(cids);
  const seen = new Set<string>();
  for (const r of reply.ranks) {
    if (!allowed.has(r.cid) || seen.has(r.cid) || !Number.isFinite(r.score)) return null;
    seen.add(r.cid);
  }
  return {
    hotkey,
    scoring_method: method,
    model_config: { provider: method === 'llm_api' ? (mc.provider ?? null) : null, model_name: mc.model_name },
    ranks: reply.ranks.map((r) => ({ cid: r.cid, score: r.score })),
    mturk_hit_id: null,
  };
}

/**
 * Picks the miners to query: serving, `isMiner`, not the validator itself; all when fewer than `sampleSize`.
 * @returns the chosen uids
 */
export function pickMiners(
  view: NeuronView,
  ownHotkey: string,
  sampleSize: number,
  stakeThresholdTao: number,
  rng: Rng,
): number[] {
  const candidates: number[] = [];
  for (let uid = 0; uid < view.n; uid++) {
    if (view.hotkeys[uid] === ownHotkey) continue;
    if (isServing(view, uid) && isMiner(view, uid, stakeThresholdTao)) candidates.push(uid);
  }
  return candidates.length <= sampleSize ? candidates : sample(rng, candidates, sampleSize);
}

/**
 * Runs one ranking round.
 * @param deps - connections, metagraph view, options
 * @param content - explicit prompt and completions (external route); default: the next seed row
 * @returns the saved entry, or null when no miner was queried or no reply was valid
 */
export async function sendRequest(deps: ForwardDeps, content?: SeedRow): Promise<RequestEntry | null> {
  const now = deps.now ?? Date.now;
  const row = content ?? (await deps.seeds.at(await nextCounter(deps.redis, deps.keys, 'seed_cursor')));
  const completions = row.completions
    .slice(0, MAX_COMPLETIONS)
    .map((text) => ({ cid: randomUUID(), text: text.slice(0, MAX_TEXT) }));
  const request = RankingRequestDef.create({
    epoch_timestamp: now() / 1000,
    request_id: randomUUID(),
    prompt: row.prompt.slice(0, MAX_TEXT),
    n_completions: completions.length,
    completions,
    modality: 'text',
  });
  const view = deps.view();
  const uids = pickMiners(view, deps.ownHotkey, deps.sampleSize, deps.stakeThresholdTao, deps.rng);
  if (uids.length === 0) {
    deps.log.info('no serving miners to query');
    return null;
  }
  const targets = uids.map((uid) => view.axons[uid] as AxonTarget);
  const replies = await deps.dendrite.query(targets, request, { timeoutS: deps.timeoutS, def: RankingRequestDef });
  const cids = completions.map((c) => c.cid);
  const responses: StoredReply[] = [];
  replies.forEach((reply, i) => {
    const valid = validateReply(reply, (targets[i] as AxonTarget).hotkey, cids);
    if (valid) responses.push(valid);
  });
  if (responses.length === 0) {
    deps.log.info({ requestId: request.request_id, queried: uids.length }, 'No valid responses');
    return null;
  }
  const entry: Omit<RequestEntry, 'version'> = {
    request: {
      request_id: request.request_id,
      epoch_timestamp: request.epoch_timestamp,
      prompt: request.prompt,
      n_completions: request.n_completions,
      completions,
      modality: 'text',
    },
    responses,
    queried_hotkeys: targets.map((t) => t.hotkey),
    created_at: now(),
    deadline_ms: Math.round(request.epoch_timestamp * 1000 + deps.deadlineS * 1000),
  };
  await saveRequest(deps.redis, deps.keys, deps.queue, entry, now());
  const accKeys = responses
    .map((r) => accuracyKey(r.scoring_method, r.model_config))
    .filter((k): k is string => k !== null);
  const fresh = await addAccuracyKeys(deps.redis, deps.keys, accKeys);
  if (fresh.length > 0) await deps.onNewAccuracyKeys?.(fresh);
  deps.log.info(
    { requestId: request.request_id, queried: uids.length, valid: responses.length, deadlineMs: entry.deadline_ms },
    'ranking request saved',
  );
  return { ...entry, version: 0 };
}
