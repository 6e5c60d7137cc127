// npm run bench -w @dojo-ts/neuron
// (a) signed requests/s through the axon vs a bare fastify echo route doing one sr25519 verify (and vs a bare echo);
// (b) wall time above the slowest axon for one fan-out to 256 axons. Everything over real loopback HTTP, load from a
// separate process, all measured in this run.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ChunkSynapse, ChunkSynapseDef, type Synapse } from '@dojo-ts/protocol';
import { sr25519Verify } from '@polkadot/wasm-crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildAxon } from '../src/axon/build-axon.js';
import { publicKeyOf, sr25519Ready } from '../src/crypto/sr25519.js';
import { Dendrite } from '../src/dendrite/query.js';
import { createSr25519Signer } from '../src/signer.js';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const execArgv = ['--conditions=source', '--import', 'tsx'];
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 16);
const WARMUP_S = 0.5;
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 1.5);
const FANOUT_PROCS = Number(process.env['BENCH_FANOUT_PROCS'] ?? 2);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 6);

interface LoadResult {
  rps: number;
  /** Requests answered including warm-up. */
  total: number;
  seconds: number;
  ok: number;
  failed: number;
  statuses: Record<number, number>;
}

const loadChild = fork(here('./load.ts'), [], { execArgv });
loadChild.once('exit', (code) => {
  if (code !== 0) {
    console.error(`load generator exited ${code}`);
    process.exit(1);
  }
});

function load(port: number, axonHotkey: string, perConnection: number, cycle: boolean): Promise<LoadResult> {
  return new Promise((resolve) => {
    loadChild.once('message', (m) => resolve(m as LoadResult));
    loadChild.send({
      port,
      seedHex: '02'.repeat(32),
      axonHotkey,
      connections: CONNECTIONS,
      perConnection,
      warmupS: WARMUP_S,
      durationS: DURATION_S,
      cycle,
    });
  });
}

function bare(verify: boolean, ownHotkey: string): FastifyInstance {
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const enc = new TextEncoder();
  app.post('/chunkSynapse', async (req, reply) => {
    if (verify) {
      const h = req.headers as Record<string, string>;
      const hotkey = h['bt_header_dendrite_hotkey'] ?? '';
      const msg = `${h['bt_header_dendrite_nonce']}.${hotkey}.${ownHotkey}.${h['bt_header_dendrite_uuid']}.${h['computed_body_hash']}`;
      const sig = Buffer.from((h['bt_header_dendrite_signature'] ?? '').slice(2), 'hex');
      const pk = publicKeyOf(hotkey);
      if (!pk || !sr25519Verify(sig, enc.encode(msg), pk)) return reply.code(401).send('{"message":"bad"}');
    }
    return reply.type('application/json').send(req.body as string);
  });
  return app;
}

async function portOf(app: FastifyInstance): Promise<number> {
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return Number(new URL(url).port);
}

