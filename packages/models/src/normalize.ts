/**
 * Scales a vector to unit L2 norm; a zero vector stays zero.
 * @param v - the vector (not mutated).
 * @returns a new Float32Array.
 * @example
 * unitNormalize([3, 4]); // Float32Array [0.6, 0.8]
 */
export function unitNormalize(v: ArrayLike<number>): Float32Array {
  let sq = 0;
  for (let i = 0; i < v.length; i++) sq += (v[i] as number) ** 2;
  const out = new Float32Array(v.length);
  if (sq === 0) return out;
  const inv = 1 / Math.sqrt(sq);
  for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) * inv;
  return out;
}
