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
  it("has upstream's layout: Model #cid blocks carrying the completion as Python json.dumps", () => {
    const twoCompletions = [
      { cid: 'x', text: 'A' },
      { cid: 'y', text: 'B' },
    ];
    expect(scoringUserPrompt('P', twoCompletions)).toBe(
      '\nPrompt:\nP\n\n\nModel #x\n{"cid": "x", "text": "A"}\n\n\nModel #y\n{"cid": "y", "text": "B"}\n\n\nAssistant:\n',
    );
  });

  it('escapes like CPython json.dumps with ensure_ascii', () => {
    // CPython 3.11: json.dumps({'cid': 'a', 'text': 'h\u00e9llo "q" \\ \n\t\x01 \x7f \U0001f600 \u2028'})
    const text = 'h\u00e9llo "q" \\ \n\t\x01 \x7f \u{1f600} \u2028';
    const expected = String.raw`{"cid": "a", "text": "h\u00e9llo \"q\" \\ \n\t\u0001 \u007f \ud83d\ude00 \u2028"}`;
    expect(scoringUserPrompt('P', [{ cid: 'a', text }])).toContain(`\nModel #a\n${expected}\n`);
  });
});

describe('backoffDelayMs', () => {
  it('matches tenacity wait_exponential(multiplier=1, min=4, max=12)', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n))).toEqual([4000, 4000, 4000, 8000, 12000, 12000]);
  });
});
