import type { CompletionInput } from './types.js';

/** Score range the LLM is asked for (dojo.md §5.2; `lower < upper`). */
export interface ScoreRange {
  lower: number;
  upper: number;
}

/**
 * JSON schema of `ScoresResponse` as TogetherAI's JSON mode receives it (pydantic schema with `$ref`s inlined,
 * titles and `additionalProperties` removed, only the top-level `required` kept).
 */
export const SCORES_RESPONSE_SCHEMA = Object.freeze({
  type: 'object',
  properties: {
    scores: {
      type: 'array',
      items: { type: 'object', properties: { completion_id: { type: 'string' }, score: { type: 'number' } } },
    },
  },
  required: ['scores'],
});

/** JSON schema of `PreferenceResponse` (dojo.md §3.2). */
export const PREFERENCE_RESPONSE_SCHEMA = Object.freeze({
  type: 'object',
  properties: { preference_text: { type: 'integer' } },
  required: ['preference_text'],
});

/**
 * System prompt of `llm_api` scoring (paraphrase of upstream, dojo.md §5.2). With `inlineSchema` (OpenAI, whose JSON
 * mode takes no schema) the schema is stated in the prompt.
 * @returns the system message content.
 */
export function scoringSystemPrompt(range: ScoreRange, inlineSchema: boolean): string {
  const base =
    'You are a helpful assistant that answers in JSON. ' +
    `Score the quality of each completion with respect to the prompt, using a score between ${range.lower} and ${range.upper}, ` +
    `where ${range.lower} is the worst and ${range.upper} is the best; a higher score means a better completion. ` +
    'Refer to each completion by the id after "Model #" as completion_id and give every completion exactly one score. Answer in JSON.';
  return inlineSchema ? `${base} The JSON must match this schema: ${JSON.stringify(SCORES_RESPONSE_SCHEMA)}` : base;
}

// Python's json.dumps string literal (ensure_ascii=True): JSON escapes plus \uXXXX for every code unit outside ' '..'~'.
function pyJsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * User prompt of `llm_api` scoring: `\nPrompt:\n{prompt}\n\n{blocks joined by "\n"}\n\nAssistant:\n`, each block
 * `\nModel #{cid}\n{completion as JSON}\n`, where the JSON is what upstream's pydantic `Completion.json()` printed:
 * `{"cid": "<cid>", "text": "<text>"}` (Python `json.dumps` spacing, non-ASCII escaped). dojo.md §5.2 writes the
 * block as `Completion #{cid}` + raw text; upstream's `commons/llm/prompts.py` uses this form (see README).
 * @returns the user message content.
 * @example
 * scoringUserPrompt('2+2?', [{ cid: 'a', text: '4' }]);
 * // '\nPrompt:\n2+2?\n\n\nModel #a\n{"cid": "a", "text": "4"}\n\n\nAssistant:\n'
 */
export function scoringUserPrompt(prompt: string, completions: readonly CompletionInput[]): string {
  const blocks = completions
    .map((c) => `\nModel #${c.cid}\n{"cid": ${pyJsonString(c.cid)}, "text": ${pyJsonString(c.text)}}\n`)
    .join('\n');
  return `\nPrompt:\n${prompt}\n\n${blocks}\n\nAssistant:\n`;
}

/**
 * System prompt of the pairwise preference question (dojo.md §12.4, paraphrase).
 * @returns the system message content.
 */
export function preferenceSystemPrompt(inlineSchema: boolean): string {
  const base =
    'You are a helpful assistant that answers in JSON. You are shown two texts, "Text 1" and "Text 2". ' +
    'Choose the one you prefer (the more helpful, correct and harmless) and answer with its number as preference_text, 1 or 2.';
  return inlineSchema ? `${base} The JSON must match this schema: ${JSON.stringify(PREFERENCE_RESPONSE_SCHEMA)}` : base;
}

/**
 * User prompt of the preference question: `\nText 1:\n{A}\n\nText 2:\n{B}\n` (dojo.md §12.4).
 * @returns the user message content.
 */
export function preferenceUserPrompt(text1: string, text2: string): string {
  return `\nText 1:\n${text1}\n\nText 2:\n${text2}\n`;
}
