/**
 * `npm run demo` (through scripts/demo.mjs): runs the local subnet demo once and exits 0 when every check passed.
 * Flags: --deadline_s 10, --block_ms 500, --min_scored 3, --max_s 240, --out runs/demo-<ts>, --quiet.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runDemo } from './run-demo.js';

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const { values } = parseArgs({
  options: {
    deadline_s: { type: 'string', default: '10' },
    block_ms: { type: 'string', default: '500' },
    min_scored: { type: 'string', default: '3' },
    max_s: { type: 'string', default: '240' },
    out: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'dojo demo: --deadline_s <s> (10) --block_ms <ms> (500) --min_scored <n> (3) --max_s <s> (240) --out <dir> (runs/demo-<ts>) --quiet\n',
  );
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = resolve(values.out ?? join(repoRoot, 'runs', `demo-${stamp}`));
let interrupted = false;
// The supervisor stops every child in `finally`; a signal only needs to end the wait.
const onSignal = (signal: string) => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stdout.write(`\n[demo] ${signal}: stopping every process...\n`);
  process.emit('demo:abort' as never);
};
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

try {
  const s = await runDemo({
    repoRoot,
    outDir,
    deadlineS: Number(values.deadline_s),
    blockMs: Number(values.block_ms),
    minScored: Number(values.min_scored),
    maxS: Number(values.max_s),
    quiet: values.quiet,
    abortOn: (cb) => process.on('demo:abort' as never, cb),
  });
  const line = (l: string) => process.stdout.write(`${l}\n`);
  line('');
  line('=== Dojo TS demo summary ===');
  line(
    `requests scored: ${s.requests.scored}; llm_api: ${s.llmMode === 'local-stand-in' ? 'LOCAL STAND-IN' : s.llmMode}`,
  );
  line('miner          method     queried  EMA     accuracy  chunk(rank)  weight');
  for (const m of s.miners) {
    line(
      `${m.name.padEnd(14)} ${m.kind.padEnd(10)} ${String(m.queried).padStart(7)}  ${m.emaScore.toFixed(3)}   ${
        m.accuracy === null ? '  –   ' : m.accuracy.toFixed(3)
      }     ${m.chunkScore === null ? '   –    ' : `${m.chunkScore.toFixed(2)} (#${m.chunkRank})`}   ${m.weight.toFixed(3)}`,
    );
  }
  const last = s.requests.consensus.at(-1);
  if (last) line(`last consensus: ${last.consensus_scores.map((c) => (c === null ? '–' : c.toFixed(2))).join(', ')}`);
  line(`weights on LocalChain: ${s.weights ? `set at block ${s.weights.setAtBlock}` : 'none'}`);
  line(
    `aws_mturk: ${s.mturk.hits} HITs, ${s.mturk.assignments} assignments, verified replies ${s.mturk.verifiedRequests}`,
  );
  for (const [k, v] of Object.entries(s.checks)) line(`check ${k}: ${v ? 'ok' : 'FAILED'}`);
  line(`summary: ${join(outDir, 'summary.json')}`);
  line(`report:  ${join(outDir, 'report.html')}`);
  process.exit(Object.values(s.checks).every(Boolean) ? 0 : 1);
} catch (err) {
  if (interrupted) {
    process.stderr.write('[demo] interrupted: every process it started was stopped\n');
    process.exit(130);
  }
  const e = err as { code?: string; message?: string };
  process.stderr.write(`[demo] failed: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}\n`);
  process.stderr.write(`[demo] process logs: ${join(outDir, 'processes.log')}\n`);
  process.exit(interrupted ? 130 : 1);
}
