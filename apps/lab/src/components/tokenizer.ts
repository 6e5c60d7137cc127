import { LabConfigError } from '../errors.js';

/** Text → token ids. */
export type Tokenize = (text: string) => number[];

/** Byte-level tokenizer (UTF-8 bytes, vocab 256), the offline stand-in for a Hugging Face tokenizer. */
export const byteTokenize: Tokenize = (text) => [...Buffer.from(text, 'utf8')];

/**
 * Loads a tokenizer: `bytes`, or a Hugging Face tokenizer (hub id or local folder) through transformers.js.
 * @param name - `bytes`, a hub id or an absolute folder path.
 * @param offline - local files only.
 * @returns the tokenize function (no special tokens added).
 * @throws {LabConfigError} when the tokenizer cannot be loaded.
 */
export async function loadTokenizer(name: string, offline: boolean): Promise<Tokenize> {
  if (name === 'bytes') return byteTokenize;
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  if (offline) env.allowRemoteModels = false;
  try {
    const tok = await AutoTokenizer.from_pretrained(name);
    return (text) => Array.from(tok.encode(text, { add_special_tokens: false }) as number[]);
  } catch (cause) {
    throw new LabConfigError(`cannot load tokenizer "${name}"${offline ? ' (offline: local files only)' : ''}`, {
      cause,
    });
  }
}
