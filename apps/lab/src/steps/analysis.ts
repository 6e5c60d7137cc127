import { readFileSync, writeFileSync } from 'node:fs';
import type { Embedder } from '@dojo-ts/models';
import { pearson, spearman } from '@dojo-ts/scoring';
import { feature, SCALAR_FEATURES } from '../analysis/features.js';
import { type GbrOptions, GradientBoostingRegressor, meanAbsoluteError, r2Score, shuffle } from '../analysis/gbr.js';
import { pca } from '../analysis/linalg.js';
import { loadTokenizer } from '../components/tokenizer.js';
import { type AnalysisSection, fromBase, type LabConfig } from '../config.js';
import { LabError } from '../errors.js';
import { bars, heatmap, histogram, lineChart, scatter } from '../report/svg.js';
import { Stream } from '../rng.js';
import type { RunFolder } from '../run/run-folder.js';
import { resolveModelPath } from './model.js';

/** One chart of the report: its W&B-style key, title, inline SVG and the data behind it. */
export interface Chart {
  key: string;
  title: string;
  svg: string;
  data: unknown;
}

/** One table of the report. */
export interface Table {
  key: string;
  title: string;
  columns: string[];
  rows: unknown[][];
}

/** What the analysis step produces. */
export interface AnalysisOutput {
  charts: Chart[];
  tables: Table[];
  metrics: Record<string, number>;
}

type Row = Record<string, unknown>;

function numArr(v: unknown): number[] {
  if (Array.isArray(v))
    return v.map((x) => (typeof x === 'number' ? x : typeof x === 'string' ? Number(x) : Number.NaN));
  if (typeof v === 'number') return [v];
  return [];
}

/**
 * Loads result files (`.jsonl` or `.csv`), tagging each row with a `path` column (lab.md §3, analysis alone).
 * @throws {LabError} DOJO_LAB_DATA_INVALID for an unreadable or unsupported file.
 */
export function loadResultFiles(paths: string[]): Row[] {
  const rows: Row[] = [];
  for (const p of paths) {
    let text: string;
    try {
      text = readFileSync(p, 'utf8');
    } catch (cause) {
      throw new LabError('DOJO_LAB_DATA_INVALID', `cannot read result file ${p}`, { cause });
    }
    if (p.endsWith('.csv')) {
      const [head, ...lines] = text.split('\n').filter((l) => l.trim().length > 0);
      const cols = (head ?? '').split(',');
      for (const l of lines) {
        const cells = l.split(',');
        rows.push({ ...Object.fromEntries(cols.map((c, i) => [c, parseCell(cells[i] ?? '')])), path: p });
      }
    } else {
      text.split('\n').forEach((l, i) => {
        if (l.trim().length === 0) return;
        // Validator completions logs: an optional text prefix (timestamp) before the JSON record, fields under `extra`.
        const brace = l.indexOf('{');
        if (brace < 0) throw new LabError('DOJO_LAB_DATA_INVALID', `${p}:${i + 1}: no JSON record`);
        let o: Row;
        try {
          o = JSON.parse(l.slice(brace)) as Row;
        } catch (cause) {
          throw new LabError('DOJO_LAB_DATA_INVALID', `${p}:${i + 1}: not JSON`, { cause });
        }
        const extra = typeof o.extra === 'object' && o.extra !== null ? (o.extra as Row) : {};
        const prefix = l
          .slice(0, brace)
          .replace(/[|\s]+$/, '')
          .trim();
        const ts = prefix.length > 0 ? Date.parse(prefix.split('|')[0]?.trim() ?? '') : Number.NaN;
        rows.push({ ...o, ...extra, ...(Number.isFinite(ts) ? { timestamp: ts } : {}), path: p });
      });
    }
  }
  rows.forEach((r, i) => {
    if (r.step === undefined) r.step = i;
  });
  return rows;
}

function parseCell(s: string): unknown {
  const n = Number(s);
  return s.trim() !== '' && Number.isFinite(n) ? n : s;
}

