import type { Redis } from 'ioredis';

/** One `RankingResult` as the miner keeps it. */
export interface ScoreHistoryEntry {
  request_id: string;
  /** ss58 of the validator that sent the result. */
  validator_hotkey: string;
  /** This miner's per-request score (D15: the only entry the validator sends), or null when absent. */
  score: number | null;
  cid_to_consensus: Record<string, number>;
  /** Unix seconds when received. */
  received_at: number;
}

/**
 * The miner's own score history: a Redis list, newest first, capped at `maxLen` entries (LPUSH + LTRIM in one MULTI).
 */
export class ScoreHistory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxLen: number,
  ) {}

  /** Adds one entry and trims the list to `maxLen`. */
  async add(entry: ScoreHistoryEntry): Promise<void> {
    const key = `${this.prefix}scores`;
    await this.redis
      .multi()
      .lpush(key, JSON.stringify(entry))
      .ltrim(key, 0, this.maxLen - 1)
      .exec();
  }

  /** The newest `limit` entries, newest first. */
  async recent(limit = 100): Promise<ScoreHistoryEntry[]> {
    const rows = await this.redis.lrange(`${this.prefix}scores`, 0, Math.max(0, Math.min(limit, this.maxLen) - 1));
    return rows.map((r) => JSON.parse(r) as ScoreHistoryEntry);
  }

  /** Number of stored entries. */
  async size(): Promise<number> {
    return this.redis.llen(`${this.prefix}scores`);
  }
}
