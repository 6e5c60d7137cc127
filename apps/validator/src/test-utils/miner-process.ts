/**
 * Test-only minimal miner process built from @dojo-ts/neuron's axon: serves `RankingRequest` (an `hf_model`-declared
 * length-based scorer with a per-miner bias), `RankingResult` (recorded in Redis so tests can check D15) and
 * `chunkSynapse` (greedy sentence packing, chunking.md §12.1), then serves its axon on the LocalChain.
 * Env: REDIS_URL, LC_NAMESPACE, NETUID, WALLET_PATH, WALLET_NAME, RECORD_PREFIX, BIAS.
 */
import { LocalChain, loadHotkeyPair } from '@dojo-ts/chain';
import { buildAxon } from '@dojo-ts/neuron';
import { ChunkSynapseDef, RankingRequestDef, RankingResultDef } from '@dojo-ts/protocol';
import { sentTokenize } from '@dojo-ts/scoring';
import { Redis } from 'ioredis';

const env = process.env;
const netuid = Number(env.NETUID ?? '1');
const bias = Number(env.BIAS ?? '0');
const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const signer = await loadHotkeyPair({ walletPath: env.WALLET_PATH, name: env.WALLET_NAME, hotkey: 'default' });
const chain = await LocalChain.connect({ redis, namespace: env.LC_NAMESPACE, produceBlocks: false });
const record = `${env.RECORD_PREFIX}:${signer.address}`;

function greedyChunks(document: string, chunkSize: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const s of sentTokenize(document)) {
    if (current === '') current = s;
    else if ([...`${current} ${s}`].length <= chunkSize) current = `${current} ${s}`;
    else {
      chunks.push(current);
      current = s;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

const axon = buildAxon({ signer })
  .attach(RankingRequestDef, {
    forward: async (s) => {
      await redis.incr(`${record}:requests`);
      s.ranks = s.completions.map((c, i) => ({
        cid: c.cid,
        score: Math.min(1, Math.max(0, (Math.min(c.text.length, 400) / 400) * 0.9 + bias * ((i % 2) - 0.5))),
      }));
      s.scoring_method = 'hf_model';
      s.model_config = { provider: null, model_name: 'test/length-reward-model' };
      return s;
    },
  })
  .attach(RankingResultDef, {
    forward: async (s) => {
      await redis.rpush(`${record}:results`, JSON.stringify(s.hotkey_to_score));
      return s;
    },
  })
  .attach(ChunkSynapseDef, {
    forward: async (s) => {
      s.chunks = greedyChunks(s.document, s.chunk_size ?? 4096);
      return s;
    },
  });

const address = await axon.listen({ host: '127.0.0.1', port: 0 });
const port = Number(new URL(address).port);
const res = await chain.serveAxon(signer, netuid, { ip: '127.0.0.1', port, version: 7004000 });
if (!res.ok) throw new Error(`serve_axon failed: ${JSON.stringify(res.error)}`);
process.stdout.write(`ready ${port}\n`);
process.on('SIGTERM', () => {
  void axon.close().then(async () => {
    await chain.close();
    redis.disconnect();
    process.exit(0);
  });
});
