import { randomUUID } from 'node:crypto';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TxResult } from '../chain.js';
import { InvalidAxonError, NotRegisteredError } from '../errors.js';
import { LocalChainError } from './errors.js';
import { LocalChain } from './local-chain.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let redis: Redis;
const chains: LocalChain[] = [];
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
let pairs: KeyringPair[] = [];

beforeAll(async () => {
  await cryptoWaitReady();
  redis = new Redis(REDIS_URL);
  pairs = Array.from({ length: 8 }, (_, i) => keyring.addFromUri(`//dojo-local-${i}`));
});
afterEach(async () => {
  for (const c of chains.splice(0)) {
    await c.reset();
    await c.close();
  }
});
afterAll(async () => {
  await redis.quit();
});

async function chain(options: { blockMs?: number; produceBlocks?: boolean; allowLoopbackAxons?: boolean } = {}) {
  const c = await LocalChain.connect({
    redis,
    namespace: `test:chain:${randomUUID()}:`,
    produceBlocks: false,
    blockMs: 100,
    ...options,
  });
  chains.push(c);
  return c;
}

function p(i: number): KeyringPair {
  const pair = pairs[i];
  if (!pair) throw new Error(`no pair ${i}`);
  return pair;
}

function dispatchName(r: TxResult): string | undefined {
  return r.error?.kind === 'dispatch' ? r.error.name : undefined;
}

function poolCode(r: TxResult): number | undefined {
  return r.error?.kind === 'pool' ? r.error.code : undefined;
}

/** Subnet 1: validators p0 (stake 100, permit) and p1 (stake 300, permit), miners p2, p3 (no permit). */
async function standardSubnet(c: LocalChain, extra: Parameters<LocalChain['createSubnet']>[1] = {}) {
  await c.createSubnet(1, { tempo: 4, weightsRateLimit: 3, servingRateLimit: 5, ...extra });
  await c.registerNeuron(1, { hotkey: p(0).address, stakeTao: 100, validatorPermit: true });
  await c.registerNeuron(1, { hotkey: p(1).address, stakeTao: 300, validatorPermit: true });
  await c.registerNeuron(1, { hotkey: p(2).address, validatorPermit: false });
  await c.registerNeuron(1, { hotkey: p(3).address, validatorPermit: false });
}

describe('LocalChain admin and reads', () => {
  it('registers hotkeys with consecutive uids, idempotently, and reads them back in the metagraph', async () => {
    const c = await chain();
    await standardSubnet(c);
    expect(await c.registerNeuron(1, { hotkey: p(1).address, stakeTao: 1 })).toEqual({ uid: 1, created: false });
    const mg = await c.metagraph(1);
    expect(mg.n).toBe(4);
    expect(mg.hotkeys).toEqual([p(0).address, p(1).address, p(2).address, p(3).address]);
    expect(mg.S).toEqual([100, 300, 0, 0]);
    expect(mg.validatorPermit).toEqual([true, true, false, false]);
    expect(await c.uidOf(1, p(3).address)).toBe(3);
    expect(await c.uidOf(1, p(4).address)).toBeNull();
    expect((await c.hyperparams(1)).tempo).toBe(4);
    expect((await c.hyperparams(1)).commitRevealEnabled).toBe(false);
  });

  it('refuses unknown subnets, full subnets and unknown hyperparameters', async () => {
    const c = await chain();
    await c.createSubnet(2, { maxAllowedUids: 1 });
    expect(await c.createSubnet(2)).toBe(false);
    await c.registerNeuron(2, { hotkey: p(0).address });
    const full = await c.registerNeuron(2, { hotkey: p(1).address }).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(LocalChainError);
    expect((full as LocalChainError).reason).toBe('SubnetFull');
    const missing = await c.registerNeuron(9, { hotkey: p(1).address }).catch((e: unknown) => e);
    expect((missing as LocalChainError).reason).toBe('SubnetNotFound');
    await expect(c.hyperparams(9)).rejects.toBeInstanceOf(LocalChainError);
    await expect(c.createSubnet(3, { bogus: 1 } as never)).rejects.toBeInstanceOf(LocalChainError);
    await expect(LocalChain.connect({ redis, blockMs: 50 })).rejects.toBeInstanceOf(LocalChainError);
    const prefixed = new Redis(REDIS_URL, { keyPrefix: 'x:', lazyConnect: true });
    await expect(LocalChain.connect({ redis: prefixed, namespace: 'test:chain:never:' })).rejects.toBeInstanceOf(
      LocalChainError,
    );
    prefixed.disconnect();
  });
});

