import type { Redis } from 'ioredis';
import type { CallbackAssignment } from '../mturk/aggregate.js';

/** Assignments kept per HIT (MTurk HITs here have 3; the cap only bounds a misbehaving sender). */
export const MAX_ASSIGNMENTS_PER_HIT = 100;

/**
 * Human-feedback state in Redis, all with the routing TTL: assignments per HIT (idempotent per assignment id),
 * processed callback bodies (sha256) and which assignment sets were already turned into an `MTurkResponse`.
 */
export class FeedbackStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlS: number,
  ) {}

  /** True when a body with this sha256 was already processed. */
  async isBodyProcessed(sha256: string): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}cbody:${sha256}`)) === 1;
  }

  /** Marks a body as processed. */
  async markBodyProcessed(sha256: string): Promise<void> {
    await this.redis.set(`${this.prefix}cbody:${sha256}`, '1', 'EX', Math.ceil(this.ttlS));
  }

  /**
   * Stores assignments of one HIT; an assignment id already stored is left as it was (MTurk assignments are immutable).
   * @returns how many were new.
   */
  async addAssignments(hitId: string, assignments: readonly CallbackAssignment[]): Promise<number> {
    const key = `${this.prefix}asg:${hitId}`;
    const size = await this.redis.hlen(key);
    const room = Math.max(0, MAX_ASSIGNMENTS_PER_HIT - size);
    const multi = this.redis.multi();
    for (const a of assignments.slice(0, room)) multi.hsetnx(key, a.AssignmentId, JSON.stringify(a));
    multi.expire(key, Math.ceil(this.ttlS));
    const results = (await multi.exec()) ?? [];
    return results.slice(0, -1).filter(([, v]) => v === 1).length;
  }

  /** Every stored assignment of a HIT, ordered by assignment id. */
  async getAssignments(hitId: string): Promise<CallbackAssignment[]> {
    const all = await this.redis.hgetall(`${this.prefix}asg:${hitId}`);
    return Object.keys(all)
      .sort()
      .map((k) => JSON.parse(all[k] as string) as CallbackAssignment);
  }

  /**
   * Claims the right to send an `MTurkResponse` for this exact assignment set (atomic SET NX).
   * @returns false when it was already claimed.
   */
  async claimSend(hitId: string, setKey: string): Promise<boolean> {
    return (
      (await this.redis.set(`${this.prefix}sent:${hitId}:${setKey}`, '1', 'EX', Math.ceil(this.ttlS), 'NX')) === 'OK'
    );
  }

  /** Releases a claim (the delivery could not be queued, so a later callback may try again). */
  async releaseSend(hitId: string, setKey: string): Promise<void> {
    await this.redis.del(`${this.prefix}sent:${hitId}:${setKey}`);
  }
}
