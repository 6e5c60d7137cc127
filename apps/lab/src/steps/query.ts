import type { LabConfig, ModelSection, QuerySection } from '../config.js';
import { LabConfigError, LabError } from '../errors.js';
import { runMechanism, type StrategyReport } from '../mechanisms/index.js';
import type { RunFolder } from '../run/run-folder.js';
import { progress } from '../run/run-folder.js';
import type { LabEvent } from '../validator/neuron.js';
import type { DataRow } from './data.js';
import type { PromptingModel } from './model.js';

/** Result of the query step: the event rows written to `<query.id>.jsonl`. */
export interface QueryResult {
  events: Record<string, unknown>[];
  /** Strategy report of a mechanism model (dojo/chunking), when produced. */
  strategyReport?: unknown;
}

function strip(e: Record<string, unknown>, ignore: readonly string[]): Record<string, unknown> {
  const o = { ...e };
  for (const k of ignore) delete o[k];
  return o;
}

/**
 * The query step for `kind: prompting` (lab.md §6.3 train / forward / inference).
 * @returns the events.
 */
export async function runPromptingQuery(
  model: PromptingModel,
  q: QuerySection,
  data: DataRow[],
  run: RunFolder,
  showProgress?: boolean,
): Promise<QueryResult> {
  const { neuron, validatorConfig: vc } = model;
  const rows: Record<string, unknown>[] = [];
  const save = () => run.writeJsonl(`${q.id}.jsonl`, rows);
  const maxIter = (q.method.args.max_iter as number | undefined) ?? 1;
  if (q.method.name === 'train') {
    const bar = progress(`query ${q.id}`, maxIter, showProgress);
    for (let i = 0; i < maxIter; i++) {
      const t0 = performance.now();
      const events = await neuron.train(1);
      const callTime = (performance.now() - t0) / 1000;
      events.forEach((e, j) => {
        rows.push(strip({ ...e, call_time: callTime, step: i, step_sub: events.length - 1 - j }, q.ignore_attr));
      });
      const lh = neuron.gating.lossHistory;
      if (lh.length >= 2) {
        const completionLoss = lh.pop() as number;
        const queryLoss = lh.pop() as number;
        run.metric(i, 'gating_model_train.loss.Query loss', queryLoss);
        run.metric(i, 'gating_model_train.loss.Completion loss', completionLoss);
      }
      run.metric(i, 'gating_model_train.epoch', i);
      if (i % q.save_interval === 0) save();
      bar.tick();
    }
    bar.stop();
  } else {
    if (data.length === 0) throw new LabError('DOJO_LAB_STEP_FAILED', `query ${q.id}: needs non-empty data`);
    const chunks: DataRow[] = [];
    if (q.method.name === 'forward')
      for (let i = 0; i < data.length; i += q.chunk_size) chunks.push(data[i] as DataRow);
    else chunks.push(...data);
    const bar = progress(`query ${q.id}`, chunks.length, showProgress);
    for (let ci = 0; ci < chunks.length; ci++) {
      const row = chunks[ci] as DataRow;
      const t0 = performance.now();
      if (q.method.name === 'forward') {
        const e: LabEvent | null = await neuron.forward({
          roles: ['system', 'user'],
          messages: [vc.base_prompt, row.question],
          topk: vc.training_topk,
          randomSampleUids: true,
          trainGatingModel: true,
          timeout: vc.training_timeout,
        });
        neuron.afterIteration();
        if (e)
          rows.push(strip({ ...e, call_time: (performance.now() - t0) / 1000, step: ci, step_sub: 0 }, q.ignore_attr));
        if ((ci * q.chunk_size) % q.save_interval === 0) save();
      } else {
        const r = await neuron.inference([{ role: 'user', content: row.question }]);
        rows.push(
          strip(
            {
              message: row.question,
              completion: r.completion,
              scores: r.scores,
              all_uids: r.uids,
              call_time: (performance.now() - t0) / 1000,
              step: ci,
            },
            q.ignore_attr,
          ),
        );
        if (ci % q.save_interval === 0) save();
      }
      bar.tick();
    }
    bar.stop();
  }
  save();
  run.writeJsonl('weights.jsonl', neuron.subtensor.history);
  neuron.subtensor.history.forEach((w, i) => {
    run.metric(i, 'weights.max', Math.max(...w.weights));
    run.metric(i, 'weights.nonzero', w.weights.filter((x) => x > 0).length);
    run.metric(i, 'weights.block', w.block);
  });
  return { events: rows };
}

/** One strategy report of a mechanism run, with the sweep values it was run under (empty without sweep). */
export interface SweepReport {
  sweep: Record<string, unknown>;
  report: StrategyReport;
}

function cartesian(sweep: Record<string, unknown[]>): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [k, vals] of Object.entries(sweep)) out = out.flatMap((o) => vals.map((v) => ({ ...o, [k]: v })));
  return out;
}

/**
 * The query step for `kind: dojo | chunking` (method `rounds`): `runMechanism` of src/mechanisms, once per sweep value
 * (`sweep` keys are dotted config keys under `model.`), events tagged with the sweep values.
 * @returns the events and one strategy report per sweep point.
 * @throws {LabConfigError} for a sweep key outside `model.`.
 */
export async function runMechanismQuery(
  config: LabConfig,
  model: ModelSection,
  q: QuerySection,
  data: DataRow[],
  run: RunFolder,
): Promise<QueryResult> {
  const points = config.sweep ? cartesian(config.sweep) : [{}];
  const events: Record<string, unknown>[] = [];
  const weights: Record<string, unknown>[] = [];
  const reports: SweepReport[] = [];
  for (const point of points) {
    const m = structuredClone(model) as Record<string, unknown>;
    for (const [key, value] of Object.entries(point)) {
      if (!key.startsWith('model.')) throw new LabConfigError(`sweep key "${key}": only model.* keys can be swept`);
      const parts = key.split('.').slice(1);
      let cur = m;
      for (const p of parts.slice(0, -1)) {
        if (typeof cur[p] !== 'object' || cur[p] === null) cur[p] = {};
        cur = cur[p] as Record<string, unknown>;
      }
      cur[parts[parts.length - 1] as string] = value;
    }
    const args = q.method.args as { n_rounds: number; weights_every: number };
    const out = await runMechanism(m, args, { seed: config.seed, ...(data.length > 0 ? { data } : {}) });
    const tag = Object.keys(point).length > 0 ? { sweep: point } : {};
    for (const e of out.events) events.push(strip({ ...e, ...tag }, q.ignore_attr));
    for (const w of out.weights) weights.push({ ...(w as unknown as Record<string, unknown>), ...tag });
    reports.push({ sweep: point, report: out.report });
  }
  run.writeJsonl(`${q.id}.jsonl`, events);
  run.writeJsonl('weights.jsonl', weights);
  return { events, strategyReport: reports };
}
