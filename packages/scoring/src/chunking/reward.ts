import { ScoringInputError } from '../errors.js';
import { type Rng, sample } from '../rng.js';
import type { Embedder } from './embedder.js';
import { compactText, tokenize, wordTokenize } from './tokenize.js';

/** The validator's own task object; every field is read from here, never from the response (K2). */
export interface ChunkTask {
  document: string;
  /** Soft maximum characters (code points) per chunk. */
  chunk_size: number;
  /** Seconds after which the time penalty applies; null = no time penalty. */
  time_soft_max: number | null;
  /** v1.1 only: soft maximum number of chunks; default {@link defaultChunkQty}. */
  chunk_qty?: number | null;
}

/** What the reward reads from a miner's reply. */
export interface ChunkResponse {
  chunks: readonly string[] | null | undefined;
  /** `dendrite.process_time` in seconds as measured by the validator; null on timeout. */
  processTimeS?: number | null;
}

/** A sampled unit of up to 3 sentences and the chunk it came from. */
export interface Segment {
  text: string;
  sourceChunk: number;
}

/** The document tokenised once, shared by all responses of a round. */
export interface PreparedDocument {
  /** `wordTokenize(document).join(' ')`. */
  joined: string;
  words: string[];
  /** `compactText(document)`, for the pre-check. */
  compact: string;
}

/** Why a response got 0 before any embedding. */
export type ChunkFailure = 'empty' | 'order' | 'coverage' | 'no_segments';

/** Result of {@link checkChunks}. */
export type CheckedChunks =
  | { ok: true; sizePenalty: number; segments: Segment[] }
  | { ok: false; failure: ChunkFailure; chunkIndex?: number };

/** Extra values returned by {@link rewardV11}, as upstream's `extra_info`. */
export interface RewardV11Info {
  embeddings: Float32Array[];
  intraSimilarities: number[];
  interSimilarities: number[];
  sizePenalty: number;
  qtyPenalty: number;
  embeddingReward: number;
  timePenalty: number;
  numSegments: number;
}

/**
 * Tokenises the task document once (chunking.md §4.2).
 * @param document - the task's document.
 * @returns its words and their space-joined form.
 */
export function prepareDocument(document: string): PreparedDocument {
  const words = wordTokenize(document);
  return { words, joined: words.join(' '), compact: compactText(document) };
}

/** Length in Unicode code points (Python `len`), not UTF-16 units. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = s.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) n--;
    }
  }
  return n;
}

// Presence anywhere in `hay`, searching forward from the hint first: in-order responses are found in O(distance).
function findFrom(hay: string, needle: string, hint: number): number {
  const fwd = hay.indexOf(needle, hint);
  if (fwd >= 0) return fwd;
  return hint > 0 ? hay.lastIndexOf(needle, hint) : -1;
}

/**
 * The sure-fail checks and penalties of reward v1/v1.1 (chunking.md §4.1–§4.4): empty, order, size penalty, segments
 * and word-triplet coverage, with plain substring tests on space-joined token strings.
 * @param task - the validator's task.
 * @param chunks - the miner's chunks.
 * @param doc - the prepared document (default: tokenised here).
 * @returns `{ ok: true, sizePenalty, segments }` or `{ ok: false, failure }`.
 */
export function checkChunks(
  task: ChunkTask,
  chunks: readonly string[] | null | undefined,
  doc?: PreparedDocument,
): CheckedChunks {
  if (!chunks || chunks.length === 0) return { ok: false, failure: 'empty' };
  const prepared = doc ?? prepareDocument(task.document);
  const D = prepared.joined;
  const joined: string[] = [];
  const segments: Segment[] = [];
  let sizePenalty = 0;
  let hint = 0;
  let compactHint = 0;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i] as string;
    // Necessary condition of the order check, decided without tokenising: w ⊂ D implies compact(chunk) ⊂
    // compact(document) because tokenising only drops separators. Foreign text never reaches the tokeniser, whose
    // vocabulary cache grows with every new token it sees.
    const kc = compactText(chunk);
    const kat = findFrom(prepared.compact, kc, compactHint);
    if (kat < 0) return { ok: false, failure: 'order', chunkIndex: i };
    compactHint = kat + kc.length;
    const { words, sentences } = tokenize(chunk);
    const w = words.join(' ');
    const at = findFrom(D, w, hint);
    if (at < 0) return { ok: false, failure: 'order', chunkIndex: i };
    hint = at + w.length;
    joined.push(w);
    if (chunk.length > task.chunk_size) {
      const L = codePointLength(chunk);
      if (L > task.chunk_size) sizePenalty += 10 * (L / task.chunk_size - 1);
    }
    for (let j = 0; j < sentences.length; j += 3)
      segments.push({ text: sentences.slice(j, j + 3).join(' '), sourceChunk: i });
  }
  const C = ` ${joined.join(' ')}`;
  const words = prepared.words;
  let hintC = 0;
  for (let m = 0; m < words.length; m += 3) {
    const t = words.slice(m, m + 3).join(' ');
    if (t.length >= task.chunk_size && codePointLength(t) >= task.chunk_size) continue;
    const at = findFrom(C, t, hintC);
    if (at < 0) return { ok: false, failure: 'coverage' };
    hintC = at + t.length;
  }
  if (segments.length === 0) return { ok: false, failure: 'no_segments' };
  return { ok: true, sizePenalty, segments };
}

