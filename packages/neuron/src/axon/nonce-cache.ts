/** Options of {@link NonceCache}. */
export interface NonceCacheOptions {
  /** Seconds an entry lives after its last update. @defaultValue 900 */
  ttlS: number;
  /** Maximum number of `(hotkey, uuid)` keys; the least recently used is evicted beyond it. @defaultValue 100000 */
  maxKeys: number;
  /** Monotonic-enough clock in milliseconds. @defaultValue Date.now */
  nowMs?: () => number;
  /** Called when a capacity eviction drops an entry younger than the TTL ("nonce cache under pressure"). */
  onPressure?: (evictedKey: string) => void;
}

interface Entry {
  nonce: bigint;
  updatedMs: number;
}

/**
 * Bounded LRU + TTL map `endpoint_key -> last nonce` (wire.md §10.2, W3). A `Map` keeps insertion order, so
 * re-inserting on update makes the first key the least recently used one. Hand-written rather than lru-cache because
 * the TTL must follow an injectable clock (the same one verification uses), which lru-cache does not accept.
 */
export class NonceCache {
  private readonly map = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxKeys: number;
  private readonly nowMs: () => number;
  private readonly onPressure: ((key: string) => void) | undefined;

  constructor(options: NonceCacheOptions) {
    this.ttlMs = options.ttlS * 1000;
    this.maxKeys = Math.max(1, Math.floor(options.maxKeys));
    this.nowMs = options.nowMs ?? Date.now;
    this.onPressure = options.onPressure;
  }

  /** Number of keys held (expired ones included until touched or evicted). */
  get size(): number {
    return this.map.size;
  }

  /** Last nonce stored for `key`, or undefined when absent or expired. */
  get(key: string): bigint | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (this.nowMs() - entry.updatedMs > this.ttlMs) {
      this.map.delete(key);
      return undefined;
    }
    return entry.nonce;
  }

  /** Stores `nonce` for `key`, refreshing its TTL and recency; evicts the least recently used key beyond capacity. */
  set(key: string, nonce: bigint): void {
    const now = this.nowMs();
    this.map.delete(key);
    this.map.set(key, { nonce, updatedMs: now });
    while (this.map.size > this.maxKeys) {
      const first = this.map.entries().next().value;
      if (!first) break;
      const [oldKey, oldEntry] = first;
      this.map.delete(oldKey);
      if (now - oldEntry.updatedMs <= this.ttlMs) this.onPressure?.(oldKey);
    }
  }
}
