import { mulberry32, type Rng } from '@dojo-ts/scoring';
import { LabConfigError } from '../errors.js';

/** Arguments of {@link GradientBoostingRegressor} (scikit-learn names, lab.md §10.3). */
export interface GbrOptions {
  n_estimators?: number;
  learning_rate?: number;
  max_depth?: number;
  min_samples_leaf?: number;
  min_samples_split?: number;
  subsample?: number;
  validation_fraction?: number;
  n_iter_no_change?: number | null;
  tol?: number;
  random_state?: number;
  verbose?: number;
}

const GBR_KEYS = new Set([
  'n_estimators',
  'learning_rate',
  'max_depth',
  'min_samples_leaf',
  'min_samples_split',
  'subsample',
  'validation_fraction',
  'n_iter_no_change',
  'tol',
  'random_state',
  'verbose',
]);

/** A fitted regression tree, stored as flat arrays (leaf: feature −1). */
interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

const FEATURE_THRESHOLD = 1e-7;

/**
 * Gradient boosting for regression with squared-error loss and regression trees (scikit-learn's algorithm: mean
 * initial estimate, residual-fitted trees with exhaustive best splits, shrinkage, row subsampling, out-of-bag
 * improvement and validation-based early stopping).
 */
export class GradientBoostingRegressor {
  readonly nEstimators: number;
  readonly learningRate: number;
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  readonly minSamplesSplit: number;
  readonly subsample: number;
  readonly validationFraction: number;
  readonly nIterNoChange: number | null;
  readonly tol: number;
  readonly randomState: number;
  init = 0;
  trees: Tree[] = [];
  /** Training loss (in-bag MSE) per iteration. */
  trainScore: number[] = [];
  /** Out-of-bag loss improvement per iteration (only when subsample < 1). */
  oobImprovement: number[] = [];
  /** Number of boosting iterations actually fitted. */
  nEstimatorsFitted = 0;

  /**
   * @param options - scikit-learn-named arguments; unknown keys are rejected.
   * @throws {LabConfigError} DOJO_LAB_CONFIG_INVALID on an unknown key or a value out of range.
   */
  constructor(options: GbrOptions = {}) {
    for (const k of Object.keys(options)) {
      if (!GBR_KEYS.has(k)) {
        throw new LabConfigError(`GradientBoostingRegressor: unknown arg "${k}". Allowed: ${[...GBR_KEYS].join(', ')}`);
      }
    }
    this.nEstimators = options.n_estimators ?? 100;
    this.learningRate = options.learning_rate ?? 0.1;
    this.maxDepth = options.max_depth ?? 3;
    this.minSamplesLeaf = options.min_samples_leaf ?? 1;
    this.minSamplesSplit = options.min_samples_split ?? 2;
    this.subsample = options.subsample ?? 1;
    this.validationFraction = options.validation_fraction ?? 0.1;
    this.nIterNoChange = options.n_iter_no_change ?? null;
    this.tol = options.tol ?? 1e-4;
    this.randomState = options.random_state ?? 0;
    if (!(this.subsample > 0 && this.subsample <= 1)) throw new LabConfigError('subsample must be in (0, 1]');
    if (!(this.learningRate > 0)) throw new LabConfigError('learning_rate must be > 0');
    if (!(this.validationFraction > 0 && this.validationFraction < 1)) {
      throw new LabConfigError('validation_fraction must be in (0, 1)');
    }
  }