/**
 * Time-penalty factor `(2/3)^(t − t_soft)` when the response took longer than the task's `time_soft_max` (K2), else 1.
 * @param processTimeS - the dendrite's measured time in seconds (null → no penalty).
 * @param timeSoftMax - the task's soft limit in seconds (null → no penalty).
 * @returns a factor in (0, 1].
 * @example
 * timePenalty(7, 5); // 0.4444…
 */
export function timePenalty(processTimeS: number | null | undefined, timeSoftMax: number | null | undefined): number {
  if (processTimeS == null || timeSoftMax == null || !(processTimeS > timeSoftMax)) return 1;
  return (2 / 3) ** (processTimeS - timeSoftMax);
}

/**
 * v1.1's default chunk quantity: `ceil(ceil(len(document) / chunk_size) × 1.5)` (chunking.md §5).
 * @param document - the task's document.
 * @param chunkSize - the task's chunk size.
 * @returns the soft maximum number of chunks.
 */
export function defaultChunkQty(document: string, chunkSize: number): number {
  return Math.ceil(Math.ceil(codePointLength(document) / chunkSize) * 1.5);
}

function validateTask(task: ChunkTask): void {
  if (!(task.chunk_size > 0))
    throw new ScoringInputError('DOJO_SCORING_INVALID_INPUT', `chunk_size must be > 0, got ${task.chunk_size}`);
}

async function sampleAndEmbed(segments: Segment[], embedder: Embedder, numEmbeddings: number, rng: Rng) {
  if (!Number.isInteger(numEmbeddings) || numEmbeddings < 1) {
    throw new ScoringInputError(
      'DOJO_SCORING_INVALID_INPUT',
      `numEmbeddings must be a positive integer, got ${numEmbeddings}`,
    );
  }
  const picked = numEmbeddings < segments.length ? sample(rng, segments, numEmbeddings) : segments;
  const vectors = await embedder.embed(picked.map((s) => s.text));
  if (vectors.length !== picked.length) {
    throw new ScoringInputError(
      'DOJO_SCORING_EMBEDDING_MISMATCH',
      `embedder returned ${vectors.length} vectors for ${picked.length} texts`,
    );
  }
  return { picked, vectors };
}

