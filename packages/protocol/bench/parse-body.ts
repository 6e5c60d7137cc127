// Throughput of parseSynapseBody (order-preserving parse + validation + body hash) and of the JSON codec, as ratios
// to a baseline measured in the same run: JSON.parse of the same text (+ node:crypto sha3-256 of the text).
import { createHash } from 'node:crypto';
import { ChunkSynapseDef, parseJson, parseSynapseBody, RankingRequestDef, stringifyJson } from '../src/index.js';

function rate(fn: () => void, ms = 1500): number {
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    fn();
    n++;
  }
  return (n * 1000) / ms;
}

const words = 'lorem ipsum dolor sit amet, "quoted" \\ back é 😀 line\n'.repeat(20_000);
const chunk = stringifyJson(ChunkSynapseDef.create({ document: words, chunk_size: 4096 }));
const completions = Array.from({ length: 200 }, (_, i) => ({ cid: `c-${i}`, text: `completion ${i} `.repeat(50) }));
const ranking = stringifyJson(RankingRequestDef.create({ prompt: 'p', n_completions: 200, completions }));

for (const [label, def, text] of [
  [`chunkSynapse ${(chunk.length / 1e6).toFixed(2)} MB`, ChunkSynapseDef, chunk],
  [`RankingRequest ${(ranking.length / 1e6).toFixed(2)} MB`, RankingRequestDef, ranking],
] as const) {
  const base = rate(() => {
    JSON.parse(text);
    createHash('sha3-256').update(text).digest('hex');
  });
  const ours = rate(() => parseSynapseBody(def as never, text));
  const json = rate(() => parseJson(text));
  const plain = rate(() => JSON.parse(text));
  console.log(
    `${label}: parseSynapseBody ${ours.toFixed(1)}/s = ${(ours / base).toFixed(2)}x of JSON.parse+sha3; ` +
      `parseJson = ${(json / plain).toFixed(2)}x of JSON.parse`,
  );
}