describe('set_weights checks (§7.2, pool codes §2)', () => {
  it('accepts valid weights, stores the max-upscaled row and sets LastUpdate', async () => {
    const c = await chain();
    await standardSubnet(c);
    const block = await c.advanceBlocks(1);
    const r = await c.setWeights(p(0), 1, [2, 3], [100, 50], 0);
    expect(r.ok).toBe(true);
    expect(r.events).toEqual([{ section: 'subtensorModule', method: 'WeightsSet', data: [1, 0] }]);
    expect((await c.lastUpdate(1))[0]).toBe(block);
    const rows = await redis.hget(`${c.namespace}subnet:1:weights`, '0');
    expect(JSON.parse(rows ?? '')).toEqual([
      [2, 65535],
      [3, 32768],
    ]);
  });

  it('reaches every error in order', async () => {
    const c = await chain();
    await standardSubnet(c, { weightsVersionKey: 5, minAllowedWeights: 2 });
    await c.createSubnet(0);
    await c.registerNeuron(0, { hotkey: p(0).address, stakeTao: 1, validatorPermit: true });
    await c.createSubnet(4, { commitRevealEnabled: true });
    await c.registerNeuron(4, { hotkey: p(0).address, stakeTao: 1, validatorPermit: true });
    await c.advanceBlocks(1);
    const expectName = async (r: Promise<TxResult>, name: string) => expect(dispatchName(await r)).toBe(name);
    await expectName(c.setWeights(p(0), 9, [1], [1], 5), 'MechanismDoesNotExist');
    await expectName(c.setWeights(p(0), 4, [1], [1], 5), 'CommitRevealEnabled');
    await expectName(c.setWeights(p(0), 0, [0], [1], 5), 'CanNotSetRootNetworkWeights');
    await expectName(c.setWeights(p(0), 1, [2, 3], [1], 5), 'WeightVecNotEqualSize');
    await expectName(c.setWeights(p(0), 1, [0, 1, 2, 3, 0], [1, 1, 1, 1, 1], 5), 'UidsLengthExceedUidsInSubNet');
    await expectName(c.setWeights(p(5), 1, [2, 3], [1, 1], 5), 'HotKeyNotRegisteredInSubNet');
    await expectName(c.setWeights(p(0), 1, [2, 3], [1, 1], 4), 'IncorrectWeightVersionKey');
    await expectName(c.setWeights(p(2), 1, [0, 3], [1, 1], 5), 'NeuronNoValidatorPermit');
    await expectName(c.setWeights(p(0), 1, [2, 2], [1, 1], 5), 'DuplicateUids');
    await expectName(c.setWeights(p(0), 1, [2, 7], [1, 1], 5), 'UidVecContainInvalidOne');
    await expectName(c.setWeights(p(0), 1, [2], [1], 5), 'WeightVecLengthIsLow');
    await c.setHyperparameter(1, 'maxWeightsLimit', 40000);
    await expectName(c.setWeights(p(0), 1, [2, 3], [1, 1], 5), 'MaxWeightExceeded');
    // a miner's self-weight needs no permit and is exempt from the minimum length and max-weight checks
    expect((await c.setWeights(p(2), 1, [2], [1], 5)).ok).toBe(true);
  });

  it('rejects in the pool: stake below StakeThreshold (1) and the weights rate limit (6)', async () => {
    const c = await chain();
    await standardSubnet(c);
    await c.advanceBlocks(1);
    await c.setStakeThreshold(200n * 10n ** 9n);
    expect(poolCode(await c.setWeights(p(0), 1, [2], [1], 0))).toBe(1);
    await c.setStakeThreshold(0n);
    expect((await c.setWeights(p(0), 1, [2], [1], 0)).ok).toBe(true);
    const r = await c.setWeights(p(0), 1, [3], [1], 0);
    expect(r.error).toEqual({ kind: 'pool', code: 6, message: 'weights rate limit: wait for the next window' });
    await c.advanceBlocks(2);
    expect(poolCode(await c.setWeights(p(0), 1, [3], [1], 0))).toBe(6);
    await c.advanceBlocks(1);
    expect((await c.setWeights(p(0), 1, [3], [1], 0)).ok).toBe(true);
  });

  it('post-processes float weights in emitWeights (§8) before set_weights', async () => {
    const c = await chain();
    await standardSubnet(c);
    await c.advanceBlocks(1);
    await expect(c.emitWeights(p(6), 1, [2], [1], 0)).rejects.toBeInstanceOf(NotRegisteredError);
    const r = await c.emitWeights(p(1), 1, [0, 1, 2, 3], [0, 0, 0.25, 0.75], 0);
    expect(r.ok).toBe(true);
    const row = await redis.hget(`${c.namespace}subnet:1:weights`, '1');
    expect(JSON.parse(row ?? '')).toEqual([
      [2, 21845],
      [3, 65535],
    ]);
  });
});

