// npm run bench -w @dojo-ts/neuron
// (a) signed requests/s through the axon vs a bare fastify echo route doing one sr25519 verify (and vs a bare echo);
// (b) wall time above the slowest axon for one fan-out to 256 axons. Everything over real loopback HTTP, load from a
// separate process, each server under test alone in its own child process (bench/server.ts), all measured in
// this run.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ChunkSynapseDef } from '@dojo-ts/protocol';
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

interface ServerChild {
  name: string;
  port: number;
  /** Fresh nonces per request (the axon remembers nonces); the bare routes can take a cycled set. */
  fresh: boolean;
  cpuUs(): Promise<number>;
  stop(): Promise<void>;
}

/** Forks bench/server.ts hosting one server of the given kind, alone in its process, and waits until it listens. */
async function startServer(kind: string, name: string, fresh: boolean): Promise<ServerChild & { hotkey: string }> {
  const child = fork(here('./server.ts'), [kind], { execArgv });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const first = await new Promise<{ port: number; hotkey: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { port: number; hotkey: string }));
    child.once('exit', (code) => reject(new Error(`server '${kind}' exited ${code} before listening`)));
  });
  return {
    name,
    port: first.port,
    hotkey: first.hotkey,
    fresh,
    cpuUs: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m as { cpuUs: number }).cpuUs));
        child.send('cpu');
      }),
    stop: async () => {
      child.send('stop');
      await exited;
    },
  };
}

async function throughput(): Promise<void> {
  // Each server runs alone in its own child process (same Node flags and keys), started fresh for this measurement:
  // hosted together they slowed each other (JIT/GC cross-talk), and a real axon runs alone in its neuron process.
  const servers = await Promise.all([
    startServer('axon', 'axon (signed chunkSynapse, full pipeline) ', true),
    startServer('verify', 'bare fastify echo + 1 sr25519 verify      ', false),
    startServer('echo', 'bare fastify echo                         ', false),
    startServer('pooled', 'axon, verify on 1 worker thread (piscina) ', true),
  ]);
  const axonHotkey = servers[0]!.hotkey;
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
      // CPU of the server's own process while the load child fires: a contention-resistant cost per request. The
      // load child pre-signs before it starts sending, and the server process serves nothing else meanwhile (its
      // CPU is read over IPC, not over the measured TCP route).
      const cpu0 = await srv.cpuUs();
      const r = await load(srv.port, axonHotkey, srv.fresh ? perConn : 64, !srv.fresh);
      const cpu = (await srv.cpuUs()) - cpu0;
      const t = totals[i]!;
      t.cpuUs += cpu;
      t.requests += r.total;
      t.ok += r.ok;
      t.failed += r.failed;
      t.seconds += r.seconds;
      for (const [k, v] of Object.entries(r.statuses)) t.statuses[Number(k)] = (t.statuses[Number(k)] ?? 0) + v;
    }
  }
  await Promise.all(servers.map((s) => s.stop()));
  const rps = totals.map((t) => t.ok / t.seconds);
  console.log(
    `(a) throughput: ${CONNECTIONS} connections from a separate process, each server alone in its own process, ${ROUNDS} interleaved rounds of ${DURATION_S}s`,
  );
  for (const [i, srv] of servers.entries()) {
    const t = totals[i]!;
    const cpuMs = t.cpuUs / 1000 / Math.max(1, t.requests);
    console.log(
      `    ${srv.name}: ${rps[i]!.toFixed(0)} req/s (ok ${t.ok}, non-200 ${t.failed}), server CPU ${cpuMs.toFixed(3)} ms/req`,
    );
  }
  const [ax, ver, echo, pool] = rps as [number, number, number, number];
  console.log(`    ratio axon / bare-verify        = ${(ax / ver).toFixed(3)} (goal >= 0.8)`);
  console.log(`    ratio axon / bare-echo          = ${(ax / echo).toFixed(3)}`);
  console.log(`    ratio pooled axon / bare-verify = ${(pool / ver).toFixed(3)}`);
  console.log(`    ratio pooled axon / bare-echo   = ${(pool / echo).toFixed(3)}`);
  const cpuPerReq = totals.map((t) => t.cpuUs / Math.max(1, t.requests));
  console.log(
    `    CPU-cost ratio bare-verify / axon = ${(cpuPerReq[1]! / cpuPerReq[0]!).toFixed(3)} (the throughput ratio a server-bound quiet machine would show)`,
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
