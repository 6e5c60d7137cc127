/**
 * Redis restart with AOF on, mid-run: a throwaway `redis-server` (own loopback port, `--appendonly yes`,
 * `--appendfsync always`, own temp dir; never the shared 6379 server) is SIGKILLed while the validator (src/main.ts,
 * `--validator.role worker`) scores deadline jobs and new requests keep arriving, then restarted on the same port and
 * data dir. The validator reconnects by itself and every request is scored exactly once; nothing is lost.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWallet, LocalChain } from '@dojo-ts/chain';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreJobData } from '../src/jobs/queues.js';
import { openScoringQueue } from '../src/jobs/workers.js';
import { storeKeys } from '../src/store/keys.js';
import { pendingCount, saveRequest } from '../src/store/request-store.js';
import { getRankingState } from '../src/store/state-store.js';
import { makeEntry } from '../src/test-utils/helpers.js';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function until(what: string, fn: () => Promise<boolean>, limitMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!(await fn().catch(() => false))) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Redis restart (AOF) while the validator runs', () => {
  let dir: string;
  let port: number;
  let redisServer: ChildProcess;
  let validator: ChildProcess;
  let redis: Redis;
  let queue: Queue<ScoreJobData>;
  let chain: LocalChain;
  let hotkey: string;
  const children: ChildProcess[] = [];

  const startRedis = async () => {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    );
    children.push(child);
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    probe.on('error', () => {});
    await until('redis-server up', async () => {
      try {
        if (probe.status !== 'ready') await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        probe.disconnect();
        return false;
      }
    });
    probe.disconnect();
    return child;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dojo-validator-aof-'));
    port = await freePort();
    redisServer = await startRedis();
    redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: null });
    redis.on('error', () => {}); // expected while the server is down; commands wait for the reconnect
    chain = await LocalChain.connect({ redis, namespace: 'lc:aof:', blockMs: 500 });
    await chain.createSubnet(1);
    const w = await createWallet({ walletPath: dir, name: 'validator' }, null);
    hotkey = w.hotkey.ss58Address;
    await chain.registerNeuron(1, { hotkey, stakeTao: 50_000 });
  }, 60_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  it('reconnects after a SIGKILL of redis-server and scores every request exactly once', async () => {
    const keys = storeKeys('aoftest', 1, hotkey);
    queue = openScoringQueue(redis, keys.bullPrefix);
    queue.on('error', () => {});
    const apiPort = await freePort();
    validator = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        'src/main.ts',
        '--validator.role',
        'worker',
        '--netuid',
        '1',
        '--subtensor.network',
        'local',
        '--localchain.chain_id',
        'aof',
        '--wallet.path',
        dir,
        '--wallet.name',
        'validator',
        '--redis.url',
        `redis://127.0.0.1:${port}`,
        '--redis.prefix',
        'aoftest',
        '--api.host',
        '127.0.0.1',
        '--api.port',
        String(apiPort),
        '--audit.fraction',
        '0',
        '--hf.offline',
        '--jobs.concurrency',
        '2',
        '--jobs.lock_ms',
        '2000',
        '--jobs.stalled_interval_ms',
        '1000',
        '--logging.level',
        'silent',
      ],
      { cwd: APP_DIR, env: { ...process.env }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    children.push(validator);
    await until('validator API', async () => (await fetch(`http://127.0.0.1:${apiPort}/status`)).ok);

    const hotkeys = Array.from({ length: 6 }, (_, i) => `miner-${i}`);
    const ids: string[] = [];
    const add = async (n: number, deadlineInMs: number) => {
      for (let i = 0; i < n; i++) {
        const id = `aof-${randomUUID()}`;
        ids.push(id);
        const now = Date.now();
        await saveRequest(
          redis,
          keys,
          queue,
          makeEntry(id, hotkeys.slice(0, 3 + (i % 3)), { deadlineMs: now + deadlineInMs }),
          now,
        );
      }
    };
    await add(30, 300);
    await until('some requests scored', async () => (await getRankingState(redis, keys)).scored >= 5);

    // kill Redis mid-run; keep producing requests while it is down (the client queues them until it is back)
    redisServer.kill('SIGKILL');
    await exited(redisServer);
    const duringOutage = add(10, 500);
    await new Promise((r) => setTimeout(r, 1500));
    redisServer = await startRedis();
    await duringOutage;
    await add(10, 200);

    await until(
      'every request scored',
      async () => (await pendingCount(redis, keys)) === 0 && (await getRankingState(redis, keys)).scored === ids.length,
    );
    const state = await getRankingState(redis, keys);
    expect(state.scored).toBe(50);
    expect(state.dropped).toBe(0);
    const history = await redis.xrange(keys.history, '-', '+');
    const scoredIds = history.map(([, f]) => (JSON.parse(f[1] as string) as { request_id: string }).request_id);
    expect(scoredIds.length).toBe(50);
    expect(new Set(scoredIds)).toEqual(new Set(ids));
    for (const id of ids) expect(await redis.exists(keys.scored(id))).toBe(1);
    // the validator process survived the outage and still answers
    expect(validator.exitCode).toBeNull();
    const status = (await (await fetch(`http://127.0.0.1:${apiPort}/status`)).json()) as { scored: number };
    expect(status.scored).toBe(50);
    validator.kill('SIGTERM');
    await exited(validator);
    expect(validator.exitCode).toBe(0);
    await queue.close();
    await chain.close().catch(() => {});
  }, 80_000);
});
