import type { Chain, ChainSigner, ServeAxonParams, TxResult } from '../chain.js';
import { InvalidAxonError, NotRegisteredError, ServeAxonFailedError } from '../errors.js';

/** Back-off of {@link serveAxonWithRetry} (spec chain.md §7.4: 10 attempts, 6 s doubling to 24 s, 1 s jitter). */
export interface ServeRetryOptions {
  attempts?: number;
  initialMs?: number;
  maxMs?: number;
  jitterMs?: number;
  /** Uniform [0, 1) source for the jitter. */
  random?: () => number;
  /** Sleep function (injectable so tests do not wait). */
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry with the attempt number, the delay and the reason. */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void;
}

/**
 * Serves an axon at neuron start-up, retrying failures with exponential back-off and jitter. Invalid parameters and an
 * unregistered hotkey are permanent and rethrown at once.
 * @param chain - any `Chain` (SubtensorChain or LocalChain).
 * @param signer - hotkey.
 * @param netuid - subnet.
 * @param params - axon parameters.
 * @param opts - retry schedule.
 * @returns the successful (or skipped-as-unchanged) `TxResult`.
 * @throws InvalidAxonError / NotRegisteredError at once; ServeAxonFailedError after the last attempt.
 */
export async function serveAxonWithRetry(
  chain: Chain,
  signer: ChainSigner,
  netuid: number,
  params: ServeAxonParams,
  opts: ServeRetryOptions = {},
): Promise<TxResult> {
  const attempts = opts.attempts ?? 10;
  const initial = opts.initialMs ?? 6_000;
  const max = opts.maxMs ?? 24_000;
  const jitter = opts.jitterMs ?? 1_000;
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let lastReason = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await chain.serveAxon(signer, netuid, params);
      if (res.ok) return res;
      lastReason = JSON.stringify(res.error ?? {});
    } catch (err) {
      if (err instanceof InvalidAxonError || err instanceof NotRegisteredError) throw err;
      lastReason = err instanceof Error ? err.message : String(err);
    }
    if (attempt === attempts) break;
    const delay = Math.min(max, initial * 2 ** (attempt - 1)) + (random() * 2 - 1) * jitter;
    opts.onRetry?.(attempt, Math.max(0, delay), lastReason);
    await sleep(Math.max(0, delay));
  }
  throw new ServeAxonFailedError(`serve_axon failed after ${attempts} attempts: ${lastReason}`, {
    details: { netuid, attempts },
  });
}