  /**
   * Fits the ensemble.
   * @param X - rows of features (all the same length).
   * @param y - targets, one per row.
   * @returns this.
   * @throws {LabConfigError} DOJO_LAB_CONFIG_INVALID on empty or ragged input.
   */
  fit(X: readonly (readonly number[])[], y: readonly number[]): this {
    if (X.length === 0 || X.length !== y.length)
      throw new LabConfigError('GBR fit needs as many rows as targets (> 0)');
    const rng = mulberry32(this.randomState);
    let rows = X.map((_, i) => i);
    let valRows: number[] = [];
    if (this.nIterNoChange !== null) {
      const shuffled = shuffle(rng, rows);
      const nVal = Math.ceil(this.validationFraction * rows.length);
      valRows = shuffled.slice(0, nVal);
      rows = shuffled.slice(nVal).sort((a, b) => a - b);
    }
    const d = X[0]?.length ?? 0;
    const n = rows.length;
    // Column-major copy of the training rows, and each feature's row order sorted once.
    const cols: Float64Array[] = [];
    const order: Int32Array[] = [];
    for (let f = 0; f < d; f++) {
      const c = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = (X[rows[i] as number] as readonly number[])[f];
        if (v === undefined) throw new LabConfigError('GBR fit: ragged rows');
        c[i] = v;
      }
      cols.push(c);
      const o = Int32Array.from({ length: n }, (_, i) => i);
      o.sort((a, b) => (c[a] as number) - (c[b] as number));
      order.push(o);
    }
    const yt = Float64Array.from(rows, (r) => y[r] as number);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += yt[i] as number;
    this.init = mean / n;
    const pred = new Float64Array(n).fill(this.init);
    const valPred = new Float64Array(valRows.length).fill(this.init);
    const valY = valRows.map((r) => y[r] as number);
    const nInbag = Math.max(1, Math.floor(this.subsample * n));
    const resid = new Float64Array(n);
    const inbag = new Uint8Array(n);
    const lossHistory = new Array<number>(this.nIterNoChange ?? 0).fill(Number.POSITIVE_INFINITY);
    this.trees = [];
    this.trainScore = [];
    this.oobImprovement = [];
    for (let it = 0; it < this.nEstimators; it++) {
      if (this.subsample < 1) {
        inbag.fill(0);
        for (const i of shuffle(
          rng,
          Array.from({ length: n }, (_, i) => i),
        ).slice(0, nInbag))
          inbag[i] = 1;
      } else inbag.fill(1);
      const oobBefore = this.subsample < 1 ? mse(yt, pred, inbag, 0) : 0;
      for (let i = 0; i < n; i++) resid[i] = (yt[i] as number) - (pred[i] as number);
      const tree = this.buildTree(cols, order, resid, inbag);
      this.trees.push(tree);
      for (let i = 0; i < n; i++) {
        pred[i] = (pred[i] as number) + this.learningRate * predictTreeCol(tree, cols, i);
      }
      this.trainScore.push(mse(yt, pred, inbag, 1));
      if (this.subsample < 1) this.oobImprovement.push(oobBefore - mse(yt, pred, inbag, 0));
      if (this.nIterNoChange !== null) {
        for (let j = 0; j < valRows.length; j++) {
          valPred[j] = (valPred[j] as number) + this.learningRate * predictTreeRow(tree, X[valRows[j] as number] ?? []);
        }
        let vl = 0;
        for (let j = 0; j < valRows.length; j++) vl += ((valY[j] as number) - (valPred[j] as number)) ** 2;
        vl /= Math.max(1, valRows.length);
        if (lossHistory.some((h) => vl + this.tol < h)) lossHistory[it % this.nIterNoChange] = vl;
        else {
          this.nEstimatorsFitted = it + 1;
          return this;
        }
      }
    }
    this.nEstimatorsFitted = this.trees.length;
    return this;
  }

  /**
   * Predicts every row.
   * @param X - feature rows.
   * @returns one prediction per row.
   */
  predict(X: readonly (readonly number[])[]): number[] {
    return X.map((row) => {
      let p = this.init;
      for (const t of this.trees) p += this.learningRate * predictTreeRow(t, row);
      return p;
    });
  }

  /** Level-wise depth-limited tree on the in-bag rows: each level scans every feature's presorted order once. */
  private buildTree(cols: Float64Array[], order: Int32Array[], r: Float64Array, inbag: Uint8Array): Tree {
    const n = r.length;
    const feature: number[] = [-1];
    const threshold: number[] = [0];
    const left: number[] = [-1];
    const right: number[] = [-1];
    const value: number[] = [0];
    const nodeOf = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) if (inbag[i]) nodeOf[i] = 0;
    let frontier = [0];
    for (let depth = 0; depth <= this.maxDepth && frontier.length > 0; depth++) {
      const m = frontier.length;
      const slot = new Map<number, number>(frontier.map((node, k) => [node, k]));
      const cnt = new Float64Array(m);
      const sum = new Float64Array(m);
      const sumSq = new Float64Array(m);
      for (let i = 0; i < n; i++) {
        const nd = nodeOf[i] as number;
        if (nd < 0) continue;
        const k = slot.get(nd);
        if (k === undefined) continue;
        const v = r[i] as number;
        cnt[k] = (cnt[k] as number) + 1;
        sum[k] = (sum[k] as number) + v;
        sumSq[k] = (sumSq[k] as number) + v * v;
      }
      const slotOf = new Int32Array(n).fill(-1);
      for (let i = 0; i < n; i++) {
        const nd = nodeOf[i] as number;
        if (nd >= 0) slotOf[i] = slot.get(nd) ?? -1;
      }
      const bestGain = new Float64Array(m).fill(0);
      const bestFeat = new Int32Array(m).fill(-1);
      const bestThr = new Float64Array(m);
      const splittable = new Uint8Array(m);
      for (let k = 0; k < m; k++) {
        value[frontier[k] as number] = (sum[k] as number) / Math.max(1, cnt[k] as number);
        const c = cnt[k] as number;
        const impurity = (sumSq[k] as number) / c - ((sum[k] as number) / c) ** 2;
        splittable[k] =
          depth < this.maxDepth && c >= this.minSamplesSplit && c >= 2 * this.minSamplesLeaf && impurity > 1e-12
            ? 1
            : 0;
      }
      if (depth < this.maxDepth) {
        const lCnt = new Float64Array(m);
        const lSum = new Float64Array(m);
        const last = new Float64Array(m);
        for (let f = 0; f < cols.length; f++) {
          const col = cols[f] as Float64Array;
          const o = order[f] as Int32Array;
          lCnt.fill(0);
          lSum.fill(0);
          for (let j = 0; j < n; j++) {
            const i = o[j] as number;
            const k = slotOf[i] as number;
            if (k < 0 || !splittable[k]) continue;
            const x = col[i] as number;
            const lc = lCnt[k] as number;
            if (lc >= this.minSamplesLeaf && x > (last[k] as number) + FEATURE_THRESHOLD) {
              const rc = (cnt[k] as number) - lc;
              if (rc >= this.minSamplesLeaf) {
                const ls = lSum[k] as number;
                const rs = (sum[k] as number) - ls;
                // Friedman's improvement, proportional to the squared-error reduction.
                const diff = ls / lc - rs / rc;
                const gain = ((lc * rc) / (lc + rc)) * diff * diff;
                if (gain > (bestGain[k] as number)) {
                  bestGain[k] = gain;
                  bestFeat[k] = f;
                  bestThr[k] = ((last[k] as number) + x) / 2;
                }
              }
            }
            lCnt[k] = lc + 1;
            lSum[k] = (lSum[k] as number) + (r[i] as number);
            last[k] = x;
          }
        }
      }
      const next: number[] = [];
      const childOf = new Int32Array(m * 2).fill(-1);
      for (let k = 0; k < m; k++) {
        if (!splittable[k] || (bestFeat[k] as number) < 0) continue;
        const node = frontier[k] as number;
        feature[node] = bestFeat[k] as number;
        threshold[node] = bestThr[k] as number;
        for (let s = 0; s < 2; s++) {
          const id = feature.length;
          feature.push(-1);
          threshold.push(0);
          left.push(-1);
          right.push(-1);
          value.push(0);
          childOf[2 * k + s] = id;
          next.push(id);
        }
        left[node] = childOf[2 * k] as number;
        right[node] = childOf[2 * k + 1] as number;
      }
      for (let i = 0; i < n; i++) {
        const k = slotOf[i] as number;
        if (k < 0) continue;
        const f = bestFeat[k] as number;
        if (childOf[2 * k] === -1 || f < 0) {
          nodeOf[i] = -1;
          continue;
        }
        nodeOf[i] =
          ((cols[f] as Float64Array)[i] as number) <= (bestThr[k] as number)
            ? (childOf[2 * k] as number)
            : (childOf[2 * k + 1] as number);
      }
      frontier = next;
    }
    return {
      feature: Int32Array.from(feature),
      threshold: Float64Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float64Array.from(value),
    };
  }
}

