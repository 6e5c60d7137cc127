import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactText, sentTokenize, tokenize, wordTokenize } from './tokenize.js';

// NLTK 3.8 NLTKWordTokenizer outputs, made by scripts/nltk-compare.py (Debian python3-nltk).
const nltk: { examples: { text: string; tokens: string[] }[] } = JSON.parse(
  readFileSync(new URL('../../test/fixtures/nltk-words.json', import.meta.url), 'utf8'),
);

// Every documented difference from NLTK's word_tokenize (README "Tokeniser"); the other examples must agree exactly.
const DIFFERENCES: Record<string, string[]> = {
  'He said "don\'t go."': ['He', 'said', '"', 'do', "n't", 'go', '.', '"'],
  "I'm sure they'll come, won't they?": ["I'm", 'sure', 'they', "'ll", 'come', ',', 'wo', "n't", 'they', '?'],
  'Email me at a@b.com.': ['Email', 'me', 'at', 'a@b.com', '.'],
  'The U.S. army (1941–45) won.': ['The', 'U.S.', 'army', '(', '1941', '–', '45', ')', 'won', '.'],
  'Visit https://example.com/a?b=c now.': ['Visit', 'https://example.com/a?b=c', 'now', '.'],
  "She asked: 'really?'": ['She', 'asked', ':', "'", 'really', '?', "'"],
  'The film grossed Rp 1.2 billion (US$90,000).': [
    'The',
    'film',
    'grossed',
    'Rp',
    '1.2',
    'billion',
    '(',
    'US$',
    '90,000',
    ')',
    '.',
  ],
  '#hashtag and @mention :)': ['#hashtag', 'and', '@mention', ':)'],
};

describe('wordTokenize', () => {
  it('agrees with NLTK word_tokenize token for token except on the documented differences', () => {
    expect(nltk.examples.length).toBe(15);
    for (const { text, tokens } of nltk.examples) {
      const expected = DIFFERENCES[text];
      if (expected) {
        expect(wordTokenize(text), text).toEqual(expected);
        expect(tokens, text).not.toEqual(expected);
      } else {
        expect(wordTokenize(text), text).toEqual(tokens);
      }
    }
  });

  it('drops the tab/CR/LF and empty tokens wink emits', () => {
    expect(wordTokenize('Hello\nworld.\r\nA\tB')).toEqual(['Hello', 'world', '.', 'A', 'B']);
    expect(wordTokenize('j+tl..c?')).toEqual(['j', '+', 'tl', '.', '.', 'c', '?']); // wink: 'tl', '.', '', '.'
  });

  it('property: tokens keep every non-separator character in order (compactText is preserved)', () => {
    const piece = fc.constantFrom(
      'a',
      'B',
      ' ',
      '\n',
      '\t',
      '.',
      "'",
      '"',
      "n't",
      '\u000b',
      '\u200b',
      '\u00a0',
      'é',
      'e\u0301',
      '👍🏽',
      '$',
      '@',
      ':)',
      'http://x.y',
      '...',
      '-',
      'Mr.',
    );
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.array(piece, { maxLength: 40 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(text, (t) => {
        const w = wordTokenize(t);
        return compactText(w.join(' ')) === compactText(t) && w.every((x) => x !== '');
      }),
      { numRuns: 3000 },
    );
  });

  it('is empty for empty or blank text', () => {
    expect(wordTokenize('')).toEqual([]);
    expect(wordTokenize(' \n\t ')).toEqual([]);
  });
});

describe('sentTokenize', () => {
  it('splits sentences keeping abbreviations, initials, quotes and ellipses attached', () => {
    expect(sentTokenize('Mr. Smith left. He paid.')).toEqual(['Mr. Smith left.', 'He paid.']);
    expect(sentTokenize('It costs 5 p.m. tomorrow. Really?')).toEqual(['It costs 5 p.m. tomorrow.', 'Really?']);
    expect(sentTokenize('He said "Stop." Then he left.')).toEqual(['He said "Stop."', 'Then he left.']);
    expect(sentTokenize('Wait... what? Yes!')).toEqual(['Wait... what?', 'Yes!']);
    expect(sentTokenize('A. B. Cook wrote it.')).toEqual(['A. B. Cook wrote it.']);
  });

  it('differs from Punkt on abbreviations outside its lexicon and on lower-case starts', () => {
    expect(sentTokenize('See Fig. 3 for details. Next.')).toEqual(['See Fig.', '3 for details.', 'Next.']);
    expect(sentTokenize('no capital. next one here.')).toEqual(['no capital.', 'next one here.']);
  });

  it('returns slices of the input and one pass gives both views', () => {
    const text = "Don't go. Mr. Smith left!";
    expect(tokenize(text)).toEqual({
      words: ['Do', "n't", 'go', '.', 'Mr.', 'Smith', 'left', '!'],
      sentences: ["Don't go.", 'Mr. Smith left!'],
    });
  });
});
