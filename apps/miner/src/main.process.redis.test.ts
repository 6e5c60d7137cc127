import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWallet, LocalChain } from '@dojo-ts/chain';
import { dojoChatResponder, type OpenAiServer, startOpenAiCompatibleServer } from '@dojo-ts/local-services';
import { createSr25519Signer, Dendrite } from '@dojo-ts/neuron';
import { ChunkSynapseDef, RankingRequestDef } from '@dojo-ts/protocol';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const NETUID = 7;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

interface Spawned {
  child: ChildProcess;
  lines: string[];
  exit: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

function spawnMiner(args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (l: string) => void }> = [];
  const onData = (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (line === '') continue;
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exit,
    waitFor(pattern, timeoutMs = 45_000) {
      const found = lines.find((l) => pattern.test(l));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${pattern}; output:\n${lines.join('\n')}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      });
    },
  };
}

describe('miner process (main.ts) on LocalChain', () => {
  const chainId = `test-miner-${randomUUID()}`;
  const namespace = `lc:${chainId}:`;
  const redisPrefix = `test:miner:${randomUUID()}`;
  let walletDir: string;
  let chain: LocalChain;
  let redis: Redis;
  let llm: OpenAiServer;
  let minerHotkey: string;
  let validatorDendrite: Dendrite;
  let onChat: (() => void) | null = null;

  beforeAll(async () => {
    walletDir = mkdtempSync(join(tmpdir(), 'dojo-miner-wallet-'));
    const { hotkey } = await createWallet({ walletPath: walletDir, name: 'miner', hotkey: 'default' }, null);
    minerHotkey = hotkey.ss58Address;
    redis = new Redis(REDIS_URL);
    chain = await LocalChain.connect({ redis, namespace, blockMs: 200 });
    await chain.createSubnet(NETUID);
    const validator = await createSr25519Signer(randomBytes(32));
    await chain.registerNeuron(NETUID, { hotkey: validator.address, stakeTao: 50_000, validatorPermit: true });
    validatorDendrite = new Dendrite(validator, { externalIp: '10.255.255.3' });
    llm = await startOpenAiCompatibleServer({
      apiKey: 'sk-proc',
      chat: (body) => {
        onChat?.();
        return dojoChatResponder({ score: () => 0.25 })(body);
      },
    });
  }, 60_000);

  afterAll(async () => {
    await validatorDendrite.close();
    await llm.close();
    await chain.reset().catch(() => {});
    await chain.close();
    const keys = [...(await redis.keys(`${namespace}*`)), ...(await redis.keys(`${redisPrefix}*`))];
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    rmSync(walletDir, { recursive: true, force: true });
  });

  const baseArgs = (axonPort: number, apiPort: number) => [
    '--netuid',
    String(NETUID),
    '--subtensor.network',
    'local',
    '--localchain.chain_id',
    chainId,
    '--wallet.path',
    walletDir,
    '--wallet.name',
    'miner',
    '--axon.port',
    String(axonPort),
    '--axon.ip',
    '127.0.0.1',
    '--api.port',
    String(apiPort),
    '--api.host',
    '127.0.0.1',
    '--redis.url',
    REDIS_URL,
    '--redis.prefix',
    redisPrefix,
    '--scoring_method',
    'llm_api',
    '--llm_provider',
    'openai',
    '--model_name',
    'gpt-4o-mini',
    '--llm_base_url',
    llm.url,
  ];

  it('refuses to start with a clear error when the hotkey is not registered', async () => {
    const p = spawnMiner(baseArgs(await freePort(), await freePort()), { OPENAI_API_KEY: 'sk-proc' });
    expect(await p.exit).toBe(1);
    expect(p.lines.join('\n')).toMatch(
      /DOJO_MINER_NOT_REGISTERED: hotkey \w+ is not registered on netuid 7; register it first/,
    );
  }, 60_000);

  it('invalid flags exit 2 with a message naming the flag', async () => {
    const p = spawnMiner(['--scoring_method', 'llm_api', '--subtensor.network', 'local'], {});
    expect(await p.exit).toBe(2);
    expect(p.lines.join('\n')).toContain(
      'dojo-miner: TOGETHER_API_KEY: is required for --scoring_method llm_api with --llm_provider togetherai; set it in the environment or .env',
    );
  }, 60_000);

  it('serves the axon on chain, answers validators, and on SIGTERM finishes the in-flight request before exiting 0', async () => {
    await chain.registerNeuron(NETUID, { hotkey: minerHotkey, stakeTao: 0 });
    const axonPort = await freePort();
    const apiPort = await freePort();
    const p = spawnMiner(baseArgs(axonPort, apiPort), { OPENAI_API_KEY: 'sk-proc', DOJO_LOGGING_LEVEL: 'info' });
    try {
      await p.waitFor(/miner serving/);
      const served = await chain.axonInfo(NETUID, minerHotkey);
      expect(served).toMatchObject({ ip: '127.0.0.1', port: axonPort });
      const health = await fetch(`http://127.0.0.1:${apiPort}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, redis: 'up' });
      expect(await (await fetch(`http://127.0.0.1:${apiPort}/metrics`)).text()).toContain(
        'dojo_miner_process_cpu_user_seconds_total',
      );
      const target = { ip: '127.0.0.1', port: axonPort, hotkey: minerHotkey };
      const [chunked] = await validatorDendrite.query(
        [target],
        ChunkSynapseDef.create({ document: 'A b. C d.', chunk_size: 100 }),
        {
          timeoutS: 10,
        },
      );
      expect(chunked?.chunks).toEqual(['A b. C d.']);

      // SIGTERM arrives while the LLM call of this request is still running.
      onChat = () => {
        onChat = null;
        p.child.kill('SIGTERM');
        const until = Date.now() + 400;
        while (Date.now() < until) {
          // hold the reply so the signal lands mid-request
        }
      };
      const req = RankingRequestDef.create({
        prompt: 'p',
        n_completions: 2,
        completions: [
          { cid: randomUUID(), text: 'a' },
          { cid: randomUUID(), text: 'b' },
        ],
      });
      const [res] = await validatorDendrite.query([target], req, { timeoutS: 20 });
      expect(res?.dendrite.status_code).toBe(200);
      expect(res?.ranks.map((r) => r.score)).toEqual([0.25, 0.25]);
      expect(await p.exit).toBe(0);
      const out = p.lines.join('\n');
      expect(out).toContain('shutting down: finishing in-flight requests');
      expect(out).toContain('miner stopped');
      expect(out).not.toContain('sk-proc');
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  }, 90_000);
});