describe('serve_axon checks (§7.4)', () => {
  it('serves, skips an unchanged axon and enforces codes 10 / 255 / 11 / 12 / 13', async () => {
    const c = await chain({ allowLoopbackAxons: false });
    await standardSubnet(c);
    await c.advanceBlocks(1);
    const ok = await c.serveAxon(p(2), 1, { ip: '10.0.0.2', port: 8091, version: 1000 });
    expect(ok.ok).toBe(true);
    expect(ok.events[0]?.method).toBe('AxonServed');
    expect(await c.axonInfo(1, p(2).address)).toMatchObject({ ip: '10.0.0.2', port: 8091, ipType: 4, protocol: 4 });
    expect((await c.metagraph(1)).isServing(2)).toBe(true);
    expect(await c.serveAxon(p(2), 1, { ip: '10.0.0.2', port: 8091, version: 1000 })).toMatchObject({
      ok: true,
      skipped: 'unchanged',
    });
    const raw = (i: number, params: { ip: string; port: number; version: number; ipType?: 4 | 6 }) =>
      c.serveAxonExtrinsic(p(i), 1, params).then(poolCode);
    expect(await raw(5, { ip: '10.0.0.5', port: 1, version: 1 })).toBe(10);
    expect(await raw(3, { ip: '10.0.0.3', port: 1, version: 1, ipType: 5 as 4 })).toBe(255);
    expect(await raw(3, { ip: '127.0.0.1', port: 1, version: 1 })).toBe(11);
    expect(await raw(3, { ip: '255.255.255.255', port: 1, version: 1 })).toBe(11);
    expect(await raw(3, { ip: 'not-an-ip', port: 1, version: 1 })).toBe(11);
    expect(await raw(3, { ip: '10.0.0.3', port: 0, version: 1 })).toBe(13);
    expect(poolCode(await c.serveAxon(p(2), 1, { ip: '10.0.0.2', port: 9000, version: 1000 }))).toBe(12);
    // the high-level call refuses like SubtensorChain before submitting
    await expect(c.serveAxon(p(5), 1, { ip: '10.0.0.5', port: 1, version: 1 })).rejects.toBeInstanceOf(
      NotRegisteredError,
    );
    await expect(c.serveAxon(p(3), 1, { ip: '10.0.0.3', port: 0, version: 1 })).rejects.toBeInstanceOf(
      InvalidAxonError,
    );
    await expect(c.serveAxon(p(3), 1, { ip: 'not-an-ip', port: 1, version: 1 })).rejects.toBeInstanceOf(
      InvalidAxonError,
    );
    await expect(c.serveAxon(p(3), 1, { ip: '127.0.0.1', port: 1, version: 1 })).rejects.toBeInstanceOf(
      InvalidAxonError,
    );
    await c.advanceBlocks(5);
    expect((await c.serveAxon(p(2), 1, { ip: '10.0.0.2', port: 9000, version: 1000 })).ok).toBe(true);
  });

  it('accepts loopback axons by default so one machine can run a whole network', async () => {
    const c = await chain();
    await standardSubnet(c);
    expect((await c.serveAxon(p(2), 1, { ip: '127.0.0.1', port: 8091, version: 1 })).ok).toBe(true);
  });
});

