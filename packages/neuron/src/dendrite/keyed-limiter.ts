interface Slot {
  active: number;
  waiting: Array<() => void>;
}

/**
 * At most `max` holders per key (the dendrite's per-target in-flight limit, wire.md §6). Keys without holders or
 * waiters are removed, so memory is bounded by the number of targets in flight.
 */
export class KeyedLimiter {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly max: number) {}

  /** Keys currently tracked. */
  get size(): number {
    return this.slots.size;
  }

  /**
   * Takes a slot for `key` without waiting when one is free.
   *
   * @param key - The target hotkey.
   * @returns A release function to call exactly once, or null when the caller must {@link acquire} (and wait).
   */
  tryAcquire(key: string): (() => void) | null {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    if (slot.active >= this.max) return null;
    slot.active++;
    return this.releaser(key, slot);
  }

  /**
   * Waits for a slot for `key`.
   *
   * @param key - The target hotkey.
   * @param signal - Aborting it gives up the wait and rejects with the signal's reason.
   * @returns A release function to call exactly once.
   */
  acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    const s = slot;
    if (s.active < this.max) {
      s.active++;
      return Promise.resolve(this.releaser(key, s));
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(this.releaser(key, s));
      };
      const onAbort = () => {
        const i = s.waiting.indexOf(grant);
        if (i >= 0) s.waiting.splice(i, 1);
        this.cleanup(key, s);
        reject(signal?.reason ?? new Error('aborted'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      s.waiting.push(grant);
    });
  }

  private releaser(key: string, s: Slot): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = s.waiting.shift();
      if (next) next();
      else {
        s.active--;
        this.cleanup(key, s);
      }
    };
  }

  private cleanup(key: string, s: Slot): void {
    if (s.active === 0 && s.waiting.length === 0 && this.slots.get(key) === s) this.slots.delete(key);
  }
}
