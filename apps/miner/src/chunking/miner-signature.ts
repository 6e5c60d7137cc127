import type { Signer } from '@dojo-ts/neuron';

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Python `json.dumps(s)` of a string with `ensure_ascii=True`: UTF-16 units outside space..`~` become `\uXXXX` (lowercase). */
export function pyJsonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const unit = text.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (unit < 0x20 || unit > 0x7e) out += `\\u${unit.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Value kinds the signed payload contains. */
export type PyJsonValue = string | number | null | readonly string[];

/**
 * Python `json.dumps(obj)` with default separators (`", "`, `": "`) and `ensure_ascii` for an object of strings,
 * integers, None and lists of strings, keys in the given order (chunking.md §12.2).
 *
 * @param entries - `[key, value]` pairs in order.
 * @returns the exact text Python would produce.
 * @example
 * pyJsonDumps([['document', 'é'], ['chunk_size', 4], ['chunks', ['a']]]); // '{"document": "\\u00e9", "chunk_size": 4, "chunks": ["a"]}'
 */
export function pyJsonDumps(entries: ReadonlyArray<readonly [string, PyJsonValue]>): string {
  const render = (v: PyJsonValue): string => {
    if (v === null) return 'null';
    if (typeof v === 'string') return pyJsonString(v);
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new Error(`only integers are supported, got ${v}`);
      return String(v);
    }
    return `[${v.map(pyJsonString).join(', ')}]`;
  };
  return `{${entries.map(([k, v]) => `${pyJsonString(k)}: ${render(v)}`).join(', ')}}`;
}

/**
 * `miner_signature` (chunking.md §12.2): the hotkey's sr25519 signature over the Python `json.dumps` of
 * `{document, chunk_size, chunks}` (v1.1 tasks, with a `chunk_qty`, sign `{document, chunk_size, chunk_qty, chunks}`),
 * as lowercase hex without `0x`.
 *
 * @param signer - the miner hotkey.
 * @param task - the validator's fields and the miner's chunks.
 * @returns 128 lowercase hex characters.
 */
export function minerSignature(
  signer: Signer,
  task: { document: string; chunk_size: number | null; chunk_qty?: number | null; chunks: readonly string[] },
): string {
  const entries: Array<readonly [string, PyJsonValue]> = [
    ['document', task.document],
    ['chunk_size', task.chunk_size],
  ];
  if (task.chunk_qty !== undefined && task.chunk_qty !== null) entries.push(['chunk_qty', task.chunk_qty]);
  entries.push(['chunks', task.chunks]);
  return Buffer.from(signer.sign(Buffer.from(pyJsonDumps(entries), 'utf8'))).toString('hex');
}
