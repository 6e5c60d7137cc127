import { describe, expect, it } from 'vitest';
import { scoringUserPrompt } from './llm-prompts.js';
import { parsePreferenceResponse, parseScoresResponse } from './llm-response.js';
import { backoffDelayMs } from './retry.js';

const range = { lower: 0, upper: 1 };

describe('parseScoresResponse', () => {
  it('maps completion_id to score / upper', () => {
    expect(
      parseScoresResponse(
        '{"scores":[{"completion_id":"a","score":0.25},{"completion_id":"b","score":1}]}',
        ['a', 'b'],
        range,
      ),
    ).toEqual({ a: 0.25, b: 1 });
    expect(parseScoresResponse('{"scores":[{"completion_id":"a","score":5}]}', ['a'], { lower: 1, upper: 10 })).toEqual(
      { a: 0.5 },
    );
  });

  it('accepts JSON inside a Markdown code fence', () => {
    expect(parseScoresResponse('```json\n{"scores":[{"completion_id":"a","score":0.5}]}\n```', ['a'], range)).toEqual({
      a: 0.5,
    });
  });

  it.each([
    ['empty content', null, /empty message content/],
    ['not JSON', 'scores: a=1', /not JSON/],
    ['no scores key', '{"result": []}', /does not match the schema/],
    ['a duplicate cid', '{"scores":[{"completion_id":"a","score":0.1},{"completion_id":"a","score":0.2}]}', /twice/],
    ['a negative score', '{"scores":[{"completion_id":"a","score":-0.1}]}', /outside \[0, 1\]/],
  ])('rejects %s', (_n, content, message) => {
    expect(() => parseScoresResponse(content, ['a'], range)).toThrow(message);
  });
});

describe('parsePreferenceResponse', () => {
  it('accepts 1 and 2 only', () => {
    expect(parsePreferenceResponse('{"preference_text": 2}')).toBe(2);
    expect(() => parsePreferenceResponse('{"preference_text": 0}')).toThrow(/1 or 2/);
    expect(() => parsePreferenceResponse('{"preference_text": 1.5}')).toThrow(/schema/);
  });
});

describe('scoringUserPrompt', () => {
  it('has the literal layout of dojo.md §5.2', () => {
    expect(
      scoringUserPrompt('P', [
        { cid: 'x', text: 'A' },
        { cid: 'y', text: 'B' },
      ]),
    ).toBe('\nPrompt:\nP\n\n\nCompletion #x\nA\n\n\nCompletion #y\nB\n\n\nAssistant:\n');
  });
});

describe('backoffDelayMs', () => {
  it('matches tenacity wait_exponential(multiplier=1, min=4, max=12)', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n))).toEqual([4000, 4000, 4000, 8000, 12000, 12000]);
  });
});
