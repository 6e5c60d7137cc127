import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { VerifyTask } from '../crypto/verify-worker.js';

/** A piscina pool running sr25519 verifications on worker threads. */
export interface VerifyPool {
  verify(signature: string, message: string, ss58: string): Promise<boolean>;
  destroy(): Promise<void>;
}

/**
 * Starts `threads` verification workers. The worker module is the compiled `.js` beside this file, or the `.ts`
 * source when running from source (the worker threads inherit the `--import tsx` loader then).
 *
 * @param threads - Number of worker threads (>= 1).
 * @returns The pool; `destroy()` it on shutdown.
 */
export function createVerifyPool(threads: number): VerifyPool {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const pool = new Piscina({
    filename: fileURLToPath(new URL(`../crypto/verify-worker.${ext}`, import.meta.url)),
    minThreads: threads,
    maxThreads: threads,
    maxQueue: 4096,
  });
  return {
    verify: (signature, message, ss58) =>
      pool.run({ signature, message, ss58 } satisfies VerifyTask) as Promise<boolean>,
    destroy: () => pool.destroy(),
  };
}