describe('epochs (§13.5)', () => {
  it('computes stake-weighted incentive, dividends and emission after a tempo', async () => {
    const c = await chain();
    await standardSubnet(c, { emissionPerBlockRao: 1e9 });
    await c.advanceBlocks(1);
    expect((await c.setWeights(p(0), 1, [2], [1], 0)).ok).toBe(true); // S=100 → all on uid 2
    expect((await c.setWeights(p(1), 1, [2, 3], [1, 1], 0)).ok).toBe(true); // S=300 → half/half
    // tempo 4, netuid 1: the epoch runs at blocks with (b + 2) % 5 == 4, i.e. block 2
    await c.advanceBlocks(1);
    const mg = await c.metagraph(1);
    expect(mg.block).toBe(2);
    expect(mg.incentive[2]).toBeCloseTo((100 + 150) / 400, 12);
    expect(mg.incentive[3]).toBeCloseTo(150 / 400, 12);
    expect(mg.consensus).toEqual(mg.incentive);
    expect(mg.dividends[0]).toBeCloseTo(0.25, 12);
    expect(mg.dividends[1]).toBeCloseTo(0.75, 12);
    // 5 blocks × 1 TAO: half by incentive, half by dividends
    expect(mg.emission[2]).toBeCloseTo(2.5 * 0.625, 9);
    expect(mg.emission[1]).toBeCloseTo(2.5 * 0.75, 9);
    expect(mg.emission.reduce((a, b) => a + b, 0)).toBeCloseTo(5, 6);
    expect((await c.events(5)).map((e) => e.method)).toContain('EpochRun');
  });

  it('grants unpinned validator permits to the top stakes, up to maxValidators', async () => {
    const c = await chain();
    await c.createSubnet(1, { tempo: 4, maxValidators: 1 });
    await c.registerNeuron(1, { hotkey: p(0).address, stakeTao: 5 });
    await c.registerNeuron(1, { hotkey: p(1).address, stakeTao: 50 });
    await c.advanceBlocks(2);
    expect((await c.metagraph(1)).validatorPermit).toEqual([false, true]);
    await c.setStake(1, p(0).address, { tao: 500 });
    await c.advanceBlocks(5);
    expect((await c.metagraph(1)).validatorPermit).toEqual([true, false]);
  });
});

