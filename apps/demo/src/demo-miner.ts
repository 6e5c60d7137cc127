/**
 * DEMO-ONLY misbehaving miner (not a real miner; the real one is apps/miner). It speaks the same protocol through
 * @dojo-ts/neuron's axon so the demo can show how the subnet treats bad actors:
 *   --mode noisy  random scores for every completion (a seeded RNG), random sentence groupings as chunks;
 *   --mode lazy   the same score for every completion, the whole document as one chunk.
 * Both declare `hf_model` with the demo's model name, so the validator's audit can re-score them.
 * Flags: --mode, --netuid, --chain_id, --redis.url, --wallet.path, --wallet.name, --model_name, --seed.
 * Prints `demo-miner ready <port>` once its axon is served on the LocalChain.
 */
import { parseArgs } from 'node:util';
import { LocalChain, loadHotkeyPair } from '@dojo-ts/chain';
import { buildAxon } from '@dojo-ts/neuron';
import { ChunkSynapseDef, PROTOCOL_VERSION, RankingRequestDef, RankingResultDef } from '@dojo-ts/protocol';
import { mulberry32, sentTokenize } from '@dojo-ts/scoring';

const { values } = parseArgs({
  options: {
    mode: { type: 'string' },
    netuid: { type: 'string', default: '1' },
    chain_id: { type: 'string', default: 'local' },
    'redis.url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'wallet.path': { type: 'string' },
    'wallet.name': { type: 'string', default: 'default' },
    model_name: { type: 'string', default: 'tiny-reward-model' },
    seed: { type: 'string', default: '7' },
  },
});
const mode = values.mode;
if (mode !== 'noisy' && mode !== 'lazy') {
  process.stderr.write('demo-miner: --mode must be noisy or lazy\n');
  process.exit(2);
}
const netuid = Number(values.netuid);
const rng = mulberry32(Number(values.seed) >>> 0);
const signer = await loadHotkeyPair({
  walletPath: values['wallet.path'],
  name: values['wallet.name'],
  hotkey: 'default',
});
const chain = await LocalChain.connect({
  redis: values['redis.url'],
  namespace: `lc:${values.chain_id}:`,
  produceBlocks: false,
});
let requests = 0;
let results = 0;

function chunksOf(document: string, chunkSize: number): string[] {
  if (mode === 'lazy') return [document.slice(0, chunkSize)];
  const out: string[] = [];
  let current = '';
  for (const s of sentTokenize(document)) {
    const joined = current === '' ? s : `${current} ${s}`;
    // noisy: cut at random places, regardless of meaning
    if (current !== '' && (rng.next() < 0.5 || [...joined].length > chunkSize)) {
      out.push(current);
      current = s;
    } else current = joined;
  }
  if (current !== '') out.push(current);
  return out.map((c) => c.slice(0, chunkSize));
}

const axon = buildAxon({ signer, externalIp: '127.0.0.1' })
  .attach(RankingRequestDef, {
    forward: async (s) => {
      requests++;
      s.ranks = s.completions.map((c) => ({ cid: c.cid, score: mode === 'noisy' ? rng.next() : 0.5 }));
      s.scoring_method = 'hf_model';
      s.model_config = { provider: null, model_name: values.model_name as string };
      process.stdout.write(`demo-miner ${mode}: RankingRequest ${s.request_id} answered (${s.ranks.length} scores)\n`);
      return s;
    },
  })
  .attach(RankingResultDef, {
    forward: async (s) => {
      results++;
      process.stdout.write(`demo-miner ${mode}: RankingResult ${JSON.stringify(s.hotkey_to_score)}\n`);
      return s;
    },
  })
  .attach(ChunkSynapseDef, {
    forward: async (s) => {
      s.chunks = chunksOf(s.document, s.chunk_size ?? 4096);
      return s;
    },
  });

const address = await axon.listen({ host: '127.0.0.1', port: 0 });
const port = Number(new URL(address).port);
let served = false;
for (let attempt = 0; attempt < 10 && !served; attempt++) {
  const res = await chain.serveAxon(signer, netuid, { ip: '127.0.0.1', port, version: PROTOCOL_VERSION });
  served = res.ok;
  if (!served) await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
}
if (!served) {
  process.stderr.write('demo-miner: serve_axon failed\n');
  process.exit(1);
}
process.stdout.write(`demo-miner ${mode} ready ${port} hotkey=${signer.address}\n`);
const stop = () => {
  void axon.close().then(async () => {
    await chain.close();
    process.stdout.write(`demo-miner ${mode} stopped after ${requests} requests, ${results} results\n`);
    process.exit(0);
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
