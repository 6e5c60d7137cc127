import type { Completion } from '@dojo-ts/protocol';
import type { Redis } from 'ioredis';

/** What the miner keeps about a request so human feedback can be routed back (D14, dojo.md §4.2). */
export interface RoutedRequest {
  /** ss58 hotkey of the validator that sent the request. */
  validator_hotkey: string;
  request_id: string;
  prompt: string;
  completions: Completion[];
  epoch_timestamp: number;
  /** Unix seconds when the miner received it. */
  received_at: number;
  /** The HIT created for it (aws_mturk), once known. */
  hit_id?: string | null;
}

/**
 * The routing tables `requests: request_id → RoutedRequest` and `hits: hit_id → request_id` (dojo.md §4.2), as Redis
 * keys that expire after `ttlS` (at least the validator's deadline), so a restart keeps routing and nothing grows unbounded.
 */
export class RoutingStore {
  /**
   * @param redis - connection.
   * @param prefix - key prefix ending in `:`.
   * @param ttlS - key lifetime in seconds (`max(deadline_s, 3600) + 3600`).
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlS: number,
  ) {}

  /** Records a request (overwriting an earlier copy with the same id). */
  async saveRequest(r: RoutedRequest): Promise<void> {
    await this.redis.set(`${this.prefix}req:${r.request_id}`, JSON.stringify(r), 'EX', Math.ceil(this.ttlS));
  }

  /** The request with this id, or null when unknown or expired. */
  async getRequest(requestId: string): Promise<RoutedRequest | null> {
    const raw = await this.redis.get(`${this.prefix}req:${requestId}`);
    return raw === null ? null : (JSON.parse(raw) as RoutedRequest);
  }

  /** Records which request a HIT belongs to. */
  async saveHit(hitId: string, requestId: string): Promise<void> {
    await this.redis.set(`${this.prefix}hit:${hitId}`, requestId, 'EX', Math.ceil(this.ttlS));
  }

  /** The request id of a HIT, or null. */
  async getHitRequestId(hitId: string): Promise<string | null> {
    return this.redis.get(`${this.prefix}hit:${hitId}`);
  }
}
