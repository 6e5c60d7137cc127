import { LocalChainError } from './errors.js';

/** Decoded `WeightsTlockPayload` (spec chain.md §10.1 step 3). */
export interface WeightsTlockPayload {
  hotkey: Uint8Array;
  uids: number[];
  values: number[];
  versionKey: bigint;
}

function readCompact(b: Uint8Array, at: number): [number, number] {
  const first = b[at];
  if (first === undefined) throw new LocalChainError('BadPayload', 'truncated payload');
  const mode = first & 3;
  if (mode === 0) return [first >> 2, at + 1];
  if (mode === 1) return [((b[at + 1] ?? 0) * 256 + first) >> 2, at + 2];
  if (mode === 2) {
    const v = first + (b[at + 1] ?? 0) * 2 ** 8 + (b[at + 2] ?? 0) * 2 ** 16 + (b[at + 3] ?? 0) * 2 ** 24;
    return [Math.floor(v / 4), at + 4];
  }
  throw new LocalChainError('BadPayload', 'compact length too large');
}

/**
 * Decodes the SCALE `WeightsTlockPayload {hotkey: Vec<u8>, uids: Vec<u16>, values: Vec<u16>, version_key: u64}`.
 * @param bytes - decrypted commit payload.
 * @returns the payload fields.
 * @throws {LocalChainError} truncated or trailing bytes.
 */
export function decodeWeightsTlockPayload(bytes: Uint8Array): WeightsTlockPayload {
  let [len, at] = readCompact(bytes, 0);
  const hotkey = bytes.slice(at, at + len);
  at += len;
  const vecs: number[][] = [];
  for (let v = 0; v < 2; v++) {
    [len, at] = readCompact(bytes, at);
    const out: number[] = [];
    for (let i = 0; i < len; i++, at += 2) out.push((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8));
    vecs.push(out);
  }
  if (at + 8 !== bytes.length || hotkey.length !== 32) throw new LocalChainError('BadPayload', 'malformed payload');
  const versionKey = new DataView(bytes.buffer, bytes.byteOffset + at, 8).getBigUint64(0, true);
  return { hotkey, uids: vecs[0] ?? [], values: vecs[1] ?? [], versionKey };
}
