/**
 * A periodic loop that never dies of one bad iteration (dojo.md §8.1 step 4, chunking.md §11.1: upstream broke out of
 * the loop or let one exception stop scoring while the process looked alive). Stops promptly when aborted.
 */
import type { Logger } from 'pino';

/** Sleeps `ms`, resolving early when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `body(step)` then sleeps `intervalMs`, until `signal` aborts. An exception is logged, counted, and the loop
 * goes on.
 * @returns a promise that resolves when the loop has stopped
 */
export async function runLoop(
  name: string,
  intervalMs: number,
  signal: AbortSignal,
  log: Logger,
  body: (step: number) => Promise<void>,
  onError?: (err: unknown) => void,
): Promise<void> {
  let step = 0;
  while (!signal.aborted) {
    try {
      await body(step);
    } catch (err) {
      onError?.(err);
      log.error(
        { loop: name, err: (err as Error)?.message, code: (err as { code?: string })?.code },
        'loop iteration failed',
      );
    }
    step++;
    await sleep(intervalMs, signal);
  }
}
