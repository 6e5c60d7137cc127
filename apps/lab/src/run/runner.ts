import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { applyOverrides, fromBase, type LabConfig, resolveConfig } from '../config.js';
import { LabConfigError, LabError } from '../errors.js';
import { renderReport, renderStrategyReports } from '../report/html.js';
import { Stream } from '../rng.js';
import { type AnalysisOutput, loadResultFiles, runAnalysisStep } from '../steps/analysis.js';
import { type DataRow, datasetsServerUrl, isLocalPath, runDataStep } from '../steps/data.js';
import { type PromptingModel, runModelStep } from '../steps/model.js';
import { type QueryResult, runMechanismQuery, runPromptingQuery, type SweepReport } from '../steps/query.js';
import { jsonRevive, jsonSafe, RunFolder } from './run-folder.js';

/** The four steps, in lifecycle order. */
export const STEPS = ['model', 'data', 'query', 'analysis'] as const;
/** A step name. */
export type StepName = (typeof STEPS)[number];

/** Options of {@link runLab}. */
export interface RunLabOptions {
  /** YAML experiment path. */
  configPath: string;
  /** W&B offline mode (no effect while W&B is disabled). */
  offline?: boolean;
  /** Write `profile.cpuprofile` for the whole run. */
  profile?: boolean;
  /** Run only these sections. */
  steps?: StepName[];
  /** Rerun steps whose cached artifact exists. */
  force?: boolean;
  /** Overrides `output.dir` (relative to the cwd). */
  outputDir?: string;
  /** Dotted-key overrides applied to the raw YAML before validation (tests use tiny iteration counts). */
  set?: Record<string, unknown>;
  /** Draw progress bars (default: stderr is a TTY). */
  progress?: boolean;
  /** W&B job type and group (recorded in the resolved config). */
  jobType?: string;
  group?: string;
}

/** Outcome of one step. */
export interface StepStatus {
  step: StepName;
  id: string;
  status: 'ran' | 'cached' | 'skipped';
  seconds: number;
  hash: string;
}

/** Outcome of {@link runLab}. */
export interface RunLabResult {
  runId: string;
  runDir: string;
  config: LabConfig;
  steps: StepStatus[];
  tags: string[];
  reportPath: string;
  analysis: AnalysisOutput | null;
  query: QueryResult | null;
  /** Prompting sweeps: one sub-run per sweep point, under `<runDir>/sweep/`. */
  sweepRuns?: Array<{ point: Record<string, unknown>; result: RunLabResult }>;
}

function sweepPoints(sweep: Record<string, unknown[]>): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [k, vals] of Object.entries(sweep)) out = out.flatMap((p) => vals.map((v) => ({ ...p, [k]: v })));
  return out;
}

function stableHash(v: unknown): string {
  const canon = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(canon)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.keys(x as object)
              .sort()
              .map((k) => [k, canon((x as Record<string, unknown>)[k])]),
          )
        : x;
  return createHash('sha256')
    .update(JSON.stringify(canon(v)))
    .digest('hex')
    .slice(0, 12);
}

/** Finds the newest artifact `<name>` in any run folder under `parent`. */
function findArtifact(parent: string, name: string, exclude: string): string | null {
  if (!existsSync(parent)) return null;
  const runs = readdirSync(parent)
    .filter((d) => d !== exclude)
    .sort()
    .reverse();
  for (const d of runs) {
    const p = join(parent, d, 'artifacts', name);
    if (existsSync(p)) return p;
  }
  return null;
}

/**
 * Runs an experiment: parse and validate, create the run folder, run the present steps in order with hashed caching,
 * write the report (lab.md §3, §11).
 * @param o - options.
 * @returns run id, folder, step statuses and outputs.
 * @throws {LabConfigError} on an invalid config; {@link LabError} when a step fails or W&B is requested.
 */
