/** Exponential backoff settings (tenacity's `wait_exponential(multiplier, min, max)`). */
export interface BackoffOptions {
  /** Total attempts including the first. @defaultValue 5 (dojo.md §15.2) */
  attempts?: number;
  /** Wait before retry n is `multiplierMs · 2^(n−1)`, clamped to [minMs, maxMs]. @defaultValue 1000 */
  multiplierMs?: number;
  /** @defaultValue 4000 */
  minMs?: number;
  /** @defaultValue 12000 */
  maxMs?: number;
}

/**
 * Wait before retry number `retry` (1-based), as tenacity's `wait_exponential(multiplier=1, min=4, max=12)` does.
 * @returns milliseconds.
 * @example
 * [1, 2, 3, 4].map((n) => backoffDelayMs(n)); // [4000, 4000, 4000, 8000]
 */
export function backoffDelayMs(retry: number, options: BackoffOptions = {}): number {
  const base = (options.multiplierMs ?? 1000) * 2 ** (retry - 1);
  return Math.min(options.maxMs ?? 12_000, Math.max(options.minMs ?? 4000, base));
}

/** Default sleep. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds, `isRetryable(err)` is false, or the attempts are used up; waits between attempts.
 * @param fn - the attempt; receives the 1-based attempt number.
 * @returns fn's result.
 * @throws the last error.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  isRetryable: (err: unknown) => boolean,
  options: BackoffOptions & { sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 5);
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
      await wait(backoffDelayMs(attempt, options));
    }
  }
}
