/** Hand-built SVG charts for the self-contained report: every mark carries class "mark". */

const W = 560;
const H = 320;
const M = { l: 56, r: 16, t: 32, b: 44 };
const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(1);
  return Number(v.toPrecision(3)).toString();
}

function extent(vs: number[]): [number, number] {
  const f = vs.filter(Number.isFinite);
  if (f.length === 0) return [0, 1];
  let lo = Math.min(...f);
  let hi = Math.max(...f);
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  return [lo, hi];
}

interface Frame {
  x: (v: number) => number;
  y: (v: number) => number;
  body: string[];
}

function frame(title: string, xd: [number, number], yd: [number, number], xl: string, yl: string): Frame {
  const x = (v: number) => M.l + ((v - xd[0]) / (xd[1] - xd[0])) * (W - M.l - M.r);
  const y = (v: number) => H - M.b - ((v - yd[0]) / (yd[1] - yd[0])) * (H - M.t - M.b);
  const body: string[] = [
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14" font-weight="600">${esc(title)}</text>`,
    `<line x1="${M.l}" y1="${H - M.b}" x2="${W - M.r}" y2="${H - M.b}" stroke="#333"/>`,
    `<line x1="${M.l}" y1="${M.t}" x2="${M.l}" y2="${H - M.b}" stroke="#333"/>`,
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle" font-size="11">${esc(xl)}</text>`,
    `<text x="14" y="${H / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 14 ${H / 2})">${esc(yl)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const xv = xd[0] + ((xd[1] - xd[0]) * i) / 4;
    const yv = yd[0] + ((yd[1] - yd[0]) * i) / 4;
    body.push(`<text x="${x(xv)}" y="${H - M.b + 14}" text-anchor="middle" font-size="10">${fmt(xv)}</text>`);
    body.push(`<text x="${M.l - 4}" y="${y(yv) + 3}" text-anchor="end" font-size="10">${fmt(yv)}</text>`);
  }
  return { x, y, body };
}

function wrap(f: Frame, extra = ''): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif">${f.body.join('')}${extra}</svg>`;
}

/** One line series. */
export interface Series {
  name: string;
  x: number[];
  y: number[];
}

/** Line chart with a legend. */
export function lineChart(title: string, series: Series[], xl = 'step', yl = 'value'): string {
  const f = frame(title, extent(series.flatMap((s) => s.x)), extent(series.flatMap((s) => s.y)), xl, yl);
  series.forEach((s, k) => {
    const pts = s.x
      .map((xv, i) => [xv, s.y[i] as number] as const)
      .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b))
      .map(([a, b]) => `${f.x(a).toFixed(1)},${f.y(b).toFixed(1)}`);
    const color = PALETTE[k % PALETTE.length];
    if (pts.length > 0)
      f.body.push(
        `<polyline class="mark" fill="none" stroke="${color}" stroke-width="1.5" points="${pts.join(' ')}"/>`,
      );
    f.body.push(
      `<text x="${W - M.r - 4}" y="${M.t + 12 + 12 * k}" text-anchor="end" font-size="10" fill="${color}">${esc(s.name)}</text>`,
    );
  });
  return wrap(f);
}

/** Viridis-like colour for t ∈ [0, 1]. */
export function viridis(t: number): string {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const a = stops[i] as number[];
  const b = stops[i + 1] as number[];
  const w = u - i;
  return `rgb(${a.map((v, j) => Math.round(v + ((b[j] as number) - v) * w)).join(',')})`;
}

/** Scatter plot; optional colour values (viridis), hover titles and an OLS trend line / y = x line. */
export function scatter(
  title: string,
  xs: number[],
  ys: number[],
  opts: {
    xl?: string;
    yl?: string;
    color?: number[];
    labels?: string[];
    trend?: boolean;
    identity?: boolean;
    marginals?: boolean;
  } = {},
): string {
  const f = frame(title, extent(xs), extent(ys), opts.xl ?? 'x', opts.yl ?? 'y');
  const [clo, chi] = extent(opts.color ?? [0, 1]);
  xs.forEach((xv, i) => {
    const yv = ys[i] as number;
    if (!Number.isFinite(xv) || !Number.isFinite(yv)) return;
    const c = opts.color ? viridis(((opts.color[i] as number) - clo) / (chi - clo)) : PALETTE[0];
    const tip = opts.labels?.[i] ? `<title>${esc(opts.labels[i] as string)}</title>` : '';
    f.body.push(
      `<circle class="mark" cx="${f.x(xv).toFixed(1)}" cy="${f.y(yv).toFixed(1)}" r="3" fill="${c}" fill-opacity="0.7">${tip}</circle>`,
    );
  });
  const [x0, x1] = extent(xs);
  if (opts.trend && xs.length > 1) {
    const { slope, intercept } = ols(xs, ys);
    f.body.push(
      `<line class="trend" x1="${f.x(x0)}" y1="${f.y(intercept + slope * x0)}" x2="${f.x(x1)}" y2="${f.y(intercept + slope * x1)}" stroke="#d62728" stroke-dasharray="4 2"/>`,
    );
  }
  if (opts.identity)
    f.body.push(
      `<line class="identity" x1="${f.x(x0)}" y1="${f.y(x0)}" x2="${f.x(x1)}" y2="${f.y(x1)}" stroke="#555" stroke-dasharray="2 2"/>`,
    );
  if (opts.marginals) {
    // Marginal histograms: x along the top margin, y along the right edge (20 bins each, 12 px tall).
    const [y0, y1] = extent(ys);
    const bins = 20;
    const hx = new Array<number>(bins).fill(0);
    const hy = new Array<number>(bins).fill(0);
    xs.forEach((xv, i) => {
      const yv = ys[i] as number;
      if (!Number.isFinite(xv) || !Number.isFinite(yv)) return;
      hx[Math.min(bins - 1, Math.floor(((xv - x0) / (x1 - x0)) * bins))]! += 1;
      hy[Math.min(bins - 1, Math.floor(((yv - y0) / (y1 - y0)) * bins))]! += 1;
    });
    const mx = Math.max(1, ...hx);
    const my = Math.max(1, ...hy);
    hx.forEach((c, b) => {
      if (c === 0) return;
      const xa = f.x(x0 + ((x1 - x0) * b) / bins);
      const xb = f.x(x0 + ((x1 - x0) * (b + 1)) / bins);
      f.body.push(
        `<rect class="marginal" x="${xa.toFixed(1)}" y="${(M.t - (12 * c) / mx).toFixed(1)}" width="${Math.max(1, xb - xa - 1).toFixed(1)}" height="${((12 * c) / mx).toFixed(1)}" fill="#999"/>`,
      );
    });
    hy.forEach((c, b) => {
      if (c === 0) return;
      const ya = f.y(y0 + ((y1 - y0) * (b + 1)) / bins);
      const yb = f.y(y0 + ((y1 - y0) * b) / bins);
      f.body.push(
        `<rect class="marginal" x="${W - M.r}" y="${ya.toFixed(1)}" width="${((12 * c) / my).toFixed(1)}" height="${Math.max(1, yb - ya - 1).toFixed(1)}" fill="#999"/>`,
      );
    });
  }
  return wrap(f);
}

