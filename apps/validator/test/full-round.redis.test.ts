/**
 * A full round on LocalChain with real processes: the validator (src/main.ts, role all), the real miner app
 * (apps/miner/src/main.ts, `llm_api` against a local OpenAI-compatible server) and a minimal test miner built from
 * @dojo-ts/neuron's axon (src/test-utils/miner-process.ts, which records the RankingResults it receives). Requests go
 * out, replies are stored, the (shortened) deadline fires, results carry only the receiver's own score, chunking
 * rounds run, and weights appear on the LocalChain.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWallet, LocalChain } from '@dojo-ts/chain';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKeys } from '../src/store/keys.js';
import { getChunkScores, getRankingState } from '../src/store/state-store.js';
import { deleteKeys, newRedis, REDIS_URL, testPrefix } from '../src/test-utils/helpers.js';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const NETUID = 1;

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

function run(script: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script, ...args], {
    cwd: APP_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function waitForLine(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.startsWith(prefix));
      if (line) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before '${prefix}': ${err}`)));
  });
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, limitMs = 60_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('full round on LocalChain with validator and miner processes', () => {
  const prefix = testPrefix();
  const chainId = `test-validator-${randomUUID()}`;
  const namespace = `lc:${chainId}:`;
  let redis: Redis;
  let chain: LocalChain;
  let walletPath: string;
  const children: ChildProcess[] = [];
  const minerHotkeys: string[] = [];
  let validatorHotkey = '';
  let apiPort = 0;
  let llm: FastifyInstance;
  let llmCalls = 0;

  beforeAll(async () => {
    redis = newRedis();
    // Local stand-in for an OpenAI-compatible chat API (the real miner's llm_api scorer talks to it through the openai
    // SDK): scores each completion block by its length.
    llm = Fastify();
    llm.post('/v1/chat/completions', async (req) => {
      llmCalls++;
      const body = req.body as { model: string; messages: Array<{ role: string; content: string }> };
      const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
      // one block per completion: a "#<cid>" header line, then the completion (as @dojo-ts/models renders it)
      const blocks = [...user.matchAll(/#([0-9a-f-]{36})\n(.*)\n/g)];
      const scores = blocks.map(([, cid, text]) => ({
        completion_id: cid,
        score: Math.min(1, (text ?? '').length / 400),
      }));
      return {
        id: 'chatcmpl-local',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          { index: 0, message: { role: 'assistant', content: JSON.stringify({ scores }) }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      };
    });
    const llmUrl = await llm.listen({ host: '127.0.0.1', port: 0 });
    walletPath = await mkdtemp(join(tmpdir(), 'dojo-validator-wallets-'));
    chain = await LocalChain.connect({ redis, namespace, blockMs: 200 });
    await chain.createSubnet(NETUID, { weightsRateLimit: 2, servingRateLimit: 0 });
    const v = await createWallet({ walletPath, name: 'validator' }, null);
    validatorHotkey = v.hotkey.ss58Address;
    await chain.registerNeuron(NETUID, { hotkey: validatorHotkey, stakeTao: 50_000 });
    for (let i = 0; i < 2; i++) {
      const m = await createWallet({ walletPath, name: `miner${i}` }, null);
      minerHotkeys.push(m.hotkey.ss58Address);
      await chain.registerNeuron(NETUID, { hotkey: m.hotkey.ss58Address, stakeTao: 10 });
    }
    // miner0: the minimal test miner (records the RankingResults it gets); miner1: the real apps/miner process
    const miners = [
      run('src/test-utils/miner-process.ts', [], {
        REDIS_URL,
        LC_NAMESPACE: namespace,
        NETUID: String(NETUID),
        WALLET_PATH: walletPath,
        WALLET_NAME: 'miner0',
        RECORD_PREFIX: `${prefix}:miner`,
        BIAS: '0.2',
      }),
      run(
        '../miner/src/main.ts',
        [
          '--netuid',
          String(NETUID),
          '--subtensor.network',
          'local',
          '--localchain.chain_id',
          chainId,
          '--wallet.path',
          walletPath,
          '--wallet.name',
          'miner1',
          '--axon.ip',
          '127.0.0.1',
          '--axon.port',
          String(await freePort()),
          '--api.host',
          '127.0.0.1',
          '--api.port',
          String(await freePort()),
          '--scoring_method',
          'llm_api',
          '--llm_provider',
          'openai',
          '--llm_base_url',
          `${llmUrl}/v1`,
          '--model_name',
          'local-test-model',
          '--redis.url',
          REDIS_URL,
          '--redis.prefix',
          `${prefix}:realminer`,
          '--neuron.epoch_length',
          '3',
          '--logging.level',
          'warn',
        ],
        { OPENAI_API_KEY: 'local-test-key' },
      ),
    ];
    children.push(...miners);
    const realMinerUp = (async () => {
      const uid = (await chain.uidOf(NETUID, minerHotkeys[1] as string)) as number;
      await until(
        'real miner axon served',
        async () => ((await chain.metagraph(NETUID)).axons[uid]?.port ?? 0) > 0,
        80_000,
      );
    })();
    const minersReady = Promise.all([waitForLine(miners[0] as ChildProcess, 'ready'), realMinerUp]);
    apiPort = await freePort();
    const validator = run(
      'src/main.ts',
      [
        '--netuid',
        String(NETUID),
        '--subtensor.network',
        'local',
        '--localchain.chain_id',
        chainId,
        '--wallet.path',
        walletPath,
        '--wallet.name',
        'validator',
        '--redis.url',
        REDIS_URL,
        '--redis.prefix',
        prefix,
        '--axon.ip',
        '127.0.0.1',
        '--axon.port',
        String(await freePort()),
        '--api.host',
        '127.0.0.1',
        '--api.port',
        String(apiPort),
        '--scoring.deadline_s',
        '1',
        '--neuron.query_interval_s',
        '0.5',
        '--neuron.epoch_length',
        '3',
        '--chunking.interval_s',
        '0.5',
        '--embedder',
        'deterministic',
        '--datasets.source',
        'bundled',
        '--hf.offline',
        '--audit.fraction',
        '0',
        '--seed',
        '42',
        '--logging.level',
        'warn',
      ],
      { DOJO_API_TOKEN: '' },
    );
    children.push(validator);
    await minersReady;
    await until('validator API', async () => {
      try {
        return (await fetch(`http://127.0.0.1:${apiPort}/status`)).ok;
      } catch {
        return false;
      }
    });
  }, 90_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) =>
        c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null,
      ),
    );
    await llm.close();
    await chain.reset().catch(() => {});
    await chain.close();
    await deleteKeys(redis, prefix);
    await deleteKeys(redis, namespace);
    redis.disconnect();
    await rm(walletPath, { recursive: true, force: true });
  });

  it('sends requests, stores replies, scores them at the deadline, sends own-score results and sets weights', async () => {
    const keys = storeKeys(prefix, NETUID, validatorHotkey);
    // requests out: every miner was queried
    await until('miners queried', async () => {
      const count = await redis.get(`${prefix}:miner:${minerHotkeys[0]}:requests`);
      return Number(count) >= 2 && llmCalls >= 1;
    });
    // deadline fired: scored requests in the history with every miner's reply
    // (the validator starts alongside the miners, so its first request may reach only the miner that served first)
    const first = await until('a scored request with both replies', async () => {
      const entries = await redis.xrange(keys.history, '-', '+');
      const records = entries.map(
        ([, f]) => JSON.parse(f[1] as string) as { num_responses: number; hotkey_to_score: Record<string, number> },
      );
      return records.find((r) => r.num_responses === 2) ?? null;
    });
    expect(first.num_responses).toBe(2);
    expect(Object.keys(first.hotkey_to_score).sort()).toEqual([...minerHotkeys].sort());
    const sum = Object.values(first.hotkey_to_score).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 9);
    const state = await getRankingState(redis, keys);
    for (const h of minerHotkeys) expect(state.scores[state.hotkeys.indexOf(h)]).toBeGreaterThan(0);
    expect(state.scores[state.hotkeys.indexOf(validatorHotkey)]).toBe(0);
    // D15: each miner received results carrying only its own score
    for (const h of minerHotkeys.slice(0, 1)) {
      const results = await until(`results for ${h}`, async () => {
        const r = await redis.lrange(`${prefix}:miner:${h}:results`, 0, -1);
        return r.length > 0 ? r : null;
      });
      for (const r of results) expect(Object.keys(JSON.parse(r) as object)).toEqual([h]);
    }
    // chunking rounds gave every miner a rank score
    const chunk = await until('chunking scores', async () => {
      const mg = await chain.metagraph(NETUID);
      const s = await getChunkScores(redis, keys, mg.n);
      return minerHotkeys.every((h) => s[mg.hotkeys.indexOf(h)] !== null) ? s : null;
    });
    expect(chunk.filter((s) => s !== null)).toHaveLength(2);
    // weights appear on the LocalChain
    const vUid = (await chain.uidOf(NETUID, validatorHotkey)) as number;
    await until('weights on chain', async () => ((await chain.lastUpdate(NETUID))[vUid] ?? 0) > 0);
    const weightKeys = await redis.keys(`${namespace}*weights*`);
    const rows = (await Promise.all(weightKeys.map((k) => redis.hget(k, String(vUid))))).filter((r) => r !== null);
    expect(rows.length).toBeGreaterThan(0);
    const row = JSON.parse(rows[0] as string) as Array<[number, number]>;
    const minerUids = await Promise.all(minerHotkeys.map((h) => chain.uidOf(NETUID, h)));
    expect(row.map(([uid]) => uid).sort()).toEqual([...minerUids].sort());
    expect(Math.max(...row.map(([, w]) => w))).toBe(65535);
    const status = (await (await fetch(`http://127.0.0.1:${apiPort}/status`)).json()) as {
      scored: number;
      role: string;
    };
    expect(status.role).toBe('all');
    expect(status.scored).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