export async function runLab(o: RunLabOptions): Promise<RunLabResult> {
  let text: string;
  try {
    text = readFileSync(o.configPath, 'utf8');
  } catch (cause) {
    throw new LabConfigError(`cannot read config ${o.configPath}`, { cause });
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (cause) {
    throw new LabConfigError(`config ${o.configPath} is not valid YAML`, { cause });
  }
  if (o.set) raw = applyOverrides(raw, o.set);
  const baseDir = resolve(o.configPath, '..');
  const config = resolveConfig(raw, baseDir);
  if (config.wandb.enabled) {
    throw new LabError(
      'DOJO_LAB_WANDB_UNAVAILABLE',
      'wandb.enabled: Weights & Biases logging is not available (no maintained Node.js client is shipped); results are in the run folder',
    );
  }
  const wanted = new Set<StepName>(o.steps ?? STEPS);
  for (const s of o.steps ?? []) if (!STEPS.includes(s)) throw new LabConfigError(`--steps: unknown step "${s}"`);
  // The query consumes the in-memory model and the data rows: asking for it brings its inputs along.
  if (wanted.has('query')) {
    wanted.add('model');
    wanted.add('data');
  }
  const present = STEPS.filter((s) => config[s] !== undefined);
  const tags: string[] = [...present, ...(o.profile ? ['profiler'] : [])];
  const parent = o.outputDir
    ? resolve(o.outputDir)
    : isAbsolute(config.output.dir)
      ? config.output.dir
      : resolve(config.output.dir);
  const run = new RunFolder(parent, config.name);
  if (config.sweep && config.model?.kind === 'prompting') return runPromptingSweep(o, config, run, text, tags);
  let session: Session | null = null;
  if (o.profile) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const stream = new Stream(config.seed);
  const steps: StepStatus[] = [];
  let model: PromptingModel | null = null;
  let data: DataRow[] = [];
  let query: QueryResult | null = null;
  let analysis: AnalysisOutput | null = null;
  const hashes: Record<string, string> = {};
  const { baseDir: _b, ...printable } = config;
  const resolved: Record<string, unknown> = {
    ...printable,
    tags,
    job_type: o.jobType ?? 'default',
    group: o.group ?? 'default',
  };
  run.event('run_start', { run_id: run.runId, tags, config_path: resolve(o.configPath) });

  const cached = <T>(step: StepName, id: string, hash: string): T | null => {
    if (o.force) return null;
    const p = findArtifact(parent, `${step}-${id}-${hash}.json`, run.runId);
    if (!p) return null;
    return JSON.parse(readFileSync(p, 'utf8'), jsonRevive) as T;
  };
  const saveArtifact = (step: StepName, id: string, hash: string, value: unknown) => {
    writeFileSync(run.path('artifacts', `${step}-${id}-${hash}.json`), JSON.stringify(value, jsonSafe));
  };
  const timed = async (step: StepName, id: string, hash: string, fn: () => Promise<'ran' | 'cached'>) => {
    run.event('step_start', { step, id, hash });
    const t0 = performance.now();
    try {
      const status = await fn();
      const seconds = (performance.now() - t0) / 1000;
      steps.push({ step, id, status, seconds, hash });
      run.event('step_end', { step, id, status, seconds });
    } catch (cause) {
      run.event('step_failed', { step, id, message: (cause as Error).message });
      if (cause instanceof LabError) throw cause;
      throw new LabError('DOJO_LAB_STEP_FAILED', `step ${step} (${id}) failed: ${(cause as Error).message}`, { cause });
    }
  };

  try {
    if (config.model) {
      const m = config.model;
      // The pool's dataset is part of the model: its contents enter the hash, so an edited file invalidates the caches.
      const poolData = m.dendrite_pool?.args.data_path;
      const poolPath = typeof poolData === 'string' ? fromBase(config, poolData) : null;
      const poolStamp =
        poolPath && existsSync(poolPath)
          ? createHash('sha256').update(readFileSync(poolPath)).digest('hex').slice(0, 12)
          : null;
      hashes.model = stableHash({ m, seed: config.seed, poolStamp });
      if (!wanted.has('model'))
        steps.push({ step: 'model', id: m.id, status: 'skipped', seconds: 0, hash: hashes.model });
      else
        await timed('model', m.id, hashes.model, async () => {
          if (m.kind === 'prompting') {
            model = await runModelStep(config, m, { offline: o.offline ?? false, stream });
            resolved.validator_config = model.validatorConfig;
          }
          return 'ran';
        });
    }
    if (config.data) {
      const d = config.data;
      let fileStamp = '';
      try {
        fileStamp = isLocalPath(d.path)
          ? createHash('sha256')
              .update(readFileSync(fromBase(config, d.path)))
              .digest('hex')
              .slice(0, 12)
          : `hf:${datasetsServerUrl()}`;
      } catch {
        fileStamp = 'unreadable';
      }
      hashes.data = stableHash({ d, fileStamp });
      if (!wanted.has('data')) steps.push({ step: 'data', id: d.id, status: 'skipped', seconds: 0, hash: hashes.data });
      else
        await timed('data', d.id, hashes.data, async () => {
          const c = cached<DataRow[]>('data', d.id, hashes.data as string);
          data = c ?? (await runDataStep(config, d));
          if (!c) saveArtifact('data', d.id, hashes.data as string, data);
          run.writeJsonl(`${d.id}.jsonl`, data);
          return c ? 'cached' : 'ran';
        });
    }
    if (config.query) {
      const q = config.query;
      hashes.query = stableHash({ q, model: hashes.model, data: hashes.data, seed: config.seed, sweep: config.sweep });
      if (!wanted.has('query'))
        steps.push({ step: 'query', id: q.id, status: 'skipped', seconds: 0, hash: hashes.query });
      else
        await timed('query', q.id, hashes.query, async () => {
          for (const r of q.requires) {
            if (r === config.model?.id || r === config.data?.id) continue;
            const p = fromBase(config, r);
            if (!existsSync(p))
              throw new LabConfigError(`query.requires: "${r}" is neither a step id of this run nor an existing file`);
            if (data.length === 0) data = await runDataStep(config, { id: r, path: p, schema: null, sample: null });
          }
          const c = cached<QueryResult>('query', q.id, hashes.query as string);
          if (c) {
            query = c;
            run.writeJsonl(`${q.id}.jsonl`, c.events);
            return 'cached';
          }
          if (!config.model) throw new LabConfigError('query needs a model section');
          if (config.model.kind === 'prompting') {
            if (!model) throw new LabConfigError('query needs the model step (it was excluded by --steps)');
            if (q.method.name !== 'train' && data.length === 0)
              throw new LabConfigError('query needs non-empty data (data section or requires)');
            query = await runPromptingQuery(model, q, data, run, o.progress);
          } else query = await runMechanismQuery(config, config.model, q, data, run);
          saveArtifact('query', q.id, hashes.query as string, query);
          if (query.strategyReport !== undefined) run.writeJson('analysis/strategy_report.json', query.strategyReport);
          return 'ran';
        });
    }
    if (config.analysis) {
      const a = config.analysis;
      const files = a.requires.filter((r) => r !== config.query?.id).map((r) => fromBase(config, r));
      const fileStamps = files.map((f) =>
        existsSync(f) ? createHash('sha256').update(readFileSync(f)).digest('hex').slice(0, 12) : f,
      );
      hashes.analysis = stableHash({ a, query: hashes.query, fileStamps, seed: config.seed });
      if (!wanted.has('analysis'))
        steps.push({ step: 'analysis', id: a.id, status: 'skipped', seconds: 0, hash: hashes.analysis });
      else
        await timed('analysis', a.id, hashes.analysis, async () => {
          const c = cached<AnalysisOutput>('analysis', a.id, hashes.analysis as string);
          if (c) {
            analysis = c;
            return 'cached';
          }
          let events: Record<string, unknown>[] = [];
          const qr = query as QueryResult | null;
          if (qr) events = qr.events;
          else if (config.query && a.requires.includes(config.query.id)) {
            // Query not run now (--steps): reuse its newest artifact with the same hash.
            const prev = findArtifact(parent, `query-${config.query.id}-${hashes.query}.json`, '');
            if (!prev)
              throw new LabConfigError(
                `analysis.requires: no cached result for query "${config.query.id}"; run the query first`,
              );
            events = (JSON.parse(readFileSync(prev, 'utf8'), jsonRevive) as QueryResult).events;
          }
          if (files.length > 0) events = [...events, ...loadResultFiles(files)];
          if (events.length === 0 && !qr)
            throw new LabConfigError(
              'analysis needs query results (this run, a query id, or result files in requires)',
            );
          const pm = model as PromptingModel | null;
          analysis = await runAnalysisStep(
            config,
            a,
            events,
            pm ? pm.neuron.metagraph.n : null,
            run,
            o.offline ?? false,
          );
          saveArtifact('analysis', a.id, hashes.analysis as string, analysis);
          return 'ran';
        });
    }
  } finally {
    writeFileSync(run.path('config.yaml'), text);
    writeFileSync(run.path('config.resolved.yaml'), stringify(JSON.parse(JSON.stringify(resolved, jsonSafe))));
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(run.path('profile.cpuprofile'), JSON.stringify(profile));
      session.disconnect();
    }
  }
  const strategy = (query as QueryResult | null)?.strategyReport;
  const reportPath = run.path('report.html');
  writeFileSync(
    reportPath,
    renderReport({
      runId: run.runId,
      configYaml: text,
      resolvedYaml: stringify(JSON.parse(JSON.stringify(resolved, jsonSafe))),
      steps,
      analysis,
      strategyHtml: strategy === undefined ? null : renderStrategyReports(strategy as SweepReport[]),
    }),
  );
  run.event('run_end', { steps });
  return { runId: run.runId, runDir: run.dir, config, steps, tags, reportPath, analysis, query };
}