describe('commit-reveal on LocalChain (§13.6, §10.1)', () => {
  it('commits a timelocked payload and reveals it in the reveal epoch with the local beacon', async () => {
    const c = await chain();
    await standardSubnet(c, { commitRevealEnabled: true, tempo: 4 });
    await c.advanceBlocks(1);
    const r = await c.emitWeights(p(0), 1, [2, 3], [1, 3], 0);
    expect(r.ok).toBe(true);
    expect(r.events[0]?.method).toBe('TimelockedWeightsCommitted');
    expect(dispatchName(await c.emitWeights(p(0), 1, [2, 3], [1, 3], 0))).toBe('CommittingWeightsTooFast');
    // commit at block 1 (epoch floor(3/5) = 0) → reveal epoch 1 starts at block 3
    await c.advanceBlocks(1);
    expect((await c.events(10)).some((e) => e.method === 'TimelockedWeightsRevealed')).toBe(false);
    await c.advanceBlocks(1);
    const revealed = (await c.events(10)).find((e) => e.method === 'TimelockedWeightsRevealed');
    expect(revealed).toMatchObject({ block: 3, data: [1, 0] });
    await c.advanceBlocks(5);
    expect((await c.metagraph(1)).incentive[3]).toBeCloseTo(0.75, 4);
  });

  it('reaches the commit errors: 1, 15, CommitRevealDisabled, version, registration, TooManyUnrevealedCommits', async () => {
    const c = await chain();
    const ns = c.namespace;
    await redis.hset(`${ns}config`, 'genesisUnix', String(Math.floor(Date.now() / 1000) - 300));
    await standardSubnet(c, { commitRevealEnabled: true, weightsRateLimit: 0 });
    await c.createSubnet(5);
    await c.registerNeuron(5, { hotkey: p(0).address, stakeTao: 1 });
    const commit = new Uint8Array(64).fill(1);
    expect(poolCode(await c.commitTimelockedWeights(p(0), 1, commit, 50))).toBe(15);
    await c.setStakeThreshold(10n ** 15n);
    expect(poolCode(await c.commitTimelockedWeights(p(0), 1, commit, 10_000_000))).toBe(1);
    await c.setStakeThreshold(0n);
    expect(dispatchName(await c.commitTimelockedWeights(p(0), 5, commit, 10_000_000))).toBe('CommitRevealDisabled');
    expect(dispatchName(await c.commitTimelockedWeights(p(0), 1, commit, 10_000_000, 3))).toBe(
      'IncorrectCommitRevealVersion',
    );
    expect(dispatchName(await c.commitTimelockedWeights(p(5), 1, commit, 10_000_000))).toBe(
      'HotKeyNotRegisteredInSubNet',
    );
    for (let i = 0; i < 10; i++) expect((await c.commitTimelockedWeights(p(0), 1, commit, 10_000_000)).ok).toBe(true);
    expect(dispatchName(await c.commitTimelockedWeights(p(0), 1, commit, 10_000_000))).toBe('TooManyUnrevealedCommits');
    // undecryptable commits are dropped at reveal instead of blocking the queue
    await c.advanceBlocks(12);
    expect(await redis.hlen(`${ns}subnet:1:commits`)).toBe(0);
  });

  it('applies the §7.2 checks at reveal: a validator that lost its stake is refused', async () => {
    const c = await chain();
    await standardSubnet(c, { commitRevealEnabled: true });
    await c.advanceBlocks(1);
    expect((await c.emitWeights(p(0), 1, [2, 3], [1, 1], 0)).ok).toBe(true);
    await c.setStakeThreshold(10n ** 12n);
    await c.setStake(1, p(0).address, { tao: 0 });
    await c.advanceBlocks(2);
    expect(await redis.hlen(`${c.namespace}subnet:1:commits`)).toBe(0);
    expect((await c.events(20)).some((e) => e.method === 'TimelockedWeightsRevealed')).toBe(false);
    expect(await redis.hget(`${c.namespace}subnet:1:weights`, '0')).toBeNull();
  });
});

describe('block production (§13.3)', () => {
  it('has exactly one producer among several processes and fails over when it stops', async () => {
    const ns = `test:chain:${randomUUID()}:`;
    const a = await LocalChain.connect({ redis: REDIS_URL, namespace: ns, blockMs: 100 });
    const b = await LocalChain.connect({ redis: REDIS_URL, namespace: ns, blockMs: 100 });
    const watcher = await LocalChain.connect({ redis: REDIS_URL, namespace: ns, produceBlocks: false });
    chains.push(watcher);
    const seen: number[] = [];
    await watcher.onNewBlock((n) => seen.push(n));
    expect(watcher.blockMs).toBe(100);
    while (seen.length < 6) await new Promise((r) => setTimeout(r, 50));
    const producers = [await a.isProducer(), await b.isProducer()];
    expect(producers.filter(Boolean)).toHaveLength(1);
    const [first, second] = producers[0] ? [a, b] : [b, a];
    await first.close();
    const mark = seen.length;
    while (seen.length < mark + 4) await new Promise((r) => setTimeout(r, 50));
    expect(await second.isProducer()).toBe(true);
    await second.close();
    // every block was produced once, in order, across the hand-over
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => (seen[0] ?? 0) + i));
  });
});