function rolling(v: number[], w: number): number[] {
  return v.map((_, i) => {
    const s = v.slice(Math.max(0, i - w + 1), i + 1).filter(Number.isFinite);
    return s.length === 0 ? Number.NaN : s.reduce((a, b) => a + b, 0) / s.length;
  });
}

/**
 * The analysis step (lab.md §10).
 * @param config - resolved config (seed, paths).
 * @param a - analysis section.
 * @param events - query events (this run or `requires` files).
 * @param numUidsHint - metagraph n when a model exists.
 * @param run - run folder (chart data, predictions).
 * @returns charts, tables and scalar metrics.
 */
export async function runAnalysisStep(
  config: LabConfig,
  a: AnalysisSection,
  events: Row[],
  numUidsHint: number | null,
  run: RunFolder,
  offline = false,
): Promise<AnalysisOutput> {
  const charts: Chart[] = [];
  const tables: Table[] = [];
  const metrics: Record<string, number> = {};
  const add = (key: string, title: string, svg: string, data: unknown) => {
    charts.push({ key, title, svg, data });
    run.writeJson(`analysis/${key.replace(/[^A-Za-z0-9_.-]+/g, '_')}.json`, data);
  };
  if (events.length === 0) return { charts, tables, metrics };
  let maxUid = -1;
  for (const e of events) for (const u of [...numArr(e.uids), ...numArr(e.all_uids)]) maxUid = Math.max(maxUid, u);
  const numUids = numUidsHint ?? Math.max(maxUid + 1, ...events.map((e) => numArr(e.scores).length));
  const hasRewards = events.some((e) => Array.isArray(e.rewards));

  // Score/reward agreement per event, rolling 10.
  if (hasRewards) {
    const p: number[] = [];
    const s: number[] = [];
    for (const e of events) {
      const uids = numArr(e.uids);
      const sc = numArr(e.scores);
      const rw = numArr(e.rewards);
      const x = uids.map((u) => sc[u] as number);
      const ok = x.length >= 2 && x.every(Number.isFinite);
      p.push(ok ? safe(() => pearson(x, rw)) : Number.NaN);
      s.push(ok ? safe(() => spearman(x, rw)) : Number.NaN);
    }
    const steps = events.map((_, i) => i);
    const data = { step: steps, pearson: rolling(p, 10), spearman: rolling(s, 10) };
    add(
      'correlation',
      'Correlation of Scores and Rewards, Rolling 10 Iterations',
      lineChart(
        'Correlation of Scores and Rewards, Rolling 10 Iterations',
        [
          { name: 'pearson', x: steps, y: data.pearson },
          { name: 'spearman', x: steps, y: data.spearman },
        ],
        'event',
        'correlation',
      ),
      data,
    );
  }

  // Per-uid panels.
  for (const v of ['rewards', 'scores'] as const) {
    if (!events.some((e) => Array.isArray(e[v]))) continue;
    const m = Array.from({ length: numUids }, () => new Array<number>(events.length).fill(Number.NaN));
    events.forEach((e, j) => {
      const vals = numArr(e[v]);
      if (v === 'rewards')
        numArr(e.uids).forEach((u, i) => {
          if (m[u]) (m[u] as number[])[j] = vals[i] as number;
        });
      else
        vals.forEach((x, u) => {
          if (m[u]) (m[u] as number[])[j] = x;
        });
    });
    add(`uid_vs_${v}`, `uid vs ${v}`, heatmap(`uid vs ${v}`, m), { matrix: m });
    const ewm = m.map((row) => {
      let acc = Number.NaN;
      return row.map((x) => {
        if (Number.isFinite(x)) acc = Number.isFinite(acc) ? 0.1 * x + 0.9 * acc : x;
        return acc;
      });
    });
    add(`uid_vs_${v}_ewm`, `uid vs ${v} (EWM, α = 0.1)`, heatmap(`uid vs ${v} (EWM, α = 0.1)`, ewm), { matrix: ewm });
    const means = m.map((row) => meanOf(row));
    const sem = m.map((row) => {
      const f = row.filter(Number.isFinite);
      if (f.length < 2) return 0;
      const mu = meanOf(f);
      return Math.sqrt(f.reduce((s2, x) => s2 + (x - mu) ** 2, 0) / (f.length - 1) / f.length);
    });
    add(`average_uid_${v}`, `average ${v} per uid`, bars(`average ${v} per uid`, means, sem, 'uid', v), {
      mean: means,
      sem,
    });
    add(
      `average_${v}`,
      `distribution of per-uid mean ${v}`,
      histogram(`distribution of per-uid mean ${v}`, means, 20, v),
      { mean: means },
    );
    const slices = [0, 1, 2, 3, 4].map((b) => {
      const lo = Math.floor((events.length * b) / 5);
      const hi = Math.floor((events.length * (b + 1)) / 5);
      return {
        name: `${b * 20} - ${(b + 1) * 20}%`,
        x: m.map((_, u) => u),
        y: m.map((row) => meanOf(row.slice(lo, hi))),
      };
    });
    add(
      `average_slices_${v}`,
      `per-uid mean ${v} by fifth of the run`,
      lineChart(`per-uid mean ${v} by fifth of the run`, slices, 'uid', v),
      slices,
    );
  }
  if (events.some((e) => Array.isArray(e.all_uids))) {
    const success = new Array<number>(numUids).fill(0);
    const total = new Array<number>(numUids).fill(0);
    for (const e of events) {
      for (const u of numArr(e.uids)) if (u < numUids) success[u] = (success[u] as number) + 1;
      for (const u of numArr(e.all_uids)) if (u < numUids) total[u] = (total[u] as number) + 1;
    }
    add(
      'uid_hit_success',
      'successful calls per uid',
      bars('successful calls per uid', success, undefined, 'uid', 'calls'),
      { success },
    );
    add('uid_hit_total', 'calls per uid', bars('calls per uid', total, undefined, 'uid', 'calls'), { total });
    metrics.success_rate =
      success.reduce((x, y) => x + y, 0) /
      Math.max(
        1,
        total.reduce((x, y) => x + y, 0),
      );
  }

  // Tabular view: one row per successful uid.
  const tab: Row[] = [];
  events.forEach((e, j) => {
    const uids = numArr(e.uids);
    if (uids.length === 0) {
      tab.push({ ...e, event: j });
      return;
    }
    const rw = numArr(e.rewards);
    const comps = Array.isArray(e.all_completions) ? (e.all_completions as unknown[]) : [];
    const sc = numArr(e.scores);
    uids.forEach((u, i) => {
      tab.push({
        event: j,
        step: e.step,
        message: e.message,
        prompt: e.message,
        uid: u,
        rewards: rw[i],
        scores: sc[u],
        completion: comps[i] ?? e.completion,
        call_time: e.call_time,
      });
    });
  });
  if (hasRewards) {
    const byStep = groupMean(tab, 'step', 'rewards');
    add(
      'Rewards',
      'Rewards',
      lineChart('Rewards', [{ name: 'mean reward', x: byStep.x, y: byStep.y }], 'step', 'reward'),
      byStep,
    );
  }
  if (events.some((e) => typeof e.call_time === 'number')) {
    const ct = groupMean(events, 'step', 'call_time');
    add(
      'Call time',
      'Call time',
      lineChart('Call time', [{ name: 'call time (s)', x: ct.x, y: ct.y }], 'step', 's'),
      ct,
    );
  }

  // Features.
  const feats: Array<{ base: string; name: string }> = [];
  if (Array.isArray(a.create_features)) for (const f of a.create_features) feats.push({ base: 'message', name: f });
  else if (a.create_features)
    for (const [base, l] of Object.entries(a.create_features)) for (const f of l) feats.push({ base, name: f });
  for (const { base, name } of feats) {
    if (!SCALAR_FEATURES.includes(name)) continue;
    const col = base === 'message' ? name : `${base}_${name}`;
    for (const r of tab) r[col] = feature(name, String(r[base] ?? ''));
  }
  const tokFeats = feats.filter((f) => f.name === 'reward_num_tokens');
  if (tokFeats.length > 0) {
    const tokenize = await loadTokenizer(resolveModelPath(config, a.reward_tokenizer), offline);
    for (const { base } of tokFeats) {
      const col = base === 'message' ? 'reward_num_tokens' : `${base}_reward_num_tokens`;
      for (const r of tab) r[col] = tokenize(String(r[base] ?? '')).length;
    }
  }
  const wantsEmbed = feats.some((f) => f.name === 'embeddings' || f.name === 'embedding');
  if (wantsEmbed || (a.predict && Object.values(a.predict).some((p) => p.x === 'embedding'))) {
    const embedder = await makeEmbedder(config, a);
    const base = feats.find((f) => f.name === 'embeddings' || f.name === 'embedding')?.base ?? 'message';
    const texts = tab.map((r) => String(r[base] ?? ''));
    const unique = [...new Set(texts)];
    const vecs = await embedder.embed(unique);
    const byText = new Map(unique.map((t, i) => [t, Array.from(vecs[i] as Float32Array)]));
    for (const r of tab) r.embedding = byText.get(String(r[base] ?? ''));
    if (wantsEmbed && unique.length >= 3) {
      // Embeddings depend on the text only: project each distinct text once.
      let X = unique.map((t) => byText.get(t) as number[]);
      if (a.pca) {
        const full = pca(X, Math.min(X[0]?.length ?? 1, 50));
        const cum: number[] = [];
        let acc = 0;
        for (const e of full.explained) {
          acc += e;
          cum.push(acc);
        }
        const th = a.pca.threshold;
        const k =
          th !== undefined
            ? Math.max(1, cum.findIndex((c) => c > th) + 1 || cum.length)
            : Math.max(1, Math.round((a.pca.n_components ?? 0.5) * (X[0]?.length ?? 1)));
        add(
          'pca_explained_variance',
          'PCA cumulative explained variance',
          lineChart(
            'PCA cumulative explained variance',
            [{ name: `n_components = ${k}`, x: cum.map((_, i) => i + 1), y: cum }],
            'component',
            'cumulative explained variance',
          ),
          { cumulative: cum, n_components: k },
        );
        X = pca(X, k).projected;
      }
      const proj = await project2d(X, a.embedding.method, config.seed);
      const at = new Map(unique.map((t, i) => [t, proj[i] as number[]]));
      const xy = texts.map((t) => at.get(t) as number[]);
      const scoreCol = a.embedding_plot?.columns[2] ?? 'rewards';
      const sv = tab.map((r) => Number(r[scoreCol]));
      const [lo, hi] = [Math.min(...sv.filter(Number.isFinite)), Math.max(...sv.filter(Number.isFinite))];
      const scaled = sv.map((s2) => (hi > lo ? (s2 - lo) / (hi - lo) : 0));
      tab.forEach((r, i) => {
        r.embedding_x = xy[i]?.[0];
        r.embedding_y = xy[i]?.[1];
      });
      run.writeJsonl(
        'analysis/df_embed.jsonl',
        tab.map((r) => ({
          message: r.message,
          uid: r.uid,
          embedding_x: r.embedding_x,
          embedding_y: r.embedding_y,
          [scoreCol]: r[scoreCol],
        })),
      );
      const key = `embedding_x_and_embedding_y_vs_${scoreCol}`;
      add(
        key,
        `embeddings coloured by ${scoreCol} (MinMax)`,
        scatter(
          `embeddings coloured by ${scoreCol} (MinMax)`,
          xy.map((p) => p[0] as number),
          xy.map((p) => p[1] as number),
          { xl: 'embedding_x', yl: 'embedding_y', color: scaled, labels: tab.map((r) => String(r.message ?? '')) },
        ),
        { x: xy.map((p) => p[0]), y: xy.map((p) => p[1]), score: scaled },
      );
    }
  }

  // Scatter per plot pair, with the reward-vs-feature correlation.
  for (const [yCol, xCols] of Object.entries(a.plot ?? {})) {
    for (const xCol of xCols) {
      const pts = tab
        .map((r) => [Number(r[xCol]), Number(r[yCol])] as const)
        .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      const r = xs.length >= 2 ? safe(() => pearson(xs, ys)) : Number.NaN;
      metrics[`corr.${xCol}.${yCol}`] = r;
      const title = `${xCol} vs ${yCol}: Correlation = ${Number.isFinite(r) ? r.toFixed(3) : 'n/a'}`;
      add(
        `${xCol} vs ${yCol}`,
        title,
        scatter(title, xs, ys, {
          xl: xCol,
          yl: yCol,
          trend: true,
          marginals: true,
          labels: tab.map((t) => String(t.message ?? '')),
        }),
        { x: xs, y: ys, correlation: r },
      );
    }
  }

  // Estimators and predictions.
  for (const [target, spec] of Object.entries(a.predict ?? {})) {
    const est = a.estimators?.[spec.estimator];
    if (!est) continue;
    const usable = tab.filter((r) => Number.isFinite(Number(r[target])) && r[spec.x] !== undefined);
    if (usable.length < 10) continue;
    const X = usable.map((r) => (Array.isArray(r[spec.x]) ? (r[spec.x] as number[]) : [Number(r[spec.x])]));
    const y = usable.map((r) => Number(r[target]));
    const idx = shuffle(
      new Stream(0),
      usable.map((_, i) => i),
    );
    const nTest = Math.max(1, Math.floor(0.2 * idx.length));
    const test = new Set(idx.slice(0, nTest));
    const tr = idx.filter((i) => !test.has(i));
    const { verbose: _v, ...args } = est.args as GbrOptions;
    const model = new GradientBoostingRegressor(args).fit(
      tr.map((i) => X[i] as number[]),
      tr.map((i) => y[i] as number),
    );
    const pred = model.predict(X);
    const sub = (s: 'train' | 'test') => (s === 'test' ? [...test] : tr);
    for (const s of ['train', 'test'] as const) {
      const ii = sub(s);
      metrics[`${spec.estimator}.${target}.${s}.r2`] = r2Score(
        ii.map((i) => y[i] as number),
        ii.map((i) => pred[i] as number),
      );
      metrics[`${spec.estimator}.${target}.${s}.mae`] = meanAbsoluteError(
        ii.map((i) => y[i] as number),
        ii.map((i) => pred[i] as number),
      );
    }
    const csv = [
      'y,y_pred,abs_error,subset',
      ...y.map((v, i) => `${v},${pred[i]},${Math.abs(v - (pred[i] as number))},${test.has(i) ? 'test' : 'train'}`),
    ];
    writeFileSync(run.path('analysis', 'gbr_predictions.csv'), `${csv.join('\n')}\n`);
    const it = model.trainScore.map((_, i) => i + 1);
    add(
      `${spec.estimator}_${target}_train_loss`,
      `${spec.estimator}: training loss`,
      lineChart(
        `${spec.estimator}: training loss (${target} from ${spec.x})`,
        [{ name: 'train loss', x: it, y: model.trainScore }],
        'iteration',
        'MSE',
      ),
      { iteration: it, loss: model.trainScore },
    );
    if (model.oobImprovement.length > 0) {
      add(
        `${spec.estimator}_${target}_oob`,
        `${spec.estimator}: out-of-bag improvement`,
        lineChart(
          `${spec.estimator}: out-of-bag improvement`,
          [{ name: 'oob improvement', x: it, y: model.oobImprovement }],
          'iteration',
          'improvement',
        ),
        { iteration: it, oob: model.oobImprovement },
      );
    }
    for (const s of ['train', 'test'] as const) {
      const ii = sub(s);
      const title = `${target}: true vs predicted (${s}, R² = ${(metrics[`${spec.estimator}.${target}.${s}.r2`] as number).toFixed(3)})`;
      add(
        `${spec.estimator}_${target}_true_vs_pred_${s}`,
        title,
        scatter(
          title,
          ii.map((i) => y[i] as number),
          ii.map((i) => pred[i] as number),
          {
            xl: 'y',
            yl: 'y_pred',
            color: ii.map((i) => Math.abs((y[i] as number) - (pred[i] as number))),
            identity: true,
          },
        ),
        null,
      );
    }
    tables.push({
      key: `${spec.estimator}_${target}_metrics`,
      title: `${spec.estimator} predicting ${target} from ${spec.x}`,
      columns: ['subset', 'R²', 'MAE', 'rows'],
      rows: (['train', 'test'] as const).map((s) => [
        s,
        metrics[`${spec.estimator}.${target}.${s}.r2`],
        metrics[`${spec.estimator}.${target}.${s}.mae`],
        sub(s).length,
      ]),
    });
  }
  logfileExtras(events, tab, numUids, add, tables, metrics);
  tables.push({
    key: 'history_tabular',
    title: 'history (first 50 rows)',
    columns: ['step', 'uid', 'rewards', 'message', 'completion'],
    rows: tab
      .slice(0, 50)
      .map((r) => [
        r.step,
        r.uid,
        r.rewards,
        String(r.message ?? '').slice(0, 80),
        String(r.completion ?? '').slice(0, 60),
      ]),
  });
  return { charts, tables, metrics };
}

