import { blake2AsHex } from '@polkadot/util-crypto';
import type { ChainEvent, TxResult } from '../chain.js';

/** The JSON a LocalChain extrinsic script returns. */
export type ScriptResult =
  | { ok: true; block: number; events?: ChainEvent[]; skipped?: string }
  | { ok: false; kind: 'pool'; code: number }
  | { ok: false; kind: 'dispatch'; name: string }
  | { ok: false; kind: 'gone' };

const POOL_MESSAGES: Record<number, string> = {
  1: 'stake below StakeThreshold',
  6: 'weights rate limit: wait for the next window',
  10: 'hotkey not registered',
  11: 'invalid IP address',
  12: 'serving rate limit exceeded',
  13: 'invalid port',
  15: 'InvalidRevealRound',
  255: 'invalid transaction (invalid IP type)',
};

/**
 * Converts a script result to the `TxResult` both chain implementations return (§2 error channels).
 * @param namespace - network prefix (part of the pseudo block hash).
 * @param raw - the script's JSON reply.
 * @returns the `TxResult`.
 */
export function toTxResult(namespace: string, raw: unknown): TxResult {
  const r = JSON.parse(String(raw)) as ScriptResult;
  if (r.ok) {
    const res: TxResult = {
      ok: true,
      blockHash: blake2AsHex(`${namespace}block:${r.block}`),
      events: (r.events ?? []).map((e) => ({ section: e.section, method: e.method, data: e.data })),
    };
    if (r.skipped) res.skipped = r.skipped;
    return res;
  }
  if (r.kind === 'pool') {
    return {
      ok: false,
      events: [],
      error: { kind: 'pool', code: r.code, message: POOL_MESSAGES[r.code] ?? 'invalid' },
    };
  }
  const name = r.kind === 'dispatch' ? r.name : 'CommitGone';
  return { ok: false, events: [], error: { kind: 'dispatch', pallet: 'SubtensorModule', name } };
}
