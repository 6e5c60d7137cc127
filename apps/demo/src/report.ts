/**
 * The demo's summary (JSON) and its self-contained HTML report (inline CSS and SVG, no external resources).
 */
import type { Metagraph } from '@dojo-ts/chain';
import type { HumanLoopStats } from './human-loop.js';
import type { HistoryRecord, Observed } from './observe.js';

/** One miner in the summary. */
export interface MinerSummary {
  name: string;
  kind: string;
  /** True for apps/miner processes, false for the demo-only noisy/lazy miners. */
  real: boolean;
  hotkey: string;
  uid: number | null;
  /** Requests the validator sent it. */
  queried: number;
  /** Requests it answered with a valid reply. */
  replied: number;
  /** EMA ranking score (dojo.md §11.3). */
  emaScore: number;
  /** EMA score after each scored request. */
  scoreSeries: number[];
  /** Chunking score: moving average of its tournament rank (lower is better), null when unranked. */
  chunkScore: number | null;
  /** 1 = best chunker. */
  chunkRank: number | null;
  /** Accuracy multiplier of its latest scored reply (null when none was computed). */
  accuracy: number | null;
  /** Weight the validator set for it on the LocalChain (u16), and normalised to sum 1. */
  weightU16: number;
  weight: number;
}

/** The demo summary written to summary.json. */
export interface DemoSummary {
  runId: string;
  chainId: string;
  startedAt: string;
  durationS: number;
  deadlineS: number;
  blockMs: number;
  llmMode: string;
  redis: { url: string; started: boolean };
  validator: { hotkey: string; uid: number | null; status: Record<string, unknown> | null };
  /** The validator dashboard: `mounted` when `/dashboard/api/state` answered at the end of the run. */
  dashboard: { url: string; mounted: boolean; pending: number | null };
  miners: MinerSummary[];
  requests: {
    seen: number;
    scored: number;
    consensus: Array<{
      request_id: string;
      prompt: string;
      consensus_scores: Array<number | null>;
      best_completion: string | null;
      num_responses: number;
      /** miner name → score share of this request. */
      scores: Record<string, number>;
      audit_failed: string[];
    }>;
  };
  accuracy: Record<string, { accuracy: number; computed_at: number }>;
  mturk: HumanLoopStats & { serverCalls: Record<string, number>; verifiedRequests: number; verified: boolean };
  weights: { setAtBlock: number; row: Array<{ uid: number; name: string; u16: number; weight: number }> } | null;
  checks: {
    everyMinerQueried: boolean;
    /** One scored request carried a reply of every miner (consensus over all five). */
    everyMinerScoredInOneRequest: boolean;
    mturkReplyVerified: boolean;
    weightsSetOnChain: boolean;
    nothingLeftRunning: boolean;
  };
  processes: Array<{ name: string; pid: number; code: number | null; signal: string | null }>;
  leftRunning: number[];
}

/** Inputs of {@link buildSummary}. */
export interface SummaryInput {
  runId: string;
  chainId: string;
  startedAt: number;
  deadlineS: number;
  blockMs: number;
  llmMode: string;
  redis: { url: string; started: boolean };
  validatorHotkey: string;
  miners: Array<{ name: string; kind: string; real: boolean; hotkey: string }>;
  observed: Observed;
  rankingScores: Map<string, number>;
  chunkScores: Map<string, number>;
  accuracy: Record<string, { accuracy: number; computed_at: number }>;
  weights: Array<[number, number]> | null;
  metagraph: Metagraph;
  validatorStatus: Record<string, unknown> | null;
  dashboard: DemoSummary['dashboard'];
  mturk: HumanLoopStats & { serverCalls: Record<string, number> };
  processes: DemoSummary['processes'];
  leftRunning: number[];
}

/**
 * Builds the summary from what was observed.
 * @param i - run facts, observed validator state, chain weights, process outcomes.
 * @returns the summary.
 */