async function throughput(): Promise<void> {
  await sr25519Ready();
  const axonKey = await createSr25519Signer(new Uint8Array(32).fill(1));
  const forward = (s: Synapse<ChunkSynapse>) => ({ ...s, chunks: [s.document] });
  const axon = buildAxon({ signer: axonKey }).attach(ChunkSynapseDef, { forward });
  const pooled = buildAxon({ signer: axonKey, verifyThreads: 1 }).attach(ChunkSynapseDef, { forward });
  const verifyApp = bare(true, axonKey.address);
  const echoApp = bare(false, axonKey.address);
  const servers = [
    {
      name: 'axon (signed chunkSynapse, full pipeline) ',
      port: Number(new URL(await axon.listen({ host: '127.0.0.1', port: 0 })).port),
      fresh: true,
    },
    {
      name: 'axon, verify on 1 worker thread (piscina) ',
      port: Number(new URL(await pooled.listen({ host: '127.0.0.1', port: 0 })).port),
      fresh: true,
    },
    { name: 'bare fastify echo + 1 sr25519 verify      ', port: await portOf(verifyApp), fresh: false },
    { name: 'bare fastify echo                         ', port: await portOf(echoApp), fresh: false },
  ];
  // Other work on the machine changes over time, so the four servers are measured in interleaved rounds and the
  // ratios use the totals: each server sees the same mix of quiet and busy periods.
  const totals = servers.map(() => ({
    ok: 0,
    failed: 0,
    seconds: 0,
    cpuUs: 0,
    requests: 0,
    statuses: {} as Record<number, number>,
  }));
  const perConn = Math.ceil((2000 * (WARMUP_S + DURATION_S)) / CONNECTIONS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, srv] of servers.entries()) {
      const pending = load(srv.port, axonKey.address, srv.fresh ? perConn : 64, !srv.fresh);
      // CPU of this (server) process while the load child fires: a contention-resistant cost per request. The child
      // pre-signs before it starts sending, and this process serves nothing else meanwhile.
      const cpu0 = process.cpuUsage();
      const r = await pending;
      const cpu = process.cpuUsage(cpu0);
      const t = totals[i]!;
      t.cpuUs += cpu.user + cpu.system;
      t.requests += r.total;
      t.ok += r.ok;
      t.failed += r.failed;
      t.seconds += r.seconds;
      for (const [k, v] of Object.entries(r.statuses)) t.statuses[Number(k)] = (t.statuses[Number(k)] ?? 0) + v;
    }
  }
  await Promise.all([axon.close(), pooled.close(), verifyApp.close(), echoApp.close()]);
  const rps = totals.map((t) => t.ok / t.seconds);
  console.log(
    `(a) throughput: ${CONNECTIONS} connections from a separate process, ${ROUNDS} interleaved rounds of ${DURATION_S}s`,
  );
  for (const [i, srv] of servers.entries()) {
    const t = totals[i]!;
    const cpuMs = t.cpuUs / 1000 / Math.max(1, t.requests);
    console.log(
      `    ${srv.name}: ${rps[i]!.toFixed(0)} req/s (ok ${t.ok}, non-200 ${t.failed}), server CPU ${cpuMs.toFixed(3)} ms/req`,
    );
  }
  const [ax, pool, ver, echo] = rps as [number, number, number, number];
  console.log(`    ratio axon / bare-verify        = ${(ax / ver).toFixed(3)} (goal >= 0.8)`);
  console.log(`    ratio axon / bare-echo          = ${(ax / echo).toFixed(3)}`);
  console.log(`    ratio pooled axon / bare-verify = ${(pool / ver).toFixed(3)}`);
  console.log(`    ratio pooled axon / bare-echo   = ${(pool / echo).toFixed(3)}`);
  const cpuPerReq = totals.map((t) => t.cpuUs / Math.max(1, t.requests));
  console.log(
    `    CPU-cost ratio bare-verify / axon = ${(cpuPerReq[2]! / cpuPerReq[0]!).toFixed(3)} (the throughput ratio a server-bound quiet machine would show)`,
  );
}

async function fanout(): Promise<void> {
  const N = 256;
  // The axons stand in for 256 separate machines: they live in FANOUT_PROCS child processes so that they are not
  // all serialised on one event loop of a 2-core box.
  const children = Array.from({ length: FANOUT_PROCS }, (_, p) =>
    fork(here('./fanout-axons.ts'), [String(N / FANOUT_PROCS), '300', String((p * N) / FANOUT_PROCS)], { execArgv }),
  );
  const parts = await Promise.all(
    children.map(
      (child) =>
        new Promise<Array<{ ip: string; port: number; hotkey: string; delayMs: number }>>((resolve) =>
          child.once('message', (m) => resolve((m as { targets: never }).targets)),
        ),
    ),
  );
  // Interleaved (child 0's first axon, child 1's first, ...): consecutive requests land on different processes, as
  // they would on 256 separate machines, instead of one process verifying the first half while the other idles.
  const targets = parts[0]!.flatMap((_, i) => parts.map((p) => p[i]!));
  const dendrite = new Dendrite(await createSr25519Signer(new Uint8Array(32).fill(3)));
  const overheads: number[] = [];
  for (let run = 0; run < 6; run++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const results = await dendrite.query(targets, ChunkSynapseDef.create({ document: 'fan-out probe' }), {
      timeoutS: 10,
    });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const dendriteCpu = (cpu.user + cpu.system) / 1e6;
    const ok = results.filter((r) => r.dendrite.status_code === 200).length;
    const slowest = Math.max(...results.map((r) => r.axon.process_time ?? 0));
    overheads.push(wall - slowest);
    console.log(
      `    run ${run}${run === 0 ? ' (cold connections)' : ''}: wall ${wall.toFixed(3)} s, slowest axon ${slowest.toFixed(3)} s, above slowest ${(wall - slowest).toFixed(3)} s, dendrite CPU ${dendriteCpu.toFixed(3)} s, ${ok}/${N} ok`,
    );
  }
  const warm = overheads.slice(1).sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)] ?? Number.NaN;
  console.log(
    `(b) fan-out to ${N} axons: above slowest, cold ${overheads[0]?.toFixed(3)} s, warm median ${median.toFixed(3)} s (goal <= 0.25 s)`,
  );
  await dendrite.close();
  await Promise.all(
    children.map((child) => {
      child.send('stop');
      return new Promise((r) => child.once('exit', r));
    }),
  );
}

console.log(
  `load average at start: ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`neuron bench on ${(await import('node:os')).cpus().length} cores, node ${process.version}`);
if (process.env['BENCH_ONLY'] !== 'fanout') await throughput();
loadChild.send('exit');
if (process.env['BENCH_ONLY'] !== 'throughput') {
  console.log(`(b) fan-out: 256 axons in ${FANOUT_PROCS} child processes, handler delays 0-300 ms`);
  await fanout();
}
