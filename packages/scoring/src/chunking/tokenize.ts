import model from 'wink-eng-lite-web-model';
import winkNLP from 'wink-nlp';

// Only sentence-boundary detection on top of wink's always-on tokeniser: no POS, NER or sentiment work.
const nlp = winkNLP(model, ['sbd']);

const SEPARATORS = /[\s\p{Z}\p{Cc}\p{Cf}]+/gu;

/**
 * Removes every space, separator, control and format character. The tokeniser only ever drops such characters (never
 * adds or rewrites one), so `compactText(wordTokenize(t).join(' ')) === compactText(t)`; the reward uses this for a
 * pre-check that rejects foreign chunks before they are tokenised (and enter wink's vocabulary cache).
 * @param text - any text.
 * @returns the text without separators.
 * @example
 * compactText("a b\n c"); // 'abc'
 */
export function compactText(text: string): string {
  return text.replace(SEPARATORS, '');
}

/** Words and sentences of one text, from a single tokeniser pass. */
export interface Tokens {
  words: string[];
  sentences: string[];
}

/**
 * Tokenises a text once into words and sentences (wink-nlp with its English lite model; see the README for how
 * this differs from NLTK's `word_tokenize` / `sent_tokenize`).
 * @param text - any text.
 * @returns `{ words, sentences }`; sentences are slices of the original text.
 * @example
 * tokenize("Don't go. Mr. Smith left!"); // { words: ['Do', "n't", 'go', '.', 'Mr.', 'Smith', 'left', '!'], sentences: ["Don't go.", 'Mr. Smith left!'] }
 */
export function tokenize(text: string): Tokens {
  if (text.trim() === '') return { words: [], sentences: [] };
  const doc = nlp.readDoc(text);
  const tokens = doc.tokens();
  const values = tokens.out();
  const types = tokens.out(nlp.its.type);
  // wink emits runs of tab/CR/LF as tokens of type `tabCRLF` and, for some runs like "x..y", an empty token;
  // NLTK never yields whitespace or empty tokens, so both are dropped
  const words: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as string;
    if (v !== '' && types[i] !== 'tabCRLF') words.push(v);
  }
  return { words, sentences: doc.sentences().out() };
}

/**
 * Word tokenisation (the role of NLTK `word_tokenize`): punctuation separated, clitics split (`don't` → `do n't`).
 * @param text - any text.
 * @returns the tokens.
 * @example
 * wordTokenize('The cat sat.'); // ['The', 'cat', 'sat', '.']
 */
export function wordTokenize(text: string): string[] {
  return tokenize(text).words;
}

/**
 * Sentence tokenisation (the role of NLTK `sent_tokenize`).
 * @param text - any text.
 * @returns the sentences, as slices of the input.
 * @example
 * sentTokenize('One. Two!'); // ['One.', 'Two!']
 */
export function sentTokenize(text: string): string[] {
  return tokenize(text).sentences;
}
