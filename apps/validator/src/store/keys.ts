/**
 * Redis key layout. Everything lives under `{prefix}:{netuid}:{hotkey}:` (dojo.md §8.3) so two validators, or a test
 * run with a random prefix, never share state.
 */
export interface StoreKeys {
  /** Namespace every key starts with. */
  base: string;
  /** String: the entry JSON `{request, responses, queried_hotkeys, created_at, deadline_ms}` as written at creation. */
  request(requestId: string): string;
  /** Hash (only once a reply was attached later): `v` version counter and `r:{hotkey}` reply JSON. */
  requestExtra(requestId: string): string;
  /** Marker that a request was scored (the idempotency key of the scoring transaction). */
  scored(requestId: string): string;
  /** ZSET request_id → deadline ms of every request not yet scored. */
  pending: string;
  /** Hash uid → ranking score (EMA). */
  scores: string;
  /** Hash uid → hotkey the ranking scores belong to. */
  hotkeys: string;
  /** Hash: `n`, `step`, `scored`, `last_weights_block`. */
  meta: string;
  /** Hash accuracy key → JSON `{accuracy, computed_at}`. */
  accuracy: string;
  /** Set of accuracy keys seen in replies. */
  accuracyKeys: string;
  /** Hash accuracy key → dataset cursor JSON. */
  cursors: string;
  /** Capped stream of `HistoryRecord`s. */
  history: string;
  /** Hash uid → chunking score (moving average of global rank; absent = no score). */
  chunkScores: string;
  /** Hash uid → hotkey the chunking scores belong to. */
  chunkHotkeys: string;
  /** Hash: `step`, seed-dataset cursor, chunking step. */
  loop: string;
  /** BullMQ prefix for this validator's queues. */
  bullPrefix: string;
}

/**
 * Builds the key layout of one validator.
 * @param prefix - `--redis.prefix` (tests use `test:validator:<uuid>`)
 * @param netuid - subnet id
 * @param hotkey - the validator's hotkey (ss58)
 * @returns the key builders
 */
export function storeKeys(prefix: string, netuid: number, hotkey: string): StoreKeys {
  const base = `${prefix}:${netuid}:${hotkey}:`;
  return {
    base,
    request: (id) => `${base}req:${id}`,
    requestExtra: (id) => `${base}req:${id}:x`,
    scored: (id) => `${base}scored:${id}`,
    pending: `${base}pending`,
    scores: `${base}scores`,
    hotkeys: `${base}hotkeys`,
    meta: `${base}meta`,
    accuracy: `${base}accuracy`,
    accuracyKeys: `${base}accuracy:keys`,
    cursors: `${base}cursors`,
    history: `${base}history`,
    chunkScores: `${base}chunk:scores`,
    chunkHotkeys: `${base}chunk:hotkeys`,
    loop: `${base}loop`,
    bullPrefix: `${base}bull`,
  };
}
