import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { blake2AsU8a, cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalChain } from './local-chain.js';
import type { StoredNeuron } from './records.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PKG = join(import.meta.dirname, '../..');
let redis: Redis;

beforeAll(async () => {
  await cryptoWaitReady();
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await redis.quit();
});

function worker(args: string[]): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'test/local-chain-worker.ts', REDIS_URL, ...args],
    { cwd: PKG, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(err);
      resolve(code);
    }),
  );
  return { child, lines, exited };
}

/** The invariants every reachable state satisfies: uids 0..n−1, hotkey ↔ uid both ways, rows point at valid uids. */
async function checkConsistent(ns: string): Promise<{ n: number; neurons: StoredNeuron[] }> {
  const uids = await redis.hgetall(`${ns}subnet:1:uids`);
  const raw = await redis.hgetall(`${ns}subnet:1:neurons`);
  const neurons = Object.values(raw).map((j) => JSON.parse(j) as StoredNeuron);
  const n = neurons.length;
  expect(Object.keys(uids)).toHaveLength(n);
  expect(neurons.map((x) => x.uid).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  for (const x of neurons) expect(uids[x.hotkey]).toBe(String(x.uid));
  for (const [uid, row] of Object.entries(await redis.hgetall(`${ns}subnet:1:weights`))) {
    expect(Number(uid)).toBeLessThan(n);
    for (const [dest] of JSON.parse(row) as number[][]) expect(dest).toBeLessThan(n);
  }
  return { n, neurons };
}

describe('LocalChain shared by OS processes', () => {
  it('two processes registering and setting weights at once lose and duplicate nothing', async () => {
    const ns = `test:chain:${randomUUID()}:`;
    const admin = await LocalChain.connect({ redis, namespace: ns, produceBlocks: false, blockMs: 100 });
    try {
      await admin.createSubnet(1, { weightsRateLimit: 0, maxAllowedUids: 4096 });
      const a = worker([ns, 'register', 'a', '0', '60']);
      const b = worker([ns, 'register', 'b', '30', '90']);
      while (!a.lines.includes('ready') || !b.lines.includes('ready')) await new Promise((r) => setTimeout(r, 10));
      await redis.set(`${ns}go`, '1');
      expect(await a.exited).toBe(0);
      expect(await b.exited).toBe(0);
      const { n, neurons } = await checkConsistent(ns);
      expect(n).toBe(90 + 10);
      const registered = (await admin.events(1000)).filter((e) => e.method === 'NeuronRegistered');
      expect(registered).toHaveLength(100);
      for (let i = 0; i < 90; i++)
        expect(await admin.uidOf(1, encodeAddress(blake2AsU8a(`miner-${i}`), 42))).not.toBeNull();
      const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
      for (const tag of ['a', 'b']) {
        for (let j = 0; j < 5; j++) {
          const uid = await admin.uidOf(1, keyring.addFromUri(`//${tag}-val-${j}`).address);
          const row = JSON.parse((await redis.hget(`${ns}subnet:1:weights`, String(uid))) ?? '[]') as number[][];
          expect(row).toEqual([
            [9, Math.floor((10 * 65535) / 100 + 0.5)],
            [10 + j, 65535],
          ]);
        }
      }
      expect((await admin.events(1000)).filter((e) => e.method === 'WeightsSet')).toHaveLength(100);
      expect(neurons.filter((x) => x.validatorPermit)).toHaveLength(10);
    } finally {
      await admin.reset();
      await admin.close();
    }
  }, 60_000);

  it('a writer killed mid-way leaves a consistent state that others keep using', async () => {
    const ns = `test:chain:${randomUUID()}:`;
    const admin = await LocalChain.connect({ redis, namespace: ns, produceBlocks: false, blockMs: 100 });
    try {
      await admin.createSubnet(1, { weightsRateLimit: 0, maxAllowedUids: 4096 });
      const w = worker([ns, 'churn', 'c']);
      while (w.lines.length < 25) await new Promise((r) => setTimeout(r, 20));
      w.child.kill('SIGKILL');
      await w.exited;
      const { n } = await checkConsistent(ns);
      expect(n).toBeGreaterThanOrEqual(26);
      expect((await admin.registerNeuron(1, { hotkey: encodeAddress(blake2AsU8a('after'), 42) })).uid).toBe(n);
      await checkConsistent(ns);
    } finally {
      await admin.reset();
      await admin.close();
    }
  }, 60_000);

  it('producer-main applies a YAML genesis, produces blocks and stops on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dojo-genesis-'));
    const chainId = `test-${randomUUID()}`;
    const ns = `lc:${chainId}:`;
    const genesisPath = join(dir, 'genesis.yaml');
    await writeFile(
      genesisPath,
      [
        `chain_id: ${chainId}`,
        'block_ms: 100',
        'subnets:',
        '  - netuid: 1',
        '    tempo: 3',
        '    weights_rate_limit: 2',
        '    neurons:',
        `      - wallet: { path: ${join(PKG, 'test/wallet-fixtures/wallets')}, name: fixture, hotkey: default }`,
        '        stake_tao: 10',
        '        validator_permit: true',
        `      - hotkey_ss58: ${encodeAddress(blake2AsU8a('genesis-miner'), 42)}`,
      ].join('\n'),
    );
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        'src/local-chain/producer-main.ts',
        '--redis.url',
        REDIS_URL,
        '--localchain.genesis',
        genesisPath,
      ],
      { cwd: PKG, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    while (Number(await redis.get(`${ns}block`)) < 4) await new Promise((r) => setTimeout(r, 50));
    const watcher = await LocalChain.connect({ redis, namespace: ns, produceBlocks: false });
    try {
      expect(watcher.blockMs).toBe(100);
      const mg = await watcher.metagraph(1);
      expect(mg.hotkeys[0]).toBe('5EHgWw2Af1pnoc7f1A8bfmM97W3DAYW8xr82RfhLL9oAabAe');
      expect(mg.coldkeys[0]).toBe('5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV');
      expect(mg.S).toEqual([10, 0]);
      expect((await watcher.hyperparams(1)).weightsRateLimit).toBe(2);
      expect(await watcher.isProducer()).toBe(false);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await redis.exists(`${ns}producer`)).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await watcher.reset();
      await watcher.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
