/**
 * The whole demo, end to end, as `npm run demo` runs it (scripts/demo.mjs → apps/demo/src/main.ts) with a deadline of
 * seconds: asserts on its summary JSON and that nothing it started is left running. Real processes, real Redis,
 * loopback only (the LLM and MTurk stand-ins; provider keys are removed from the environment).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoSummary } from '../src/report.js';
import { isAlive } from '../src/supervisor.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'dojo-demo-e2e-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run demo, end to end', () => {
  it('queries every miner, verifies the aws_mturk reply, sets weights on LocalChain and stops everything', async () => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (!/^(OPENAI_API_KEY|TOGETHER_API_KEY|AWS_|DOJO_)/.test(k)) env[k] = v;
    }
    const child = spawn(
      process.execPath,
      ['scripts/demo.mjs', '--quiet', '--deadline_s', '6', '--min_scored', '2', '--max_s', '200', '--out', out],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-20_000);
    });
    child.stderr.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-20_000);
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as DemoSummary;
    expect(summary.checks).toEqual({
      everyMinerQueried: true,
      everyMinerScoredInOneRequest: true,
      mturkReplyVerified: true,
      weightsSetOnChain: true,
      nothingLeftRunning: true,
    });
    expect(summary.llmMode).toBe('local-stand-in');
    // the validator's dashboard answered on its API port (loopback, no token)
    expect(summary.dashboard.mounted).toBe(true);
    expect(summary.miners.map((m) => m.kind).sort()).toEqual(['aws_mturk', 'hf_model', 'lazy', 'llm_api', 'noisy']);
    for (const m of summary.miners) expect(m.queried, m.name).toBeGreaterThan(0);
    // the human loop really ran: ≥ 2 simulated workers per HIT, forwarder deliveries accepted by the miner
    expect(summary.mturk.workers.length).toBeGreaterThanOrEqual(2);
    expect(summary.mturk.outcomes['200'] ?? 0).toBeGreaterThan(0);
    expect(summary.mturk.verifiedRequests).toBeGreaterThan(0);
    // consensus and weights
    expect(summary.requests.scored).toBeGreaterThanOrEqual(2);
    expect(summary.requests.consensus[0]?.consensus_scores.length).toBeGreaterThan(0);
    expect(summary.weights?.row.length).toBeGreaterThan(0);
    expect(Math.max(...(summary.weights?.row ?? []).map((r) => r.u16))).toBe(65535);
    expect(summary.miners.filter((m) => m.chunkRank !== null)).toHaveLength(5);
    // nothing left: every process the demo started has exited, and the report exists
    // localchain, validator and five miners (a miner restarted on new ports would appear twice under one name)
    expect(new Set(summary.processes.map((p) => p.name)).size).toBe(7);
    for (const p of summary.processes) expect(isAlive(p.pid) || isAlive(-p.pid), p.name).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'pids.json'), 'utf8'))).toEqual([]);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Dojo TS local subnet demo');
  }, 260_000);
});
