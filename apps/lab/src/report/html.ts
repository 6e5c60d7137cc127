import { formatReturnOnCost } from '../mechanisms/index.js';
import type { AnalysisOutput } from '../steps/analysis.js';
import type { SweepReport } from '../steps/query.js';
import { lineChart } from './svg.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cell(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
  if (v === null || v === undefined) return '';
  return esc(typeof v === 'string' ? v : JSON.stringify(v));
}

/** Inputs of {@link renderReport}. */
export interface ReportInput {
  runId: string;
  configYaml: string;
  resolvedYaml: string;
  steps: Array<{ step: string; id: string; status: string; seconds: number }>;
  analysis: AnalysisOutput | null;
  /** Strategy report of a mechanism model, rendered by its own renderer when the mechanisms module provides one. */
  strategyHtml: string | null;
}

/**
 * Renders the self-contained HTML report: no scripts, no network; charts are inline SVG (lab.md §11).
 * @returns the HTML text.
 */
export function renderReport(r: ReportInput): string {
  const parts: string[] = [];
  parts.push(`<h1>dojo-lab run ${esc(r.runId)}</h1>`);
  parts.push('<h2>Steps</h2><table><tr><th>step</th><th>id</th><th>status</th><th>seconds</th></tr>');
  for (const s of r.steps)
    parts.push(
      `<tr><td>${esc(s.step)}</td><td>${esc(s.id)}</td><td>${esc(s.status)}</td><td>${s.seconds.toFixed(3)}</td></tr>`,
    );
  parts.push('</table>');
  if (r.strategyHtml) parts.push(`<h2>Strategy report</h2><section id="strategy-report">${r.strategyHtml}</section>`);
  if (r.analysis) {
    const m = Object.entries(r.analysis.metrics);
    if (m.length > 0) {
      parts.push('<h2>Metrics</h2><table><tr><th>metric</th><th>value</th></tr>');
      for (const [k, v] of m) parts.push(`<tr><td>${esc(k)}</td><td>${cell(v)}</td></tr>`);
      parts.push('</table>');
    }
    parts.push('<h2>Charts</h2><div class="charts">');
    for (const c of r.analysis.charts)
      parts.push(`<figure data-key="${esc(c.key)}">${c.svg}<figcaption>${esc(c.key)}</figcaption></figure>`);
    parts.push('</div>');
    for (const t of r.analysis.tables) {
      parts.push(
        `<h2>${esc(t.title)}</h2><table data-key="${esc(t.key)}"><tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`,
      );
      for (const row of t.rows) parts.push(`<tr>${row.map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`);
      parts.push('</table>');
    }
  }
  parts.push(
    `<h2>Config</h2><pre>${esc(r.configYaml)}</pre><details><summary>Resolved config</summary><pre>${esc(r.resolvedYaml)}</pre></details>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>dojo-lab ${esc(r.runId)}</title><style>
body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;border:1px solid #eee}figcaption{font-size:11px;color:#666;text-align:center}pre{background:#f6f6f6;padding:8px;font-size:12px}
</style></head><body>${parts.join('\n')}</body></html>\n`;
}

const STRATEGY_COLUMNS = [
  'strategy',
  'miners',
  'cost',
  'mean_reward',
  'final_ema',
  'final_weight_share',
  'time_avg_weight_share',
  'share_per_miner',
  'mean_rank',
  'failure_rate',
  'return_on_cost',
  'pays',
] as const;

/**
 * Renders the strategy reports of a mechanism run (lab.md §9.4): per sweep point a table and the weight share over
 * rounds per strategy as an inline SVG line chart.
 * @param reports - one report per sweep point.
 * @returns an HTML fragment.
 */
export function renderStrategyReports(reports: readonly SweepReport[]): string {
  return reports
    .map(({ sweep, report }) => {
      const label = Object.entries(sweep)
        .map(([k, v]) => `${k} = ${String(v)}`)
        .join(', ');
      const rows = report.rows
        .map(
          (r) =>
            `<tr${r.strategy === report.reference ? ' class="reference"' : ''}>${STRATEGY_COLUMNS.map((c) =>
              c === 'return_on_cost'
                ? `<td>${esc(formatReturnOnCost(r.return_on_cost))}</td>`
                : `<td>${cell(r[c])}</td>`,
            ).join('')}</tr>`,
        )
        .join('');
      const strategies = report.rows.map((r) => r.strategy);
      const chart = lineChart(
        `weight share over rounds${label ? ` (${label})` : ''}`,
        strategies.map((st) => ({
          name: st,
          x: report.series.map((p) => p.round),
          y: report.series.map((p) => p.shares[st] ?? 0),
        })),
        'round',
        'weight share',
      );
      return `<h3>${esc(label || 'strategy report')}</h3><table data-key="strategy_report"><tr>${STRATEGY_COLUMNS.map((c) => `<th>${c}</th>`).join('')}</tr>${rows}</table><div class="charts"><figure data-key="strategy_weight_share">${chart}<figcaption>weight share per strategy</figcaption></figure></div>`;
    })
    .join('\n');
}
