import { codePointLength, type Rng, sentTokenize } from '@dojo-ts/scoring';
import type { Obj } from '../config.js';
import type { SimMiner } from '../pool.js';
import { normal, shuffled } from '../random.js';

/** A simulated chunking reply: the chunks (null = no answer), the latency and the `time_soft_max` it sends back. */
export interface ChunkReply {
  chunks: string[] | null;
  latencyS: number;
  /** The response's `time_soft_max` field (a time_spoof miner rewrites it; upstream read it, E2). */
  timeSoftMax: number;
}

const nbr = (v: unknown, d: number) => (typeof v === 'number' ? v : d);

const packCache = new WeakMap<readonly string[], Map<number, string[]>>();

/**
 * Greedy sentence packing (chunking.md §12.1): start a chunk with the next sentence, append `" " + next` while the
 * result stays within `limit` code points. Memoised per sentence array and limit (honest miners of a round share it).
 */
export function greedyPack(sentences: readonly string[], limit: number): string[] {
  let byLimit = packCache.get(sentences);
  const hit = byLimit?.get(limit);
  if (hit) return hit.slice();
  const out: string[] = [];
  let cur: string | null = null;
  let curLen = 0;
  for (const s of sentences) {
    const len = codePointLength(s);
    if (cur === null) {
      cur = s;
      curLen = len;
    } else if (curLen + 1 + len <= limit) {
      cur = `${cur} ${s}`;
      curLen += 1 + len;
    } else {
      out.push(cur);
      cur = s;
      curLen = len;
    }
  }
  if (cur !== null) out.push(cur);
  if (!byLimit) {
    byLimit = new Map();
    packCache.set(sentences, byLimit);
  }
  byLimit.set(limit, out);
  return out.slice();
}

function variablePack(rng: Rng, sentences: readonly string[], chunkSize: number): string[] {
  const out: string[] = [];
  let cur: string | null = null;
  let limit = chunkSize * (0.3 + 0.7 * rng.next());
  for (const s of sentences) {
    if (cur === null) cur = s;
    else if (codePointLength(`${cur} ${s}`) <= limit) cur = `${cur} ${s}`;
    else {
      out.push(cur);
      cur = s;
      limit = chunkSize * (0.3 + 0.7 * rng.next());
    }
  }
  if (cur !== null) out.push(cur);
  return out;
}

function windows(text: string, size: number): string[] {
  const cps = [...text];
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += size) out.push(cps.slice(i, i + size).join(''));
  return out;
}

/** Default cost per request of a chunking strategy (compute or registration; lazy/random/copycat/echo cost 0). */
export function chunkingDefaultCost(strategy: string, args: Obj): number {
  switch (strategy) {
    case 'honest':
    case 'noisy':
    case 'colluding':
    case 'length_biased':
    case 'time_spoof':
      return 1;
    case 'replaced_hotkey':
      return 1 + 1 / nbr(args.every, 10);
    case 'offline':
      return 0.3;
    default:
      return 0;
  }
}

/** What a chunking strategy sees. */
export interface ChunkStrategyInput {
  /** Round index (0-based). */
  round: number;
  document: string;
  sentences: readonly string[];
  chunkSize: number;
  timeSoftMax: number;
  rng: Rng;
  /** The reply of the current best-ranked miner for this document (the copycat's relay). */
  topReply: () => ChunkReply;
}

/**
 * A miner's reply under its chunking strategy (lab.md §9.3 table; `replaced_hotkey` chunks honestly and
 * re-registers every `every` rounds, which the run loop handles; `offline` chunks honestly for `after` rounds, then
 * never answers: the stale top rank of E1).
 * @param miner - the miner.
 * @param inp - the task and helpers.
 * @returns chunks, latency (`latency_s` + N(0, `jitter`)) and the echoed `time_soft_max`.
 */
export function chunkReply(miner: SimMiner, inp: ChunkStrategyInput): ChunkReply {
  const a = miner.args;
  const spoof = miner.strategy === 'time_spoof';
  const latencyS = Math.max(0.05, nbr(a.latency_s, spoof ? 8 : 1) + nbr(a.jitter, 0.2) * normal(inp.rng));
  const reply = (chunks: string[] | null, extra = 0): ChunkReply => ({
    chunks,
    latencyS: latencyS + extra,
    timeSoftMax: spoof ? nbr(a.claimed_time_soft_max, 1e9) : inp.timeSoftMax,
  });
  const { sentences, chunkSize } = inp;
  switch (miner.strategy) {
    case 'honest':
    case 'time_spoof':
    case 'replaced_hotkey':
      return reply(greedyPack(sentences, chunkSize));
    case 'offline':
      return reply(inp.round < nbr(a.after, 20) ? greedyPack(sentences, chunkSize) : null);
    case 'noisy':
      return reply(variablePack(inp.rng, sentences, chunkSize));
    case 'lazy_constant':
      return reply(windows(inp.document, nbr(a.window, 1000)));
    case 'random':
      return reply(greedyPack(shuffled(inp.rng, sentences), chunkSize));
    case 'copycat': {
      const top = inp.topReply();
      return { chunks: top.chunks, latencyS: latencyS + top.latencyS, timeSoftMax: inp.timeSoftMax };
    }
    case 'colluding':
      return reply(greedyPack(sentences, Math.max(1, Math.round(nbr(a.target_size, 0.8) * chunkSize))));
    case 'length_biased':
      return reply(greedyPack(sentences, Math.round(nbr(a.factor, 2) * chunkSize)));
    case 'prompt_echo':
      return reply([inp.document]);
    default:
      throw new Error(`unreachable: unknown chunking strategy ${miner.strategy}`);
  }
}

export { sentTokenize };
