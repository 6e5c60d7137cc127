import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChainSigner, createWallet, LocalChain, loadHotkeyPair } from '@dojo-ts/chain';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotRegisteredError, ServeAxonError } from './errors.js';
import { MetagraphSync, requireRegistered, serveAxonWithRetries } from './sync.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = { info: () => {}, warn: () => {}, error: () => {} };

let redis: Redis;
let chain: LocalChain;
let pair: ChainSigner;
let dir: string;
const namespace = `lc:test-miner-sync-${randomUUID()}:`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dojo-miner-sync-'));
  await createWallet({ walletPath: dir, name: 'm', hotkey: 'h' }, null);
  pair = await loadHotkeyPair({ walletPath: dir, name: 'm', hotkey: 'h' });
  redis = new Redis(REDIS_URL);
  chain = await LocalChain.connect({ redis, namespace, produceBlocks: false });
  await chain.createSubnet(3);
});

afterAll(async () => {
  await chain.close();
  const keys = await redis.keys(`${namespace}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  rmSync(dir, { recursive: true, force: true });
});

describe('start-up against LocalChain', () => {
  it('requireRegistered throws NotRegisteredError naming the hotkey and what to do, then finds the uid once registered', async () => {
    const err = await requireRegistered(chain, 3, pair.address).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotRegisteredError);
    expect((err as Error).message).toContain(`hotkey ${pair.address} is not registered on netuid 3; register it first`);
    const { uid } = await chain.registerNeuron(3, { hotkey: pair.address });
    expect((await requireRegistered(chain, 3, pair.address)).uid).toBe(uid);
  });

  it('serveAxonWithRetries publishes the axon; a refused IP is retried with back-off then fails with ServeAxonError', async () => {
    const ok = await serveAxonWithRetries(
      chain,
      pair,
      3,
      { ip: '10.1.2.3', port: 9599, version: 7004000 },
      { sleep: async () => {} },
    );
    expect(ok.ok).toBe(true);
    expect(await chain.axonInfo(3, pair.address)).toMatchObject({ ip: '10.1.2.3', port: 9599 });
    const delays: number[] = [];
    const err = await serveAxonWithRetries(
      chain,
      pair,
      3,
      { ip: '255.255.255.255', port: 9599, version: 7004000 },
      { attempts: 4, random: () => 0.5, sleep: async (ms) => void delays.push(ms), log: silent },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServeAxonError);
    expect((err as Error).message).toMatch(/^serve_axon failed after 4 attempts/);
    // cap = min(24 s, 6 s·2^(n−1)); delay = 3 s + 0.5·(cap − 3 s)
    expect(delays).toEqual([4500, 7500, 13500]);
  });

  it('MetagraphSync re-reads the metagraph once epoch_length blocks have passed', async () => {
    const sync = new MetagraphSync(chain, 3, pair.address, 5, await chain.metagraph(3), silent);
    const before = sync.current;
    await chain.advanceBlocks(4);
    expect(await sync.sync()).toBe(false);
    expect(sync.current).toBe(before);
    await chain.registerNeuron(3, { hotkey: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty', stakeTao: 1 });
    await chain.advanceBlocks(1);
    expect(await sync.sync()).toBe(true);
    expect(sync.current.n).toBe(before.n + 1);
  });
});