export function buildSummary(i: SummaryInput): DemoSummary {
  const uidOf = (h: string) => {
    const u = i.metagraph.hotkeys.indexOf(h);
    return u < 0 ? null : u;
  };
  const nameOf = new Map(i.miners.map((m) => [m.hotkey, m.name]));
  const weightTotal = (i.weights ?? []).reduce((a, [, w]) => a + w, 0);
  const weightOf = (uid: number | null) => (i.weights ?? []).find(([u]) => u === uid)?.[1] ?? 0;
  const chunkOrder = [...i.chunkScores.entries()].sort((a, b) => a[1] - b[1]).map(([h]) => h);
  const lastAccuracy = (h: string): number | null => {
    for (let k = i.observed.history.length - 1; k >= 0; k--) {
      const v = (i.observed.history[k] as HistoryRecord).hotkey_to_accuracy?.[h];
      if (v !== undefined) return v;
    }
    return null;
  };
  const miners: MinerSummary[] = i.miners.map((m) => {
    const uid = uidOf(m.hotkey);
    const u16 = weightOf(uid);
    const rank = chunkOrder.indexOf(m.hotkey);
    return {
      ...m,
      uid,
      queried: i.observed.queried.get(m.hotkey)?.size ?? 0,
      replied: i.observed.replied.get(m.hotkey)?.size ?? 0,
      emaScore: i.rankingScores.get(m.hotkey) ?? 0,
      scoreSeries: i.observed.scoreSeries.get(m.hotkey) ?? [],
      chunkScore: i.chunkScores.get(m.hotkey) ?? null,
      chunkRank: rank < 0 ? null : rank + 1,
      accuracy: lastAccuracy(m.hotkey),
      weightU16: u16,
      weight: weightTotal > 0 ? u16 / weightTotal : 0,
    };
  });
  const mturkMiners = new Set(i.miners.filter((m) => m.kind === 'aws_mturk').map((m) => m.hotkey));
  const mturkScored = i.observed.history.filter((r) => Object.keys(r.hotkey_to_score).some((h) => mturkMiners.has(h)));
  const verifiedRequests = new Set([...i.observed.mturkVerified.keys(), ...mturkScored.map((r) => r.request_id)]).size;
  const setAtBlock = i.observed.lastUpdate;
  return {
    runId: i.runId,
    chainId: i.chainId,
    startedAt: new Date(i.startedAt).toISOString(),
    durationS: Math.round((Date.now() - i.startedAt) / 100) / 10,
    deadlineS: i.deadlineS,
    blockMs: i.blockMs,
    llmMode: i.llmMode,
    redis: i.redis,
    validator: { hotkey: i.validatorHotkey, uid: uidOf(i.validatorHotkey), status: i.validatorStatus },
    dashboard: i.dashboard,
    miners,
    requests: {
      seen: i.observed.requestsSeen.size,
      scored: i.observed.history.length,
      consensus: i.observed.history.map((r) => ({
        request_id: r.request_id,
        prompt: r.prompt.length > 160 ? `${r.prompt.slice(0, 157)}...` : r.prompt,
        consensus_scores: r.consensus_scores,
        best_completion: r.best_completion,
        num_responses: r.num_responses,
        scores: Object.fromEntries(Object.entries(r.hotkey_to_score).map(([h, s]) => [nameOf.get(h) ?? h, s])),
        audit_failed: r.audit_failed.map((h) => nameOf.get(h) ?? h),
      })),
    },
    accuracy: i.accuracy,
    mturk: { ...i.mturk, verifiedRequests, verified: verifiedRequests > 0 },
    weights:
      i.weights === null
        ? null
        : {
            setAtBlock,
            row: i.weights.map(([uid, u16]) => ({
              uid,
              name: nameOf.get(i.metagraph.hotkeys[uid] ?? '') ?? `uid ${uid}`,
              u16,
              weight: weightTotal > 0 ? u16 / weightTotal : 0,
            })),
          },
    checks: {
      everyMinerQueried: miners.every((m) => m.queried > 0),
      everyMinerScoredInOneRequest: i.observed.history.some((r) =>
        i.miners.every((m) => r.hotkey_to_score[m.hotkey] !== undefined),
      ),
      mturkReplyVerified: verifiedRequests > 0,
      weightsSetOnChain: i.weights !== null && i.weights.length > 0 && setAtBlock > 0,
      nothingLeftRunning: i.leftRunning.length === 0,
    },
    processes: i.processes,
    leftRunning: i.leftRunning,
  };
}

const esc = (s: unknown): string =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
const fmt = (n: number | null, d = 3): string => (n === null || !Number.isFinite(n) ? '–' : n.toFixed(d));
const COLORS = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#db2777'];