/**
 * A prompting experiment with `sweep`: one complete sub-run (model, data, query, analysis) per sweep point, each with
 * the dotted-key overrides of its point, under `<run>/sweep/`; the parent report links them with their metrics.
 */
async function runPromptingSweep(
  o: RunLabOptions,
  config: LabConfig,
  run: RunFolder,
  text: string,
  tags: string[],
): Promise<RunLabResult> {
  run.event('run_start', { run_id: run.runId, tags, sweep: config.sweep });
  const sweepRuns: NonNullable<RunLabResult['sweepRuns']> = [];
  for (const point of sweepPoints(config.sweep as Record<string, unknown[]>)) {
    const { outputDir: _d, ...rest } = o;
    const result = await runLab({
      ...rest,
      set: { ...(o.set ?? {}), ...point, sweep: null },
      outputDir: run.path('sweep'),
    });
    sweepRuns.push({ point, result });
    run.event('sweep_point', { point, run_id: result.runId });
  }
  writeFileSync(run.path('config.yaml'), text);
  const { baseDir: _b, ...printable } = config;
  writeFileSync(
    run.path('config.resolved.yaml'),
    stringify(JSON.parse(JSON.stringify({ ...printable, tags }, jsonSafe))),
  );
  const metricKeys = [...new Set(sweepRuns.flatMap((s) => Object.keys(s.result.analysis?.metrics ?? {})))];
  const reportPath = run.path('report.html');
  writeFileSync(
    reportPath,
    renderReport({
      runId: run.runId,
      configYaml: text,
      resolvedYaml: '',
      steps: [],
      analysis: {
        charts: [],
        metrics: {},
        tables: [
          {
            key: 'sweep',
            title: 'sweep points (sub-runs under sweep/)',
            columns: ['point', 'run', ...metricKeys],
            rows: sweepRuns.map((s) => [
              JSON.stringify(s.point),
              `sweep/${s.result.runId}/report.html`,
              ...metricKeys.map((k) => s.result.analysis?.metrics[k]),
            ]),
          },
        ],
      },
      strategyHtml: null,
    }),
  );
  run.event('run_end', { sweep_points: sweepRuns.length });
  return {
    runId: run.runId,
    runDir: run.dir,
    config,
    steps: [],
    tags,
    reportPath,
    analysis: null,
    query: null,
    sweepRuns,
  };
}
