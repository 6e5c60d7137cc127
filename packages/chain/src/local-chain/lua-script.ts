import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run with EVALSHA (EVAL on NOSCRIPT). Every LocalChain state change is one script, so it is atomic
 * under concurrent writers and a writer killed mid-call leaves either all or none of its writes.
 */
export class LuaScript {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script with no declared keys (LocalChain keys all live under one namespace on a single Redis). */
  async run(redis: Redis, args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, 0, ...args);
    } catch (err) {
      if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      return redis.eval(this.source, 0, ...args);
    }
  }
}
