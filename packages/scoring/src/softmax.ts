/**
 * Softmax `exp(x_i) / Σ exp(x)`, shifted by the maximum for stability (scipy `special.softmax`).
 * @param x - the logits (finite).
 * @returns probabilities summing to 1 (empty for an empty input).
 * @example
 * softmax([0, 0]); // [0.5, 0.5]
 */
export function softmax(x: readonly number[]): number[] {
  if (x.length === 0) return [];
  let max = Number.NEGATIVE_INFINITY;
  for (const v of x) if (v > max) max = v;
  const e = x.map((v) => Math.exp(v - max));
  let sum = 0;
  for (const v of e) sum += v;
  return e.map((v) => v / sum);
}
