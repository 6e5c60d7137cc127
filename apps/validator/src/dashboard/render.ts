/**
 * Server-rendered dashboard page: plain HTML, inline CSS and inline SVG charts (no CDN, no client framework). The page
 * refreshes itself every `refreshS` seconds; the same data is at `/dashboard/api/state`.
 */
import type { DashboardState } from './state.js';

const esc = (s: unknown): string =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
const fmt = (n: number | null | undefined, d = 3): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(d);
const short = (h: string): string => (h.length > 12 ? `${h.slice(0, 6)}…${h.slice(-4)}` : h);
const COLORS = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#9333ea'];

/**
 * Line chart of EMA samples over time, one line per miner, as inline SVG.
 * @param series - samples (oldest first).
 * @param labels - hotkey → label.
 * @returns the `<svg>` element.
 */
export function scoresChart(series: DashboardState['series'], labels: Map<string, string>): string {
  const W = 640;
  const H = 220;
  const L = 40;
  const R = 150;
  if (series.length === 0) return '<p class="muted">no samples yet</p>';
  const t0 = series[0]?.t ?? 0;
  const t1 = Math.max(t0 + 1, series.at(-1)?.t ?? t0 + 1);
  const hotkeys = [...new Set(series.flatMap((s) => Object.keys(s.scores)))];
  const max = Math.max(1e-9, ...series.flatMap((s) => Object.values(s.scores)));
  const x = (t: number) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const y = (v: number) => H - 20 - (v / max) * (H - 40);
  const lines = hotkeys
    .map((h, k) => {
      const pts = series
        .filter((s) => s.scores[h] !== undefined)
        .map((s) => `${x(s.t).toFixed(1)},${y(s.scores[h] as number).toFixed(1)}`)
        .join(' ');
      const color = COLORS[k % COLORS.length];
      return `<polyline class="series" data-hotkey="${esc(h)}" fill="none" stroke="${color}" stroke-width="2" points="${pts}"/><text x="${W - R + 10}" y="${18 + 15 * k}" font-size="11" fill="${color}">${esc(labels.get(h) ?? short(h))}</text>`;
    })
    .join('');
  const span = Math.round((t1 - t0) / 1000);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="EMA scores over time"><line x1="${L}" y1="${H - 20}" x2="${W - R}" y2="${H - 20}" stroke="#999"/><line x1="${L}" y1="8" x2="${L}" y2="${H - 20}" stroke="#999"/><text x="2" y="14" font-size="10">${fmt(max, 2)}</text><text x="${L - 10}" y="${H - 20}" font-size="10">0</text><text x="${L}" y="${H - 4}" font-size="10">${span} s window</text>${lines}</svg>`;
}

/**
 * Renders the whole page.
 * @param s - state snapshot.
 * @param opts - refresh period and the bull-board link.
 * @returns the HTML document.
 */
export function renderDashboard(s: DashboardState, opts: { refreshS: number; queuesPath: string }): string {
  const labels = new Map(s.miners.map((m) => [m.hotkey, `uid ${m.uid}`]));
  const pending = s.pending.rows
    .map((r) => {
      const left = Math.round((r.deadlineMs - s.now) / 1000);
      const methods = Object.entries(r.methods)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');
      return `<tr><td><code>${esc(r.requestId.slice(0, 8))}</code></td><td>${esc(new Date(r.deadlineMs).toISOString())}</td><td>${left >= 0 ? `in ${left} s` : `${-left} s overdue`}</td><td>${r.queried}</td><td>${r.replies}</td><td>${esc(methods || '–')}</td><td>${esc(r.prompt)}</td></tr>`;
    })
    .join('');
  const miners = [...s.miners]
    .sort((a, b) => b.ema - a.ema)
    .map(
      (m) =>
        `<tr><td>${m.uid}</td><td><code title="${esc(m.hotkey)}">${esc(short(m.hotkey))}</code></td><td>${fmt(m.ema)}</td><td>${fmt(m.accuracy)}</td><td>${fmt(m.chunk, 2)}</td></tr>`,
    )
    .join('');
  const history = s.history
    .slice(0, 20)
    .map(
      (r) =>
        `<tr><td><code>${esc(r.request_id.slice(0, 8))}</code></td><td>${esc(new Date(r.scored_at * (r.scored_at < 1e12 ? 1000 : 1)).toISOString())}</td><td>${r.num_responses}</td><td>${esc(
          Object.entries(r.hotkey_to_score)
            .map(([h, v]) => `${labels.get(h) ?? short(h)} ${fmt(v, 2)}`)
            .join(', '),
        )}</td><td>${esc(r.audit_failed.map((h) => labels.get(h) ?? short(h)).join(', ') || '–')}</td></tr>`,
    )
    .join('');
  const accuracy = Object.entries(s.accuracy)
    .map(
      ([k, v]) =>
        `<tr><td>${esc(k)}</td><td>${fmt(v.accuracy)}</td><td>${esc(new Date(v.computed_at).toISOString())}</td></tr>`,
    )
    .join('');
  const queues = s.queues
    .map(
      (q) =>
        `<tr><td>${esc(q.name)}</td>${['waiting', 'active', 'delayed', 'completed', 'failed'].map((k) => `<td>${q.counts[k] ?? 0}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${opts.refreshS}">
<title>Dojo validator dashboard</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#111;max-width:1200px}
table{border-collapse:collapse;margin:.4rem 0 1.2rem}td,th{border:1px solid #ddd;padding:.25rem .5rem;font-size:.85rem;text-align:left}
th{background:#f3f4f6}.muted{color:#666}.grid{display:flex;gap:2rem;flex-wrap:wrap}code{font-size:.8rem}
</style></head><body>
<h1>Dojo validator dashboard</h1>
<p class="muted">${esc(new Date(s.now).toISOString())} · scored ${s.scored} · dropped ${s.dropped} · refreshes every ${opts.refreshS} s · <a href="${esc(opts.queuesPath)}">queues (bull-board)</a> · <a href="api/state">JSON</a></p>
<h2 id="pending">Pending requests (${s.pending.total})</h2>
<table><tr><th>request</th><th>deadline</th><th>due</th><th>queried</th><th>replies</th><th>methods</th><th>prompt</th></tr>${pending || '<tr><td colspan="7" class="muted">none</td></tr>'}</table>
<div class="grid"><div><h2 id="scores">Miner scores over time (EMA)</h2>${scoresChart(s.series, labels)}</div>
<div><h2 id="miners">Miners</h2><table><tr><th>uid</th><th>hotkey</th><th>EMA score</th><th>accuracy</th><th>chunk score</th></tr>${miners || '<tr><td colspan="5" class="muted">none</td></tr>'}</table></div></div>
<h2 id="weights">Last weights</h2><pre>${esc(JSON.stringify(s.lastWeights, null, 1) ?? 'null').slice(0, 4000)}</pre>
<h2 id="accuracy">Accuracy</h2><table><tr><th>model key</th><th>accuracy</th><th>computed</th></tr>${accuracy || '<tr><td colspan="3" class="muted">none yet</td></tr>'}</table>
<h2 id="history">Recently scored</h2><table><tr><th>request</th><th>scored</th><th>replies</th><th>score per miner</th><th>audit failed</th></tr>${history || '<tr><td colspan="5" class="muted">none yet</td></tr>'}</table>
<h2 id="queues">Queue health</h2><table><tr><th>queue</th><th>waiting</th><th>active</th><th>delayed</th><th>completed</th><th>failed</th></tr>${queues}</table>
</body></html>
`;
}
