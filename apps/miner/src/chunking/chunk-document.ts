import { sentTokenize } from '@dojo-ts/scoring';

/** `chunk_size` used when the validator sends none (chunking.md §11.2 task default). */
export const DEFAULT_CHUNK_SIZE = 4096;

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Greedy sentence packing (chunking.md §12.1): start a chunk with the next sentence and append `" " + next` while the
 * result stays within `chunkSize` code points; a sentence longer than `chunkSize` becomes its own chunk. No overlap.
 *
 * @param sentences - sentences in document order.
 * @param chunkSize - soft maximum characters (Unicode code points, Python `len`) per chunk.
 * @returns the chunks, in order.
 * @example
 * packSentences(['One.', 'Two.', 'Three.'], 9); // ['One. Two.', 'Three.']
 */
export function packSentences(sentences: readonly string[], chunkSize: number): string[] {
  const chunks: string[] = [];
  let i = 0;
  while (i < sentences.length) {
    let current = sentences[i] as string;
    let length = codePoints(current);
    i++;
    while (i < sentences.length) {
      const next = sentences[i] as string;
      const nextLength = codePoints(next);
      if (length + 1 + nextLength > chunkSize) break;
      current += ` ${next}`;
      length += 1 + nextLength;
      i++;
    }
    chunks.push(current);
  }
  return chunks;
}

/**
 * The default miner's chunker: sentence-split the document, then {@link packSentences}.
 *
 * @param document - plain text.
 * @param chunkSize - the task's `chunk_size`, or null for {@link DEFAULT_CHUNK_SIZE}.
 * @returns the chunks (empty for an empty document).
 */
export function chunkDocument(document: string, chunkSize: number | null): string[] {
  const size = chunkSize !== null && chunkSize > 0 ? chunkSize : DEFAULT_CHUNK_SIZE;
  return packSentences(sentTokenize(document), size);
}
