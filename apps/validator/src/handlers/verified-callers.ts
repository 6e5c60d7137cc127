/**
 * Binds a route's forward handler to the hotkey that signed the request headers. The axon hands `forward` the
 * body-parsed synapse, whose `dendrite.hotkey` is not covered by the signature (only the body hash fields are), so a
 * miner could name another participant there. This wraps the default verification, remembers the verified
 * `(nonce, uuid) → hotkey`, and lets the handler look the caller up from the body's nonce and uuid.
 */
import { createDefaultVerify, NonceCache } from '@dojo-ts/neuron';
import type { HeaderSynapse, TerminalInfo } from '@dojo-ts/protocol';

/** Verified-caller registry of one route. */
export interface VerifiedCallers {
  /** Use as the route's `verify` hook. */
  verify(hs: HeaderSynapse): Promise<void>;
  /** The verified hotkey of the request whose body carries this dendrite info (consumed once), or null. */
  take(dendrite: Pick<TerminalInfo, 'nonce' | 'uuid' | 'hotkey'>): string | null;
}

/**
 * Creates the registry.
 * @param ownHotkey - the axon's hotkey (ss58)
 * @param maxEntries - bound on remembered requests. @defaultValue 10000
 */
export function createVerifiedCallers(ownHotkey: string, maxEntries = 10_000): VerifiedCallers {
  const nowNs = () => BigInt(Date.now()) * 1_000_000n;
  const defaultVerify = createDefaultVerify({
    ownHotkey,
    nonces: new NonceCache({ ttlS: 900, maxKeys: 100_000, nowMs: () => Date.now() }),
    nowNs,
    maxFutureSkewS: 300,
    maxWindowTimeoutS: 120,
  });
  const seen = new Map<string, string>();
  const keyOf = (nonce: unknown, uuid: unknown) => `${String(nonce)}|${String(uuid)}`;
  return {
    verify: async (hs) => {
      await defaultVerify(hs);
      if (!hs.dendrite.hotkey) return;
      seen.set(keyOf(hs.dendrite.nonce, hs.dendrite.uuid), hs.dendrite.hotkey);
      while (seen.size > maxEntries) seen.delete(seen.keys().next().value as string);
    },
    take: (d) => {
      const k = keyOf(d.nonce, d.uuid);
      const hotkey = seen.get(k) ?? null;
      seen.delete(k);
      if (hotkey !== null && d.hotkey !== null && d.hotkey !== hotkey) return null;
      return hotkey;
    },
  };
}
