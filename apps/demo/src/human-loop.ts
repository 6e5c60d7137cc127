/**
 * The aws_mturk human loop of the demo, on loopback only: simulated workers answer every HIT the miner creates on the
 * local MTurk server, and each `AssignmentSubmitted` notification's SNS event is handed to the BUNDLED Lambda forwarder
 * (apps/lambda-forwarder/dist/lambda.zip, extracted and imported as Lambda would), which posts the HMAC-signed callback
 * to the miner. A failed invocation is retried like SNS would (a few times, with a pause).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MTurkNotification, MTurkServer, SnsLambdaEvent } from '@dojo-ts/local-services';
import { mulberry32 } from '@dojo-ts/scoring';
import { unzipSync } from 'fflate';

/** The Lambda handler exported by the bundle. */
export type ForwarderHandler = (
  event: SnsLambdaEvent,
) => Promise<{ statusCode: number; body?: string; assignments?: number }>;

/** Counters of the human loop, for progress lines and the summary. */
export interface HumanLoopStats {
  hits: number;
  assignments: number;
  invocations: number;
  /** statusCode → count of forwarder answers; `error` counts thrown invocations. */
  outcomes: Record<string, number>;
  workers: string[];
}

/**
 * Builds the forwarder bundle when it is missing, extracts it to a temp folder and imports its handler.
 * @param repoRoot - checkout root.
 * @param env - the Lambda environment (TARGET_URL, MTURK_ENDPOINT_URL, secret source, AWS keys); merged into process.env.
 * @returns the handler and the folder it was extracted to.
 */
export async function loadBundledForwarder(
  repoRoot: string,
  env: Record<string, string>,
): Promise<{ handler: ForwarderHandler; dir: string; zip: string }> {
  const appDir = join(repoRoot, 'apps', 'lambda-forwarder');
  const zip = join(appDir, 'dist', 'lambda.zip');
  if (!existsSync(zip)) {
    execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', join(appDir, 'scripts', 'bundle.ts')], {
      cwd: appDir,
      stdio: 'pipe',
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'dojo-demo-lambda-'));
  for (const [name, bytes] of Object.entries(unzipSync(readFileSync(zip)))) {
    if (name.endsWith('/')) continue;
    writeFileSync(join(dir, name), bytes);
  }
  // Lambda hands configuration to the handler through the process environment.
  Object.assign(process.env, env);
  const mod = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler: ForwarderHandler };
  return { handler: mod.handler, dir, zip };
}

/** The completion ids a HIT asks about (`<crowd-slider name="cid">`). */
export function hitCids(question: string): string[] {
  const out: string[] = [];
  const re = /<crowd-slider[^>]*\bname="([^"]+)"/g;
  for (let m = re.exec(question); m !== null; m = re.exec(question)) if (m[1]) out.push(m[1]);
  return out;
}

/**
 * Starts the simulated workers and the notification → forwarder pump.
 * @param o - the MTurk server, the forwarder handler, workers per HIT (≥ 2), a seed, a progress printer.
 * @returns live stats and `close()`.
 */
export function startHumanLoop(o: {
  mturk: MTurkServer;
  handler: ForwarderHandler;
  workersPerHit: number;
  seed: number;
  print: (line: string) => void;
  /** Receives what the forwarder itself logs (its console output), e.g. the process log file. */
  lambdaLog?: (line: string) => void;
  pollMs?: number;
}): { stats: HumanLoopStats; close: () => Promise<void> } {
  const rng = mulberry32(o.seed >>> 0);
  const stats: HumanLoopStats = { hits: 0, assignments: 0, invocations: 0, outcomes: {}, workers: [] };
  const workers = Array.from({ length: o.workersPerHit }, (_, i) => `DEMOWORKER${i + 1}`);
  stats.workers = workers;
  const seen = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  const invoke = async (n: MTurkNotification): Promise<void> => {
    for (let attempt = 1; attempt <= 4 && !closed; attempt++) {
      stats.invocations++;
      try {
        const res = await withConsole(o.lambdaLog, () => o.handler(n.snsEvent));
        stats.outcomes[String(res.statusCode)] = (stats.outcomes[String(res.statusCode)] ?? 0) + 1;
        o.print(
          `forwarder: SNS event for HIT ${n.message.Events[0]?.HITId ?? '?'} → miner answered ${res.statusCode} (${res.assignments ?? 0} assignments posted)`,
        );
        return;
      } catch (err) {
        stats.outcomes.error = (stats.outcomes.error ?? 0) + 1;
        o.print(`forwarder: invocation failed (${(err as Error).message}); SNS-style retry ${attempt}/3`);
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
  };
  const unsubscribe = o.mturk.onNotification((n) => {
    // one invocation at a time, in order, as an SNS → Lambda subscription with reserved concurrency 1 would
    chain = chain.then(() => invoke(n)).catch(() => {});
  });

  const timer = setInterval(() => {
    for (const hit of o.mturk.listHits()) {
      if (seen.has(hit.HITId)) continue;
      seen.add(hit.HITId);
      if (seen.size > 10_000) seen.clear();
      const cids = hitCids(hit.Question);
      if (cids.length === 0) continue;
      stats.hits++;
      // each worker rates every completion 1..10: a shared "true" quality plus personal noise
      const base = Object.fromEntries(cids.map((c) => [c, 2 + rng.next() * 6]));
      for (const worker of workers) {
        const answers = Object.fromEntries(
          cids.map((c) => [
            c,
            Math.round(Math.min(10, Math.max(1, (base[c] ?? 5) + (rng.next() - 0.5) * 2)) * 100) / 100,
          ]),
        );
        try {
          o.mturk.submitAssignment(hit.HITId, worker, { taskAnswers: [answers] });
          stats.assignments++;
        } catch (err) {
          o.print(`mturk: ${worker} could not submit ${hit.HITId}: ${(err as Error).message}`);
        }
      }
      o.print(`mturk: HIT ${hit.HITId} (${cids.length} completions) answered by ${workers.length} simulated workers`);
    }
  }, o.pollMs ?? 300);

  return {
    stats,
    close: async () => {
      closed = true;
      clearInterval(timer);
      unsubscribe();
      await chain;
    },
  };
}

/** Runs `fn` with console output redirected to `sink` (the Lambda's CloudWatch lines), when a sink is given. */
async function withConsole<T>(sink: ((line: string) => void) | undefined, fn: () => Promise<T>): Promise<T> {
  if (!sink) return fn();
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const write = (...args: unknown[]) =>
    sink(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  Object.assign(console, { log: write, info: write, warn: write, error: write });
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}
