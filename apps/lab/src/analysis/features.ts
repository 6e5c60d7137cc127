/** Text features of lab.md §10.2. */

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** Characters. */
export function questionLength(text: string): number {
  return text.length;
}

/** Whitespace-separated tokens. */
export function numWords(text: string): number {
  return words(text).length;
}

/** `question_length / num_words` (spaces count); 0 for no words. */
export function avgWordLength(text: string): number {
  const n = numWords(text);
  return n === 0 ? 0 : text.length / n;
}

/** Median token length. */
export function medianWordLength(text: string): number {
  const l = words(text)
    .map((w) => w.length)
    .sort((a, b) => a - b);
  if (l.length === 0) return 0;
  const m = l.length >> 1;
  return l.length % 2 === 1 ? (l[m] as number) : ((l[m - 1] as number) + (l[m] as number)) / 2;
}

/** First token, lower-cased (categorical). */
export function firstWord(text: string): string {
  return (words(text)[0] ?? '').toLowerCase();
}

/**
 * Computes one scalar feature by name.
 * @param name - feature name (`sentence_length` aliases `question_length`).
 * @param text - input text.
 * @returns the value (a string for `first_word`).
 */
export function feature(name: string, text: string): number | string {
  switch (name) {
    case 'question_length':
    case 'sentence_length':
      return questionLength(text);
    case 'num_words':
      return numWords(text);
    case 'avg_word_length':
      return avgWordLength(text);
    case 'median_word_length':
      return medianWordLength(text);
    case 'first_word':
      return firstWord(text);
    default:
      return Number.NaN;
  }
}

/** Scalar (non-flag) features. */
export const SCALAR_FEATURES = [
  'question_length',
  'sentence_length',
  'num_words',
  'avg_word_length',
  'median_word_length',
  'first_word',
];