function predictTreeCol(t: Tree, cols: Float64Array[], i: number): number {
  let node = 0;
  for (;;) {
    const f = t.feature[node] as number;
    if (f < 0) return t.value[node] as number;
    node =
      ((cols[f] as Float64Array)[i] as number) <= (t.threshold[node] as number)
        ? (t.left[node] as number)
        : (t.right[node] as number);
  }
}

function predictTreeRow(t: Tree, row: readonly number[]): number {
  let node = 0;
  for (;;) {
    const f = t.feature[node] as number;
    if (f < 0) return t.value[node] as number;
    node = ((row[f] as number) <= (t.threshold[node] as number) ? t.left[node] : t.right[node]) as number;
  }
}

function mse(y: Float64Array, p: Float64Array, mask: Uint8Array, want: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < y.length; i++) {
    if (mask[i] !== want) continue;
    s += ((y[i] as number) - (p[i] as number)) ** 2;
    c++;
  }
  return c === 0 ? 0 : s / c;
}

/**
 * A seeded Fisher–Yates shuffle (copy).
 * @param rng - generator.
 * @param items - population.
 * @returns the shuffled copy.
 */
export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t;
  }
  return a;
}

/**
 * Coefficient of determination.
 * @param y - truth.
 * @param p - predictions.
 * @returns R² (1 − SSE/SST; 0 when y is constant and predictions are exact is reported as 1).
 */
export function r2Score(y: readonly number[], p: readonly number[]): number {
  const mean = y.reduce((a, b) => a + b, 0) / Math.max(1, y.length);
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < y.length; i++) {
    sse += ((y[i] as number) - (p[i] as number)) ** 2;
    sst += ((y[i] as number) - mean) ** 2;
  }
  if (sst === 0) return sse === 0 ? 1 : 0;
  return 1 - sse / sst;
}

/**
 * Mean absolute error.
 * @param y - truth.
 * @param p - predictions.
 * @returns MAE.
 */
export function meanAbsoluteError(y: readonly number[], p: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Math.abs((y[i] as number) - (p[i] as number));
  return s / Math.max(1, y.length);
}
