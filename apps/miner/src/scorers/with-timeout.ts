/** Thrown by {@link withTimeout} when the work did not finish in time. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * Races `work` against a timer; the timer is always cleared.
 *
 * @param work - the promise to wait for.
 * @param ms - time limit in milliseconds.
 * @param label - what is being waited for (in the error message).
 * @returns the work's result.
 * @throws TimeoutError after `ms`, or whatever `work` rejects with.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${label} timed out after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
