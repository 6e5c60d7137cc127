import type { ApiPromise } from '@polkadot/api';
import type { EventRecord } from '@polkadot/types/interfaces';
import type { ChainEvent, TxError, TxResult } from '../chain.js';

/**
 * Maps a submit-time RPC error to the pool channel of `TxResult` (spec chain.md §2): `1010: Invalid Transaction:
 * Custom error: N` → `{kind: 'pool', code: N}`; other `10xx` pool rejections → code 255 with the message.
 * @param err - the error thrown by `signAndSend` / `author_submitExtrinsic`.
 * @returns the pool error, or null when the error is not a pool rejection (transport failure).
 */
export function poolErrorFromRpc(err: unknown): TxError | null {
  const message = err instanceof Error ? err.message : String(err);
  const custom = /Custom error:\s*(\d+)/i.exec(message);
  if (custom) return { kind: 'pool', code: Number(custom[1]), message };
  if (
    /^\s*10\d\d\b/.test(message) ||
    /Invalid Transaction|Priority is too low|Transaction is outdated/i.test(message)
  ) {
    return { kind: 'pool', code: 255, message };
  }
  return null;
}

/**
 * Converts the events of an included extrinsic into `TxResult` (dispatch channel: `ExtrinsicFailed` with the pallet
 * error name resolved from metadata).
 * @param api - API whose registry decodes the events.
 * @param events - the extrinsic's event records.
 * @param blockHash - block that included it.
 * @returns the result.
 */
export function txResultFromEvents(api: ApiPromise, events: EventRecord[], blockHash?: string): TxResult {
  const plain: ChainEvent[] = events.map(({ event }) => ({
    section: event.section,
    method: event.method,
    data: event.data.toJSON() as unknown[],
  }));
  for (const { event } of events) {
    if (event.section === 'system' && event.method === 'ExtrinsicFailed') {
      const dispatchError = event.data[0] as unknown as {
        isModule: boolean;
        asModule: Parameters<typeof api.registry.findMetaError>[0];
        type: string;
        toString(): string;
      };
      let error: TxError;
      if (dispatchError.isModule) {
        const meta = api.registry.findMetaError(dispatchError.asModule);
        error = { kind: 'dispatch', pallet: meta.section, name: meta.name, message: meta.docs.join(' ') };
      } else {
        error = { kind: 'dispatch', pallet: 'system', name: dispatchError.type, message: dispatchError.toString() };
      }
      return { ok: false, ...(blockHash ? { blockHash } : {}), events: plain, error };
    }
  }
  return { ok: true, ...(blockHash ? { blockHash } : {}), events: plain };
}