/** Ordinary least squares fit. */
export function ols(xs: number[], ys: number[]): { slope: number; intercept: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    sxx += ((xs[i] as number) - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** Heatmap of a matrix (rows × columns), Blues; NaN cells are left empty. */
export function heatmap(title: string, m: number[][], xl = 'iteration', yl = 'uid'): string {
  const rows = m.length;
  const cols = Math.max(1, ...m.map((r) => r.length));
  const f = frame(title, [0, cols], [0, rows], xl, yl);
  const [lo, hi] = extent(m.flat());
  const cw = (W - M.l - M.r) / cols;
  const ch = (H - M.t - M.b) / Math.max(1, rows);
  m.forEach((r, i) => {
    r.forEach((v, j) => {
      if (!Number.isFinite(v)) return;
      const t = (v - lo) / (hi - lo);
      const c = `rgb(${Math.round(247 - 239 * t)},${Math.round(251 - 203 * t)},${Math.round(255 - 148 * t)})`;
      f.body.push(
        `<rect class="mark" x="${(M.l + j * cw).toFixed(2)}" y="${(H - M.b - (i + 1) * ch).toFixed(2)}" width="${Math.max(cw, 0.5).toFixed(2)}" height="${ch.toFixed(2)}" fill="${c}"><title>uid ${i}, ${j}: ${fmt(v)}</title></rect>`,
      );
    });
  });
  return wrap(f);
}

/** Bars (e.g. per-uid means) with optional error bars. */
export function bars(
  title: string,
  values: number[],
  errors?: number[],
  xl = 'uid',
  yl = 'value',
  labels?: string[],
): string {
  const lo = Math.min(0, ...values.map((v, i) => v - (errors?.[i] ?? 0)).filter(Number.isFinite));
  const hi = Math.max(0, ...values.map((v, i) => v + (errors?.[i] ?? 0)).filter(Number.isFinite));
  const f = frame(title, [0, Math.max(1, values.length)], [lo, hi === lo ? lo + 1 : hi], xl, yl);
  const bw = (W - M.l - M.r) / Math.max(1, values.length);
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const y0 = f.y(Math.max(0, v));
    const hgt = Math.abs(f.y(v) - f.y(0));
    f.body.push(
      `<rect class="mark" x="${(M.l + i * bw + 1).toFixed(1)}" y="${y0.toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${hgt.toFixed(1)}" fill="${PALETTE[0]}"><title>${esc(labels?.[i] ?? String(i))}: ${fmt(v)}</title></rect>`,
    );
    const e = errors?.[i];
    if (e !== undefined && Number.isFinite(e) && e > 0) {
      const cx = M.l + (i + 0.5) * bw;
      f.body.push(`<line x1="${cx}" x2="${cx}" y1="${f.y(v - e)}" y2="${f.y(v + e)}" stroke="#333"/>`);
    }
  });
  return wrap(f);
}

/** Histogram with `nBins` equal bins. */
export function histogram(title: string, values: number[], nBins = 20, xl = 'value'): string {
  const v = values.filter(Number.isFinite);
  const [lo, hi] = extent(v);
  const counts = new Array<number>(nBins).fill(0);
  for (const x of v) counts[Math.min(nBins - 1, Math.floor(((x - lo) / (hi - lo)) * nBins))]! += 1;
  const f = frame(title, [lo, hi], [0, Math.max(1, ...counts)], xl, 'count');
  const bw = (W - M.l - M.r) / nBins;
  counts.forEach((c, i) => {
    if (c === 0) return;
    f.body.push(
      `<rect class="mark" x="${(M.l + i * bw).toFixed(1)}" y="${f.y(c).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${(f.y(0) - f.y(c)).toFixed(1)}" fill="${PALETTE[0]}"/>`,
    );
  });
  return wrap(f);
}
