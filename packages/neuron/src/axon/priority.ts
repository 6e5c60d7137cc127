import { AxonBusyError, PriorityTimeoutError } from '../errors.js';

interface Waiter {
  priority: number;
  seq: number;
  resolve: (release: () => void) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * A counting semaphore whose waiters start in descending priority order (FIFO among equals), with a per-waiter
 * timeout and a bounded queue. This is the Dojo TS meaning of the bittensor `priority` hook (wire.md §11).
 */
export class PriorityGate {
  private active = 0;
  private seq = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxQueued: number,
  ) {}

  /** Requests currently holding a slot. */
  get inFlight(): number {
    return this.active;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Takes a slot without waiting when one is free and nobody waits.
   *
   * @returns A release function to call exactly once, or null when the caller must {@link acquire} (and wait).
   */
  tryAcquire(): (() => void) | null {
    if (this.active < this.maxConcurrent && this.waiting.length === 0) {
      this.active++;
      return this.releaser();
    }
    return null;
  }

  /**
   * Waits for a slot; resolves with a release function to call exactly once.
   *
   * @param priority - Higher starts first.
   * @param timeoutMs - Maximum wait; rejects with {@link PriorityTimeoutError} after it.
   * @throws AxonBusyError when `maxQueued` requests already wait.
   */
  acquire(priority: number, timeoutMs: number): Promise<() => void> {
    if (this.active < this.maxConcurrent && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxQueued) return Promise.reject(new AxonBusyError('axon queue is full'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { priority, seq: this.seq++, resolve, reject, timer: undefined };
      waiter.timer = setTimeout(
        () => {
          const i = this.waiting.indexOf(waiter);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new PriorityTimeoutError('timed out waiting for a handler slot'));
        },
        Math.max(0, timeoutMs),
      );
      // Insert keeping the array sorted by (priority desc, seq asc); queues are short, so linear insertion is fine.
      let at = this.waiting.length;
      while (at > 0 && (this.waiting[at - 1] as Waiter).priority < priority) at--;
      this.waiting.splice(at, 0, waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        next.resolve(this.releaser());
      } else {
        this.active--;
      }
    };
  }
}
