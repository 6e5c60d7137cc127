// Benchmarks of @dojo-ts/scoring (not a test): npm run bench -w @dojo-ts/scoring
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  type ChunkTask,
  type ConsensusResponse,
  consensus,
  type Embedder,
  mulberry32,
  normalizeScore,
  rewardV1,
  sentTokenize,
  wordTokenize,
} from '../src/index.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
function time(fn: () => void, repeats: number): number {
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    out.push((performance.now() - t0) / 1000);
  }
  return median(out);
}
async function timeAsync(fn: () => Promise<unknown>, repeats: number): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    out.push((performance.now() - t0) / 1000);
  }
  return median(out);
}
const ms = (s: number) => `${(s * 1000).toFixed(2)} ms`;

// (1) consensus: 256 miners × 64 completions
const rng = mulberry32(2024);
const M = 256;
const N = 64;
const cids = Array.from({ length: N }, (_, j) => `cid-${j}`);
const truth = cids.map(() => rng.next());
const methods = ['hf_model', 'llm_api', 'aws_mturk'] as const;
const responses: ConsensusResponse[] = Array.from({ length: M }, (_, h) => {
  const method = methods[h % 3] as (typeof methods)[number];
  const scores: Record<string, number> = {};
  cids.forEach((cid, j) => {
    if (rng.next() < 0.05) return; // a few missing scores
    const v = Math.min(1, Math.max(0, (truth[j] as number) + (rng.next() - 0.5) * 0.6));
    scores[cid] = method === 'aws_mturk' ? Math.round(1 + 9 * v) : Math.round(v * 100) / 100; // ties, like real data
  });
  return { hotkey: `hk-${h}`, method, scores };
});
const accuracy = Object.fromEntries(responses.map((r, i) => [r.hotkey, 0.5 + (i % 50) / 100]));
for (let i = 0; i < 20; i++) consensus(responses, { cids, accuracy });
const tTs = time(() => consensus(responses, { cids, accuracy }), 50);
console.log(`consensus ${M} miners × ${N} completions (full pipeline, TypeScript): ${ms(tTs)} median`);

const res = consensus(responses, { cids, accuracy });
const c = cids.map((cid) => res.cidToConsensus[cid] as number);
const matrix = responses.map((r) =>
  cids.map((cid) => (r.scores[cid] === undefined ? 0 : normalizeScore(r.method, r.scores[cid] as number))),
);
const script = fileURLToPath(new URL('./spearman-loop.py', import.meta.url));
const probe = spawnSync('/usr/bin/python3', ['-c', 'import scipy'], { encoding: 'utf8' });
if (probe.status === 0) {
  const py = spawnSync('/usr/bin/python3', [script], {
    input: JSON.stringify({ matrix, consensus: c, repeats: 15 }),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (py.status !== 0) throw new Error(`python baseline failed: ${py.stderr}`);
  const { median_s: tPy, first_rho } = JSON.parse(py.stdout) as { median_s: number; first_rho: number };
  const firstTs = res.hotkeyToSpearman['hk-0'] as number;
  console.log(
    `scipy.stats.spearmanr loop (${M} calls, timed inside Python): ${ms(tPy)} median; ρ(hk-0) scipy ${first_rho} vs ours ${firstTs}`,
  );
  console.log(`consensus speed ratio (scipy loop / TypeScript pipeline): ${(tPy / tTs).toFixed(1)}× (goal ≥ 2×)`);
} else {
  console.log('scipy not installed (/usr/bin/python3 -c "import scipy" failed): consensus baseline skipped');
}

// (2) chunk reward on a 100k-word document vs tokenisation alone
const vocab = [
  'river',
  'stone',
  'film',
  'grossed',
  'billion',
  "didn't",
  'U.S.',
  'Dr.',
  'the',
  'of',
  'and',
  'a',
  'in',
  '3.5',
  'café',
  '"quoted"',
  '(note)',
  'x-ray',
  'well,',
  'north',
];
const words: string[] = [];
const sentences: string[] = [];
while (words.length < 100_000) {
  const len = 6 + Math.floor(rng.next() * 18);
  const s: string[] = [];
  for (let i = 0; i < len; i++) s.push(vocab[Math.floor(rng.next() * vocab.length)] as string);
  s[0] = `The${s[0]?.startsWith('"') ? '' : ` ${s[0]}`}`;
  const text = `${s.join(' ')}${['.', '!', '?'][Math.floor(rng.next() * 3)]}`;
  sentences.push(text);
  words.push(...text.split(' '));
}
const document = sentences.join(' ');
const task: ChunkTask = { document, chunk_size: 4096, time_soft_max: 5 };
// the default miner's greedy packing (chunking.md §12.1), prepared outside the timings
const chunks: string[] = [];
let cur = '';
for (const s of sentTokenize(document)) {
  if (cur === '') cur = s;
  else if (cur.length + 1 + s.length <= task.chunk_size) cur += ` ${s}`;
  else {
    chunks.push(cur);
    cur = s;
  }
}
if (cur !== '') chunks.push(cur);
// a trivial deterministic embedder keeps embeddings out of the measurement
const trivial: Embedder = {
  id: 'trivial',
  dim: 4,
  embed: async (texts) =>
    texts.map((t) => Float32Array.from([1, t.length % 2, 0, 0]).map((v, _i, a) => v / Math.hypot(...a))),
};

const tokenCount = wordTokenize(document).length;
const tTok = time(() => wordTokenize(document), 5);
const rewardNow = await rewardV1(task, { chunks, processTimeS: 1 }, trivial, 50, mulberry32(1));
const tReward = await timeAsync(() => rewardV1(task, { chunks, processTimeS: 1 }, trivial, 50, mulberry32(1)), 5);
console.log(
  `document: ${words.length} words, ${document.length} characters, ${tokenCount} tokens, ${chunks.length} chunks; reward ${rewardNow.toExponential(4)}`,
);
console.log(`wordTokenize(document) alone: ${ms(tTok)} median`);
console.log(`rewardV1 (embeddings excluded): ${ms(tReward)} median`);
console.log(`chunk reward / tokenisation ratio: ${(tReward / tTok).toFixed(2)}× (goal ≤ 3×)`);
