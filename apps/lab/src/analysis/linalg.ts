/** Small dense helpers for PCA (power iteration with deflation on the covariance matrix). */

/**
 * Principal components of the rows.
 * @param X - rows.
 * @param k - components wanted.
 * @returns projections (rows × k) and the explained-variance ratio of each of the first `k` components.
 */
export function pca(X: number[][], k: number): { projected: number[][]; explained: number[] } {
  const n = X.length;
  const d = X[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  for (const r of X) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (r[j] as number) / n;
  const C = Array.from({ length: d }, () => new Float64Array(d));
  for (const r of X) {
    for (let a = 0; a < d; a++) {
      const ra = (r[a] as number) - (mean[a] as number);
      if (ra === 0) continue;
      const row = C[a] as Float64Array;
      for (let b = 0; b < d; b++)
        row[b] = (row[b] as number) + (ra * ((r[b] as number) - (mean[b] as number))) / Math.max(1, n - 1);
    }
  }
  let total = 0;
  for (let a = 0; a < d; a++) total += (C[a] as Float64Array)[a] as number;
  const comps: Float64Array[] = [];
  const explained: number[] = [];
  const kk = Math.min(k, d);
  for (let c = 0; c < kk; c++) {
    let v = Float64Array.from({ length: d }, (_, i) => Math.sin(i + 1 + c));
    let lambda = 0;
    for (let it = 0; it < 200; it++) {
      const w = new Float64Array(d);
      for (let a = 0; a < d; a++) {
        const row = C[a] as Float64Array;
        let s = 0;
        for (let b = 0; b < d; b++) s += (row[b] as number) * (v[b] as number);
        w[a] = s;
      }
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      for (let a = 0; a < d; a++) w[a] = (w[a] as number) / norm;
      lambda = norm;
      v = w;
    }
    comps.push(v);
    explained.push(total > 0 ? lambda / total : 0);
    for (let a = 0; a < d; a++) {
      const row = C[a] as Float64Array;
      for (let b = 0; b < d; b++) row[b] = (row[b] as number) - lambda * (v[a] as number) * (v[b] as number);
    }
  }
  const projected = X.map((r) =>
    comps.map((v) => r.reduce((s, x, j) => s + (x - (mean[j] as number)) * (v[j] as number), 0)),
  );
  return { projected, explained };
}