function safe(f: () => number): number {
  try {
    return f();
  } catch {
    return Number.NaN;
  }
}

function meanOf(v: number[]): number {
  const f = v.filter(Number.isFinite);
  return f.length === 0 ? Number.NaN : f.reduce((a, b) => a + b, 0) / f.length;
}

function groupMean(rows: Row[], key: string, val: string): { x: number[]; y: number[] } {
  const m = new Map<number, number[]>();
  for (const r of rows) {
    const k = Number(r[key]);
    const v = Number(r[val]);
    if (!Number.isFinite(k) || !Number.isFinite(v)) continue;
    const l = m.get(k) ?? [];
    l.push(v);
    m.set(k, l);
  }
  const x = [...m.keys()].sort((p, q) => p - q);
  return { x, y: x.map((k) => meanOf(m.get(k) as number[])) };
}

async function makeEmbedder(config: LabConfig, a: AnalysisSection): Promise<Embedder> {
  const { createDeterministicEmbedder, createLocalEmbedder } = await import('@dojo-ts/models');
  if (a.embedding.embedder === 'local') {
    return createLocalEmbedder(
      a.embedding.model_path ? { model: fromBase(config, a.embedding.model_path), offline: true } : {},
    );
  }
  return createDeterministicEmbedder(a.embedding.dim);
}

