import { createDefaultVerify, NonceCache } from '@dojo-ts/neuron';
import type { HeaderSynapse, TerminalInfo } from '@dojo-ts/protocol';

/** Options of {@link VerifiedCallers}. */
export interface VerifiedCallersOptions {
  /** The axon's own hotkey (ss58). */
  ownHotkey: string;
  /** Verified requests remembered until their forward runs; the oldest is dropped beyond it. @defaultValue 10000 */
  maxPending?: number;
  nowNs?: () => bigint;
}

/**
 * Binds a request's body to the caller the axon verified. The forward hook receives the body-parsed synapse, whose
 * `dendrite.hotkey` the signature does not cover; this `verify` hook runs the default verification (wire.md §10.2, own
 * bounded nonce memory) and remembers `(uuid, nonce) → hotkey`, so the handler can route by the verified hotkey.
 */
export class VerifiedCallers {
  private readonly pending = new Map<string, string>();
  private readonly maxPending: number;
  private readonly check: (s: HeaderSynapse) => Promise<void>;

  constructor(o: VerifiedCallersOptions) {
    this.maxPending = o.maxPending ?? 10_000;
    const nowNs = o.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n);
    this.check = createDefaultVerify({
      ownHotkey: o.ownHotkey,
      maxFutureSkewS: 300,
      maxWindowTimeoutS: 120,
      nonces: new NonceCache({ ttlS: 900, maxKeys: 100_000, nowMs: () => Number(nowNs() / 1_000_000n) }),
      nowNs,
    });
  }

  /** The `verify` hook: default verification, then the caller is remembered. Throws like the default. */
  readonly verify = async (s: HeaderSynapse): Promise<void> => {
    await this.check(s);
    const { uuid, nonce, hotkey } = s.dendrite;
    if (uuid === null || nonce === null || hotkey === null) return;
    this.pending.set(`${uuid}|${nonce}`, hotkey);
    if (this.pending.size > this.maxPending) this.pending.delete(this.pending.keys().next().value as string);
  };

  /**
   * The verified hotkey of the request whose body carries `dendrite`, or null when the body's `(uuid, nonce, hotkey)`
   * does not match a verified request (a forged body hotkey). Each entry is returned once.
   */
  take(dendrite: TerminalInfo): string | null {
    const key = `${dendrite.uuid}|${dendrite.nonce}`;
    const hotkey = this.pending.get(key);
    this.pending.delete(key);
    return hotkey !== undefined && hotkey === dendrite.hotkey ? hotkey : null;
  }
}
