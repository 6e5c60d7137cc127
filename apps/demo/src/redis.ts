/**
 * Redis for the demo: use the one answering on `REDIS_URL` (default 127.0.0.1:6379) under a fresh key prefix (never
 * FLUSH), or start `redis-server` on a free port as a supervised child with persistence off.
 */
import { connect, createServer } from 'node:net';
import type { Redis } from 'ioredis';
import { RedisUnavailableError } from './errors.js';
import type { Managed, Supervisor } from './supervisor.js';

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Sends `PING` to a Redis URL and waits for `+PONG` (no client library, no retries).
 * @param url - `redis://host:port` (credentials are sent with AUTH when present).
 * @param timeoutMs - connect and answer limit.
 * @returns true when Redis answered.
 */
export function pingRedis(url: string, timeoutMs = 1500): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) });
    let buf = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('error', () => done(false));
    socket.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('+PONG')) done(true);
      else if (buf.startsWith('-') && buf.includes('\r\n') && !u.password) done(false);
    });
    socket.once('connect', () => {
      if (u.password) {
        const user = decodeURIComponent(u.username || 'default');
        socket.write(`AUTH ${user} ${decodeURIComponent(u.password)}\r\n`);
      }
      socket.write('PING\r\n');
    });
  });
}

/** Where the demo's Redis comes from. */
export interface DemoRedis {
  url: string;
  /** True when the demo started (and will stop) its own redis-server. */
  started: boolean;
  process: Managed | null;
}

/**
 * Finds or starts Redis.
 * @param supervisor - supervisor that owns a started redis-server.
 * @param url - the Redis to try first (`REDIS_URL` or 127.0.0.1:6379).
 * @returns the URL to use.
 * @throws RedisUnavailableError when none answers and redis-server cannot be started.
 */
export async function ensureRedis(supervisor: Supervisor, url: string): Promise<DemoRedis> {
  if (await pingRedis(url)) return { url, started: false, process: null };
  const port = await freePort();
  let child: Managed;
  try {
    child = supervisor.spawn(
      'redis',
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
      process.env,
    );
  } catch (err) {
    throw new RedisUnavailableError(
      `no Redis answers on ${url} and redis-server could not be started (Debian: apt-get install redis-server)`,
      err,
    );
  }
  const own = `redis://127.0.0.1:${port}`;
  const start = Date.now();
  while (Date.now() - start < 20_000) {
    if (child.child.exitCode !== null) break;
    if (await pingRedis(own)) return { url: own, started: true, process: child };
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new RedisUnavailableError(
    `no Redis answers on ${url} and the redis-server started on port ${port} did not answer: ${child.tail.slice(-5).join(' / ')}`,
  );
}

/**
 * Deletes every key starting with `prefix` (SCAN + UNLINK; never FLUSHDB, Redis may be shared).
 * @returns the number of keys removed.
 */
export async function deleteByPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) n += await redis.unlink(...keys);
  } while (cursor !== '0');
  return n;
}