function dot(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Chunk reward v1.0.0 (chunking.md §4): `1.01^S · timePenalty · (2/3)^sizePenalty`, where S sums same-chunk
 * minus cross-chunk similarities over all pairs of sampled segments; 0 means failure.
 * @param task - the validator's task (document, chunk_size, time_soft_max).
 * @param response - the miner's chunks and measured process time.
 * @param embedder - the embedder (one call per response).
 * @param numEmbeddings - segments sampled. @defaultValue 50
 * @param rng - injected generator for the sampling.
 * @param doc - the document prepared once per round (optional).
 * @returns the reward ≥ 0.
 * @throws {ScoringInputError} for a bad task or embedder output; the embedder's own errors propagate.
 */
export async function rewardV1(
  task: ChunkTask,
  response: ChunkResponse,
  embedder: Embedder,
  numEmbeddings: number,
  rng: Rng,
  doc?: PreparedDocument,
): Promise<number> {
  validateTask(task);
  const checked = checkChunks(task, response.chunks, doc);
  if (!checked.ok) return 0;
  const { picked, vectors } = await sampleAndEmbed(checked.segments, embedder, numEmbeddings, rng);
  let S = 0;
  for (let a = 0; a < picked.length; a++) {
    for (let b = a + 1; b < picked.length; b++) {
      const sim = dot(vectors[a] as Float32Array, vectors[b] as Float32Array);
      S += (picked[a] as Segment).sourceChunk === (picked[b] as Segment).sourceChunk ? sim : -sim;
    }
  }
  let r = 1.01 ** S;
  r *= timePenalty(response.processTimeS, task.time_soft_max);
  r *= (2 / 3) ** checked.sizePenalty;
  return r;
}

/**
 * Chunk reward v1.1.0 (chunking.md §5): `e^(mean(intra) − mean(inter)) · timePenalty · (2/3)^(size + qty penalties)`,
 * with the early returns fixed (a failed check gives 0).
 * @param task - the validator's task (chunk_qty default {@link defaultChunkQty}).
 * @param response - the miner's chunks and measured process time.
 * @param embedder - the embedder.
 * @param numEmbeddings - segments sampled. @defaultValue 50
 * @param rng - injected generator.
 * @param doc - the document prepared once per round (optional).
 * @returns `{ reward, info }`; info is null when the response failed before embedding.
 */
export async function rewardV11(
  task: ChunkTask,
  response: ChunkResponse,
  embedder: Embedder,
  numEmbeddings: number,
  rng: Rng,
  doc?: PreparedDocument,
): Promise<{ reward: number; info: RewardV11Info | null }> {
  validateTask(task);
  const chunks = response.chunks;
  if (!chunks || chunks.length === 0) return { reward: 0, info: null };
  const qty = task.chunk_qty ?? defaultChunkQty(task.document, task.chunk_size);
  const qtyPenalty = chunks.length > qty ? 100 * (chunks.length / qty - 1) : 0;
  const checked = checkChunks(task, chunks, doc);
  if (!checked.ok) return { reward: 0, info: null };
  const { picked, vectors } = await sampleAndEmbed(checked.segments, embedder, numEmbeddings, rng);
  const intra: number[] = [];
  const inter: number[] = [];
  for (let a = 0; a < picked.length; a++) {
    for (let b = a + 1; b < picked.length; b++) {
      const sim = dot(vectors[a] as Float32Array, vectors[b] as Float32Array);
      ((picked[a] as Segment).sourceChunk === (picked[b] as Segment).sourceChunk ? intra : inter).push(sim);
    }
  }
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);
  const E = mean(intra) - mean(inter);
  const tp = timePenalty(response.processTimeS, task.time_soft_max);
  const reward = Math.exp(E) * tp * (2 / 3) ** (checked.sizePenalty + qtyPenalty);
  return {
    reward,
    info: {
      embeddings: vectors,
      intraSimilarities: intra,
      interSimilarities: inter,
      sizePenalty: checked.sizePenalty,
      qtyPenalty,
      embeddingReward: E,
      timePenalty: tp,
      numSegments: picked.length,
    },
  };
}

/** Reward formula selected by `--reward.variant` (K1). */
export type RewardVariant = 'v1' | 'v1.1';

/** Options of {@link getRewards}. */
export interface GetRewardsOptions {
  /** @defaultValue 'v1' */
  variant?: RewardVariant;
  /** @defaultValue 50 */
  numEmbeddings?: number;
  /** True for embedder errors that are the miner's fault (e.g. HTTP 400): that response gets 0 (§6.2); others propagate. */
  isMinerFault?: (err: unknown) => boolean;
}

/**
 * Rewards of one round, aligned with the responses: the document is tokenised once, each response scored in order
 * with the same RNG (chunking.md §4.8, §6.2).
 * @param task - the validator's task.
 * @param responses - the group's responses in query order.
 * @param embedder - the embedder.
 * @param rng - injected generator.
 * @param opts - variant, sample size and the miner-fault classifier.
 * @returns one reward per response (0 = failure).
 * @throws the embedder's validator-side errors (the caller aborts the round without updating scores).
 */
export async function getRewards(
  task: ChunkTask,
  responses: readonly ChunkResponse[],
  embedder: Embedder,
  rng: Rng,
  opts: GetRewardsOptions = {},
): Promise<number[]> {
  validateTask(task);
  const doc = prepareDocument(task.document);
  const n = opts.numEmbeddings ?? 50;
  const out: number[] = [];
  for (const r of responses) {
    try {
      out.push(
        opts.variant === 'v1.1'
          ? (await rewardV11(task, r, embedder, n, rng, doc)).reward
          : await rewardV1(task, r, embedder, n, rng, doc),
      );
    } catch (err) {
      if (opts.isMinerFault?.(err)) out.push(0);
      else throw err;
    }
  }
  return out;
}