async function project2d(X: number[][], method: 'umap' | 'pca', seed: number): Promise<number[][]> {
  if (method === 'umap' && X.length >= 6) {
    const { UMAP } = await import('umap-js');
    const rng = new Stream(seed);
    const umap = new UMAP({
      nComponents: 2,
      nNeighbors: Math.min(15, X.length - 1),
      nEpochs: 200,
      random: () => rng.next(),
    });
    return umap.fit(X);
  }
  return pca(X, 2).projected.map((p) => [p[0] ?? 0, p[1] ?? 0]);
}

type AddChart = (key: string, title: string, svg: string, data: unknown) => void;

/**
 * The analyze-logfile extras (lab.md §10.2): leaderboards, throughput, per-uid diversity, message rates of the most
 * frequent completions and the uid overlap matrix of their top-N completions (identical outputs cluster).
 */
function logfileExtras(
  events: Row[],
  tab: Row[],
  numUids: number,
  add: AddChart,
  tables: Table[],
  metrics: Record<string, number>,
): void {
  const withComp = tab.filter((r) => typeof r.completion === 'string' && typeof r.uid === 'number');
  if (withComp.length === 0) return;
  const byUid = new Map<number, { rewards: number[]; comps: string[] }>();
  for (const r of withComp) {
    const e = byUid.get(r.uid as number) ?? { rewards: [], comps: [] };
    if (Number.isFinite(Number(r.rewards))) e.rewards.push(Number(r.rewards));
    e.comps.push(r.completion as string);
    byUid.set(r.uid as number, e);
  }
  const uidBoard = [...byUid]
    .map(([uid, e]) => [uid, meanOf(e.rewards), e.comps.length, new Set(e.comps).size / e.comps.length] as const)
    .sort(
      (a, b) => (Number.isFinite(b[1]) ? b[1] : -Infinity) - (Number.isFinite(a[1]) ? a[1] : -Infinity) || a[0] - b[0],
    );
  tables.push({
    key: 'leaderboard_uids',
    title: 'leaderboard: top 10 uids by mean reward',
    columns: ['uid', 'mean reward', 'responses', 'diversity'],
    rows: uidBoard.slice(0, 10).map((r) => [...r]),
  });
  const byComp = new Map<string, number[]>();
  for (const r of withComp) {
    const l = byComp.get(r.completion as string) ?? [];
    l.push(Number(r.rewards));
    byComp.set(r.completion as string, l);
  }
  const compBoard = [...byComp]
    .map(([c, l]) => [c.slice(0, 80), meanOf(l), l.length] as const)
    .sort((a, b) => (b[1] || 0) - (a[1] || 0));
  tables.push({
    key: 'leaderboard_completions',
    title: 'leaderboard: top 10 completions by mean reward',
    columns: ['completion', 'mean reward', 'count'],
    rows: compBoard.slice(0, 10).map((r) => [...r]),
  });
  const diversity = Array.from({ length: numUids }, (_, u) => {
    const e = byUid.get(u);
    return e ? new Set(e.comps).size / e.comps.length : Number.NaN;
  });
  add(
    'uid_diversity',
    'per-uid diversity (unique / total completions)',
    bars('per-uid diversity (unique / total completions)', diversity, undefined, 'uid', 'diversity'),
    { diversity },
  );
  // Message rates: occurrences per step of the 5 most frequent completions (spam, cached answers).
  const top = [...byComp]
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, 5)
    .map(([c]) => c);
  const steps = [...new Set(withComp.map((r) => Number(r.step)))].filter(Number.isFinite).sort((a, b) => a - b);
  const series = top.map((c) => ({
    name: c.trim().slice(0, 30),
    x: steps,
    y: steps.map((s) => withComp.filter((r) => Number(r.step) === s && r.completion === c).length),
  }));
  add(
    'message_rates',
    'occurrences of the 5 most frequent completions',
    lineChart('occurrences of the 5 most frequent completions', series, 'step', 'count'),
    series,
  );
  // Overlap of the top-N most frequent completions between uids (N = 5).
  const N = 5;
  const topN = Array.from({ length: numUids }, (_, u) => {
    const counts = new Map<string, number>();
    for (const c of byUid.get(u)?.comps ?? []) counts.set(c, (counts.get(c) ?? 0) + 1);
    return new Set(
      [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, N)
        .map(([c]) => c),
    );
  });
  const overlap = topN.map((a) =>
    topN.map((b) => (a.size === 0 || b.size === 0 ? Number.NaN : [...a].filter((c) => b.has(c)).length / N)),
  );
  add(
    'uid_overlap_top5',
    'uid similarity: overlap of top-5 completions',
    heatmap('uid similarity: overlap of top-5 completions', overlap, 'uid', 'uid'),
    { n: N, overlap },
  );
  const ts = events.map((e) => Number(e.timestamp)).filter(Number.isFinite);
  if (ts.length >= 2) {
    const hours = (Math.max(...ts) - Math.min(...ts)) / 3_600_000;
    if (hours > 0) metrics.events_per_hour = ts.length / hours;
  }
}
