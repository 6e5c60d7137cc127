/**
 * Read-only view of a run, for progress lines and the summary: the validator's Redis state (key layout of
 * apps/validator/src/store/keys.ts, `{prefix}:{netuid}:{hotkey}:`) and the LocalChain's weights. Nothing here writes.
 */
import type { LocalChain } from '@dojo-ts/chain';
import type { Redis } from 'ioredis';

/** One scored request as the validator logs it (`HistoryRecord`, dojo.md §8.4). */
export interface HistoryRecord {
  request_id: string;
  scored_at: number;
  prompt: string;
  num_completions: number;
  consensus_scores: Array<number | null>;
  best_completion: string | null;
  num_responses: number;
  hotkey_to_score: Record<string, number>;
  hotkey_to_accuracy: Record<string, number>;
  audit_failed: string[];
}

/** What the observer accumulated so far. */
export interface Observed {
  block: number;
  /** hotkey → request ids it was queried with. */
  queried: Map<string, Set<string>>;
  /** hotkey → request ids it replied to (a stored, valid reply). */
  replied: Map<string, Set<string>>;
  /** request ids whose aws_mturk reply verified (D12), with the miner hotkey. */
  mturkVerified: Map<string, string>;
  requestsSeen: Set<string>;
  pending: number;
  history: HistoryRecord[];
  /** hotkey → EMA ranking score after each scored request (for the chart). */
  scoreSeries: Map<string, number[]>;
  /** Block at which the first request was scored (weights set after it carry ranking scores). */
  firstScoredBlock: number | null;
  lastUpdate: number;
}

/** Validator keys (mirror of the validator's store layout). */
export function validatorBase(prefix: string, netuid: number, hotkey: string): string {
  return `${prefix}:${netuid}:${hotkey}:`;
}

/** Polls the validator's state and the chain. */
export class Observer {
  readonly state: Observed = {
    block: 0,
    queried: new Map(),
    replied: new Map(),
    mturkVerified: new Map(),
    requestsSeen: new Set(),
    pending: 0,
    history: [],
    scoreSeries: new Map(),
    firstScoredBlock: null,
    lastUpdate: 0,
  };
  private readonly base: string;
  private lastHistoryId = '-';

  constructor(
    private readonly redis: Redis,
    private readonly chain: LocalChain,
    private readonly o: { prefix: string; netuid: number; validatorHotkey: string; chainNamespace: string },
  ) {
    this.base = validatorBase(o.prefix, o.netuid, o.validatorHotkey);
  }

  /** One poll: new requests and replies, new history records, scores, block, validator last_update. */
  async poll(): Promise<Observed> {
    const s = this.state;
    s.block = await this.chain.currentBlock();
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.base}req:*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        let id = key.slice(`${this.base}req:`.length);
        const extra = id.endsWith(':x');
        if (extra) id = id.slice(0, -2);
        const type = await this.redis.type(key);
        let queried: string[] = [];
        let replies: Array<[string, string]> = [];
        if (type === 'string') {
          // entry JSON: {request, responses, queried_hotkeys, ...}
          const raw = await this.redis.get(key);
          if (raw === null) continue;
          const e = JSON.parse(raw) as { queried_hotkeys?: string[]; responses?: Array<{ hotkey: string }> };
          queried = e.queried_hotkeys ?? [];
          replies = (e.responses ?? []).map((r) => [r.hotkey, JSON.stringify(r)]);
        } else if (type === 'hash') {
          // replies attached later (`r:<hotkey>`), or an older layout with `queried` in the hash
          const h = await this.redis.hgetall(key);
          queried = JSON.parse(h.queried ?? '[]') as string[];
          replies = Object.entries(h)
            .filter(([f]) => f.startsWith('r:'))
            .map(([f, v]) => [f.slice(2), v]);
        } else continue;
        s.requestsSeen.add(id);
        for (const hk of queried) add(s.queried, hk, id);
        for (const [hk, value] of replies) {
          add(s.replied, hk, id);
          const reply = JSON.parse(value) as { scoring_method?: string; verified?: boolean };
          if (reply.scoring_method === 'aws_mturk' && reply.verified === true) s.mturkVerified.set(id, hk);
        }
      }
    } while (cursor !== '0');
    s.pending = await this.redis.zcard(`${this.base}pending`);
    const entries = await this.redis.xrange(
      `${this.base}history`,
      this.lastHistoryId === '-' ? '-' : `(${this.lastHistoryId}`,
      '+',
    );
    if (entries.length > 0) {
      const scores = await this.rankingScores();
      for (const [id, fields] of entries) {
        this.lastHistoryId = id;
        const json = fields[1];
        if (json === undefined) continue;
        const rec = JSON.parse(json) as HistoryRecord;
        s.history.push(rec);
        s.firstScoredBlock ??= s.block;
        // a miner in hotkey_to_score was queried and replied with ranks (unverified MTurk replies have none)
        s.requestsSeen.add(rec.request_id);
        for (const hk of Object.keys(rec.hotkey_to_score)) {
          add(s.queried, hk, rec.request_id);
          add(s.replied, hk, rec.request_id);
        }
      }
      for (const [hk, score] of scores) {
        const series = s.scoreSeries.get(hk) ?? [];
        series.push(score);
        s.scoreSeries.set(hk, series);
      }
    }
    const uid = await this.chain.uidOf(this.o.netuid, this.o.validatorHotkey);
    if (uid !== null) s.lastUpdate = (await this.chain.lastUpdate(this.o.netuid))[uid] ?? 0;
    return s;
  }

  /** hotkey → EMA ranking score. */
  async rankingScores(): Promise<Map<string, number>> {
    const [hk, sc] = await Promise.all([
      this.redis.hgetall(`${this.base}hotkeys`),
      this.redis.hgetall(`${this.base}scores`),
    ]);
    const out = new Map<string, number>();
    for (const [uid, hotkey] of Object.entries(hk)) {
      const v = Number(sc[uid] ?? '0');
      out.set(hotkey, Number.isFinite(v) ? v : 0);
    }
    return out;
  }

  /** hotkey → chunking score (moving average of the tournament rank; lower is better). */
  async chunkScores(): Promise<Map<string, number>> {
    const [hk, sc] = await Promise.all([
      this.redis.hgetall(`${this.base}chunk:hotkeys`),
      this.redis.hgetall(`${this.base}chunk:scores`),
    ]);
    const out = new Map<string, number>();
    for (const [uid, v] of Object.entries(sc)) {
      const hotkey = hk[uid];
      if (hotkey !== undefined) out.set(hotkey, Number(v));
    }
    return out;
  }

  /** accuracy key → accuracy (the validator's cache). */
  async accuracy(): Promise<Record<string, { accuracy: number; computed_at: number }>> {
    const h = await this.redis.hgetall(`${this.base}accuracy`);
    const out: Record<string, { accuracy: number; computed_at: number }> = {};
    for (const [k, v] of Object.entries(h)) out[k] = JSON.parse(v) as { accuracy: number; computed_at: number };
    return out;
  }

  /** The validator's weight row on the LocalChain: uid → u16 weight, or null when none was set. */
  async weightsOnChain(): Promise<Array<[number, number]> | null> {
    const uid = await this.chain.uidOf(this.o.netuid, this.o.validatorHotkey);
    if (uid === null) return null;
    const row = await this.redis.hget(`${this.o.chainNamespace}subnet:${this.o.netuid}:weights`, String(uid));
    return row === null ? null : (JSON.parse(row) as Array<[number, number]>);
  }
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  if (set.size < 100_000) set.add(value);
}
