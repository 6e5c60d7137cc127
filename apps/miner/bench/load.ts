/**
 * Load bench: drives signed requests at a real miner process (src/main.ts on LocalChain + Redis, hf_model with the tiny
 * ONNX reward model) and reports errors, latency and memory growth of the miner.
 *
 *   npm run bench -w @dojo-ts/miner -- [--rate 1000] [--duration 60] [--synapse ranking|chunk] [--dendrites 512] [--workers 2]
 *
 * Baseline measured in the same run: the same rate against the axon's `/Synapse` ping route (same signing, verification
 * and HTTP path, no handler work), so the printed latency ratio isolates the miner's handler cost.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createWallet, LocalChain } from '@dojo-ts/chain';
import { type AxonTarget, createSr25519Signer, Dendrite } from '@dojo-ts/neuron';
import { ChunkSynapseDef, RankingRequestDef, type Synapse, SynapseDef } from '@dojo-ts/protocol';
import { Redis } from 'ioredis';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '60' },
    synapse: { type: 'string', default: 'ranking' },
    dendrites: { type: 'string', default: '512' },
    workers: { type: 'string', default: '2' },
    'baseline-duration': { type: 'string' },
  },
});
const RATE = Number(values.rate);
const DURATION_S = Number(values.duration);
const BASELINE_S = Number(values['baseline-duration'] ?? Math.max(3, Math.min(10, DURATION_S / 6)));
const N_DENDRITES = Number(values.dendrites);
const N_WORKERS = Math.max(1, Number(values.workers));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const NETUID = 1;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
    srv.on('error', reject);
  });
}

function tinyRewardModelDir(): string {
  const roots = createRequire(import.meta.url).resolve.paths('@dojo-ts/models') ?? [];
  const dir = roots.map((r) => join(r, '@dojo-ts/models/test/fixtures/tiny-reward-model')).find((d) => existsSync(d));
  if (!dir) throw new Error('tiny reward model fixture of @dojo-ts/models not found');
  return dir;
}

async function metric(apiPort: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${apiPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').at(-1)) : Number.NaN;
}

async function memory(apiPort: number): Promise<{ rssMiB: number; heapMiB: number }> {
  const rss = await metric(apiPort, 'dojo_miner_process_resident_memory_bytes');
  const heap = await metric(apiPort, 'dojo_miner_nodejs_heap_size_used_bytes');
  return { rssMiB: rss / 2 ** 20, heapMiB: heap / 2 ** 20 };
}

interface PhaseResult {
  sent: number;
  ok: number;
  errors: Map<string, number>;
  latenciesMs: number[];
  achievedRps: number;
}

async function drive(
  dendrites: Dendrite[],
  target: AxonTarget,
  make: () => Synapse,
  rate: number,
  seconds: number,
): Promise<PhaseResult> {
  const result: PhaseResult = { sent: 0, ok: 0, errors: new Map(), latenciesMs: [], achievedRps: 0 };
  const tickMs = 10;
  const start = performance.now();
  const inflight = new Set<Promise<void>>();
  let next = 0;
  // Open loop on wall time: each tick sends whatever the schedule owes, so a late timer never lowers the offered rate.
  while (performance.now() - start < seconds * 1000) {
    const owed = Math.floor(((performance.now() - start) / 1000) * rate) - result.sent;
    for (let k = 0; k < owed; k++) {
      const d = dendrites[next++ % dendrites.length] as Dendrite;
      const t0 = performance.now();
      result.sent++;
      const p = d.call(target, make(), { timeoutS: 12 }).then((res) => {
        const code = res.dendrite.status_code ?? 0;
        if (code === 200) {
          result.ok++;
          result.latenciesMs.push(performance.now() - t0);
        } else {
          const key = `${code} ${res.dendrite.status_message ?? ''}`.slice(0, 120);
          result.errors.set(key, (result.errors.get(key) ?? 0) + 1);
        }
      });
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
    const elapsed = performance.now() - start;
    const due = Math.ceil(elapsed / tickMs) * tickMs;
    await new Promise((r) => setTimeout(r, Math.max(0, due - elapsed)));
  }
  await Promise.all(inflight);
  result.achievedRps = result.ok / ((performance.now() - start) / 1000);
  return result;
}

interface WorkerJob {
  seed: string;
  target: AxonTarget;
  kind: 'ping' | 'ranking' | 'chunk';
  rate: number;
  seconds: number;
  dendrites: number;
}

function makeSynapse(kind: WorkerJob['kind']): () => Synapse {
  if (kind === 'ping') return () => SynapseDef.create({});
  if (kind === 'chunk') {
    return () =>
      ChunkSynapseDef.create({
        document: 'The sun rose. Birds sang in the trees. A long day began for everyone.',
        chunk_size: 40,
      });
  }
  return () =>
    RankingRequestDef.create({
      prompt: 'Which completion answers the question best?',
      n_completions: 3,
      completions: [0, 1, 2].map((i) => ({ cid: randomUUID(), text: `the answer number ${i} is good` })),
    });
}

// Load generation runs in worker threads, each with its own dendrites (own uuids, so nonces never collide), so signing
// on the client side is spread over the cores instead of capping the rate on one event loop.
async function runInWorkers(job: Omit<WorkerJob, 'rate' | 'dendrites'> & { rate: number }): Promise<PhaseResult> {
  const parts = await Promise.all(
    Array.from({ length: N_WORKERS }, () => {
      const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
        workerData: {
          ...job,
          rate: job.rate / N_WORKERS,
          dendrites: Math.ceil(N_DENDRITES / N_WORKERS),
        } satisfies WorkerJob,
        argv: process.argv.slice(2),
      });
      return new Promise<PhaseResult & { errorsList: Array<[string, number]> }>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
    }),
  );
  const merged: PhaseResult = { sent: 0, ok: 0, errors: new Map(), latenciesMs: [], achievedRps: 0 };
  for (const p of parts) {
    merged.sent += p.sent;
    merged.ok += p.ok;
    merged.achievedRps += p.achievedRps;
    for (const l of p.latenciesMs) merged.latenciesMs.push(l);
    for (const [k, v] of p.errorsList) merged.errors.set(k, (merged.errors.get(k) ?? 0) + v);
  }
  return merged;
}

async function workerMain(): Promise<void> {
  const job = workerData as WorkerJob;
  const signer = await createSr25519Signer(Buffer.from(job.seed, 'hex'));
  const dendrites = Array.from({ length: job.dendrites }, () => new Dendrite(signer, { externalIp: '10.255.255.9' }));
  const r = await drive(dendrites, job.target, makeSynapse(job.kind), job.rate, job.seconds);
  await Promise.all(dendrites.map((d) => d.close()));
  parentPort?.postMessage({ ...r, errors: undefined, errorsList: [...r.errors] });
}

function pct(sorted: number[], p: number): number {
  return sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);
}

function summary(name: string, r: PhaseResult): { p50: number; p99: number } {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  const p50 = pct(sorted, 50);
  const p99 = pct(sorted, 99);
  const errors = [...r.errors.values()].reduce((a, b) => a + b, 0);
  console.log(
    `${name.padEnd(10)} sent ${r.sent}, ok ${r.ok}, errors ${errors}, achieved ${r.achievedRps.toFixed(0)} req/s, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
  );
  for (const [k, v] of r.errors) console.log(`           ${v} × ${k}`);
  return { p50, p99 };
}

async function main(): Promise<void> {
  const chainId = `bench-miner-${randomUUID()}`;
  const namespace = `lc:${chainId}:`;
  const redisPrefix = `bench:miner:${randomUUID()}`;
  const walletDir = mkdtempSync(join(tmpdir(), 'dojo-miner-bench-'));
  const redis = new Redis(REDIS_URL);
  const chain = await LocalChain.connect({ redis, namespace, blockMs: 1000 });
  let child: ChildProcess | null = null;
  try {
    await chain.createSubnet(NETUID);
    const { hotkey } = await createWallet({ walletPath: walletDir, name: 'bench', hotkey: 'default' }, null);
    await chain.registerNeuron(NETUID, { hotkey: hotkey.ss58Address });
    const seed = randomBytes(32);
    const validator = await createSr25519Signer(seed);
    await chain.registerNeuron(NETUID, { hotkey: validator.address, stakeTao: 50_000, validatorPermit: true });
    const axonPort = await freePort();
    const apiPort = await freePort();
    const args = [
      ...['--netuid', String(NETUID), '--subtensor.network', 'local', '--localchain.chain_id', chainId],
      ...[
        '--wallet.path',
        walletDir,
        '--wallet.name',
        'bench',
        '--axon.ip',
        '127.0.0.1',
        '--axon.port',
        String(axonPort),
      ],
      ...[
        '--api.host',
        '127.0.0.1',
        '--api.port',
        String(apiPort),
        '--redis.url',
        REDIS_URL,
        '--redis.prefix',
        redisPrefix,
      ],
      ...[
        '--scoring_method',
        'hf_model',
        '--model_name',
        'tiny/reward',
        '--hf.onnx_repo',
        tinyRewardModelDir(),
        '--hf.offline',
      ],
      ...['--axon.max_concurrent', '64', '--logging.level', 'warn'],
    ];
    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    const prof = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF_DIR] : [];
    child = spawn(process.execPath, [...prof, '--conditions=source', '--import', 'tsx', main, ...args], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    for (let i = 0; ; i++) {
      const up = await fetch(`http://127.0.0.1:${apiPort}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (i > 600 || child.exitCode !== null) throw new Error('miner did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const target = { ip: '127.0.0.1', port: axonPort, hotkey: hotkey.ss58Address };
    const kind = values.synapse === 'chunk' ? 'chunk' : 'ranking';
    const phase = (k: WorkerJob['kind'], rate: number, seconds: number) =>
      runInWorkers({ seed: seed.toString('hex'), target, kind: k, rate, seconds });
    console.log(`miner up (pid ${child.pid}); warming up...`);
    await phase(kind, Math.min(RATE, 200), 2);
    console.log(`baseline: /Synapse ping at ${RATE} req/s for ${BASELINE_S} s (${N_WORKERS} generator threads)`);
    const base = summary('ping', await phase('ping', RATE, BASELINE_S));
    const before = await memory(apiPort);
    console.log(
      `load: ${values.synapse === 'chunk' ? 'chunkSynapse' : 'RankingRequest (hf_model)'} at ${RATE} req/s for ${DURATION_S} s`,
    );
    const load = await phase(kind, RATE, DURATION_S);
    const after = await memory(apiPort);
    const s = summary(values.synapse === 'chunk' ? 'chunk' : 'ranking', load);
    const errors = [...load.errors.values()].reduce((a, b) => a + b, 0);
    console.log(
      `memory (miner) RSS ${before.rssMiB.toFixed(1)} → ${after.rssMiB.toFixed(1)} MiB (${(after.rssMiB - before.rssMiB).toFixed(1)}), ` +
        `heap ${before.heapMiB.toFixed(1)} → ${after.heapMiB.toFixed(1)} MiB (${(after.heapMiB - before.heapMiB).toFixed(1)})`,
    );
    console.log(
      `RESULT errors=${errors} achieved/target=${(load.achievedRps / RATE).toFixed(3)} ` +
        `p50 ratio vs ping baseline=${(s.p50 / base.p50).toFixed(2)} rss_growth_mib=${(after.rssMiB - before.rssMiB).toFixed(1)} ` +
        `heap_growth_mib=${(after.heapMiB - before.heapMiB).toFixed(1)}`,
    );
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await chain.close();
    const keys = [...(await redis.keys(`${namespace}*`)), ...(await redis.keys(`${redisPrefix}*`))];
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    rmSync(walletDir, { recursive: true, force: true });
  }
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  workerMain().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