/** Horizontal bar chart as inline SVG. */
export function barChart(rows: Array<{ label: string; value: number }>, max = 1): string {
  const h = 22 * rows.length + 10;
  const top = Math.max(max, ...rows.map((r) => r.value), 1e-9);
  const bars = rows
    .map((r, k) => {
      const w = Math.max(0, (r.value / top) * 300);
      return `<text x="0" y="${22 * k + 20}" font-size="12">${esc(r.label)}</text><rect x="110" y="${22 * k + 7}" width="${w.toFixed(1)}" height="16" fill="${COLORS[k % COLORS.length]}"/><text x="${(116 + w).toFixed(1)}" y="${22 * k + 20}" font-size="12">${fmt(r.value)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="${h}" role="img">${bars}</svg>`;
}

/** Line chart (one series per label) as inline SVG. */
export function lineChart(series: Array<{ label: string; values: number[] }>): string {
  const W = 480;
  const H = 180;
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values));
  const x = (k: number) => 30 + (k / (n - 1)) * (W - 140);
  const y = (v: number) => H - 20 - (v / max) * (H - 40);
  const lines = series
    .map((s, k) => {
      const pts = s.values.map((v, j) => `${x(j).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      const color = COLORS[k % COLORS.length];
      return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}"/><text x="${W - 100}" y="${20 + 16 * k}" font-size="12" fill="${color}">${esc(s.label)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img"><line x1="30" y1="${H - 20}" x2="${W - 110}" y2="${H - 20}" stroke="#999"/><line x1="30" y1="10" x2="30" y2="${H - 20}" stroke="#999"/><text x="0" y="16" font-size="10">${fmt(max, 2)}</text><text x="8" y="${H - 20}" font-size="10">0</text>${lines}</svg>`;
}

/**
 * Renders the summary as one self-contained HTML page.
 * @param s - the summary.
 * @returns the HTML document.
 */
export function renderHtml(s: DemoSummary): string {
  const ok = (b: boolean) => (b ? '<span class="ok">✔ yes</span>' : '<span class="bad">✘ no</span>');
  const minerRows = s.miners
    .map(
      (m) =>
        `<tr><td>${esc(m.name)}${m.real ? '' : ' <small>(demo-only)</small>'}</td><td>${esc(m.kind)}</td><td>${m.uid ?? '–'}</td><td>${m.queried}</td><td>${m.replied}</td><td>${fmt(m.emaScore)}</td><td>${fmt(m.accuracy)}</td><td>${fmt(m.chunkScore, 2)}${m.chunkRank ? ` (#${m.chunkRank})` : ''}</td><td>${fmt(m.weight)}</td></tr>`,
    )
    .join('');
  const reqRows = s.requests.consensus
    .map(
      (r) =>
        `<tr><td><code>${esc(r.request_id.slice(0, 8))}</code></td><td>${esc(r.prompt)}</td><td>${r.num_responses}</td><td>${esc(
          r.consensus_scores.map((c) => fmt(c, 2)).join(', '),
        )}</td><td>${esc(
          Object.entries(r.scores)
            .map(([n, v]) => `${n} ${fmt(v, 2)}`)
            .join(', '),
        )}</td><td>${esc(r.audit_failed.join(', ') || '–')}</td></tr>`,
    )
    .join('');
  const checks = Object.entries(s.checks)
    .map(([k, v]) => `<li>${esc(k)}: ${ok(v)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dojo TS demo ${esc(s.runId)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#111}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;padding:.3rem .5rem;font-size:.9rem;text-align:left;vertical-align:top}
th{background:#f3f4f6}.ok{color:#15803d;font-weight:600}.bad{color:#b91c1c;font-weight:600}
.grid{display:flex;gap:2rem;flex-wrap:wrap}small{color:#666}code{font-size:.85rem}
</style></head><body>
<h1>Dojo TS local subnet demo</h1>
<p>Run <code>${esc(s.runId)}</code> on LocalChain <code>${esc(s.chainId)}</code>, started ${esc(s.startedAt)}, ${s.durationS} s;
scoring deadline ${s.deadlineS} s; ${s.blockMs} ms blocks; llm_api: <b>${esc(s.llmMode === 'local-stand-in' ? 'LOCAL STAND-IN (not a real model)' : s.llmMode)}</b>.</p>
<h2>Checks</h2><ul>${checks}</ul>
<h2>Miners</h2>
<table><tr><th>miner</th><th>method</th><th>uid</th><th>queried</th><th>replied</th><th>EMA score</th><th>accuracy</th><th>chunk score (rank)</th><th>weight</th></tr>${minerRows}</table>
<div class="grid"><div><h3>EMA ranking scores</h3>${barChart(s.miners.map((m) => ({ label: m.name, value: m.emaScore })))}</div>
<div><h3>Weights on LocalChain${s.weights ? ` (block ${s.weights.setAtBlock})` : ''}</h3>${barChart(s.miners.map((m) => ({ label: m.name, value: m.weight })))}</div>
<div><h3>EMA score after each scored request</h3>${lineChart(s.miners.map((m) => ({ label: m.name, values: m.scoreSeries })))}</div></div>
<h2>Scored requests (consensus)</h2>
<table><tr><th>request</th><th>prompt</th><th>replies</th><th>consensus scores</th><th>score per miner</th><th>audit failed</th></tr>${reqRows}</table>
<h2>Human loop (aws_mturk)</h2>
<p>${s.mturk.hits} HITs, ${s.mturk.assignments} assignments by ${s.mturk.workers.length} simulated workers; ${s.mturk.invocations} forwarder invocations (${esc(
    Object.entries(s.mturk.outcomes)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', '),
  )}); requests with a verified MTurk reply: ${s.mturk.verifiedRequests}.</p>
<h2>Accuracy cache</h2><table><tr><th>model key</th><th>accuracy</th></tr>${Object.entries(s.accuracy)
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${fmt(v.accuracy)}</td></tr>`)
    .join('')}</table>
<h2>Processes</h2><table><tr><th>process</th><th>pid</th><th>exit</th></tr>${s.processes
    .map((p) => `<tr><td>${esc(p.name)}</td><td>${p.pid}</td><td>${esc(p.code ?? p.signal)}</td></tr>`)
    .join('')}</table>
<p>Left running after the stop: ${s.leftRunning.length === 0 ? 'none' : esc(s.leftRunning.join(', '))}.</p>
</body></html>
`;
}
