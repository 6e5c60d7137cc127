import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { LlmResponseError } from './errors.js';
import type { ScoreRange } from './llm-prompts.js';

const ScoresResponse = Type.Object({
  scores: Type.Array(Type.Object({ completion_id: Type.String(), score: Type.Number() })),
});
const PreferenceResponse = Type.Object({ preference_text: Type.Integer() });

function parseJsonContent(content: string | null | undefined, what: string): unknown {
  if (typeof content !== 'string' || content.trim() === '')
    throw new LlmResponseError(`${what}: empty message content`);
  // Some open models wrap JSON in a Markdown code fence even in JSON mode.
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(content);
  try {
    return JSON.parse(fenced ? (fenced[1] as string) : content);
  } catch (err) {
    throw new LlmResponseError(`${what}: content is not JSON`, {
      details: { content: content.slice(0, 200) },
      cause: err,
    });
  }
}

function firstSchemaError(schema: Parameters<typeof Value.Errors>[0], value: unknown): string {
  const first = Value.Errors(schema, value).First();
  return first ? `${first.path || '/'}: ${first.message}` : 'invalid';
}

/**
 * Parses and validates an `llm_api` scoring answer (`ScoresResponse`, dojo.md §5.2): every requested cid exactly once,
 * no unknown cid, every score finite and within `range`; scores are divided by `range.upper`.
 * @param content - `choices[0].message.content`.
 * @param cids - the requested completion ids.
 * @param range - the range given in the prompt.
 * @returns cid → score / upper.
 * @throws {LlmResponseError} DOJO_MODELS_LLM_RESPONSE_INVALID naming the first problem.
 * @example
 * parseScoresResponse('{"scores":[{"completion_id":"a","score":0.5}]}', ['a'], { lower: 0, upper: 1 }); // { a: 0.5 }
 */
export function parseScoresResponse(
  content: string | null | undefined,
  cids: readonly string[],
  range: ScoreRange,
): Record<string, number> {
  const value = parseJsonContent(content, 'scores response');
  if (!Value.Check(ScoresResponse, value)) {
    throw new LlmResponseError(
      `scores response does not match the schema (${firstSchemaError(ScoresResponse, value)})`,
    );
  }
  const wanted = new Set(cids);
  const out: Record<string, number> = {};
  for (const item of (value as Static<typeof ScoresResponse>).scores) {
    const cid = item.completion_id;
    if (!wanted.has(cid))
      throw new LlmResponseError(`scores response names unknown completion_id '${cid}'`, { details: { cid } });
    if (Object.hasOwn(out, cid))
      throw new LlmResponseError(`scores response scores '${cid}' twice`, { details: { cid } });
    if (!Number.isFinite(item.score) || item.score < range.lower || item.score > range.upper) {
      throw new LlmResponseError(`score ${item.score} of '${cid}' is outside [${range.lower}, ${range.upper}]`, {
        details: { cid, score: item.score },
      });
    }
    out[cid] = item.score / range.upper;
  }
  const missing = cids.filter((cid) => !Object.hasOwn(out, cid));
  if (missing.length > 0) {
    throw new LlmResponseError(`scores response misses completion_id ${missing.map((c) => `'${c}'`).join(', ')}`, {
      details: { missing },
    });
  }
  return out;
}

/**
 * Parses and validates a preference answer (`PreferenceResponse`, dojo.md §12.4).
 * @param content - `choices[0].message.content`.
 * @returns 1 or 2.
 * @throws {LlmResponseError} DOJO_MODELS_LLM_RESPONSE_INVALID for non-JSON, a schema mismatch, or a value other than 1/2.
 */
export function parsePreferenceResponse(content: string | null | undefined): 1 | 2 {
  const value = parseJsonContent(content, 'preference response');
  if (!Value.Check(PreferenceResponse, value)) {
    throw new LlmResponseError(
      `preference response does not match the schema (${firstSchemaError(PreferenceResponse, value)})`,
    );
  }
  const n = (value as Static<typeof PreferenceResponse>).preference_text;
  if (n !== 1 && n !== 2)
    throw new LlmResponseError(`preference_text must be 1 or 2, got ${n}`, { details: { preference_text: n } });
  return n;
}
