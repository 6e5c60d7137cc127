/**
 * One chunking round against real in-process axons (neuron's buildAxon) through a real Dendrite, with the
 * deterministic embedder and chunking scores on real Redis.
 */
import { randomBytes } from 'node:crypto';
import { createDeterministicEmbedder } from '@dojo-ts/models';
import { type Axon, buildAxon, createSr25519Signer, Dendrite } from '@dojo-ts/neuron';
import { ChunkSynapseDef } from '@dojo-ts/protocol';
import { type Embedder, mulberry32, sentTokenize } from '@dojo-ts/scoring';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChunkRoundDeps, runChunkRound } from './chunking.js';
import { corpusFromFile } from './datasets/corpus.js';
import { BUNDLED_CORPUS_PATH } from './datasets/paths.js';
import { ChunkRoundAbortedError } from './errors.js';
import type { NeuronView } from './neuron-view.js';
import { storeKeys } from './store/keys.js';
import { getChunkScores, resyncChunkScores } from './store/state-store.js';
import { deleteKeys, newRedis, silentLog, testPrefix } from './test-utils/helpers.js';

const prefix = testPrefix();
const keys = storeKeys(prefix, 1, 'validator');
let redis: Redis;
let dendrite: Dendrite;
const axons: Axon[] = [];
let view: NeuronView;
const received: Array<{ chunk_size: number | null; time_soft_max: number | null }> = [];

function greedy(document: string, size: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const s of sentTokenize(document)) {
    if (cur === '') cur = s;
    else if ([...`${cur} ${s}`].length <= size) cur = `${cur} ${s}`;
    else {
      out.push(cur);
      cur = s;
    }
  }
  if (cur) out.push(cur);
  return out;
}

// uid 0 = the validator (never queried), 1 = greedy packer, 2 = one sentence per chunk, 3 = invents words (0)
const behaviours: Array<((doc: string, size: number) => string[]) | null> = [
  null,
  greedy,
  (doc) => sentTokenize(doc),
  () => ['words that are not in the document at all'],
];

beforeAll(async () => {
  redis = newRedis();
  const hotkeys: string[] = [];
  const ports: number[] = [];
  for (const behaviour of behaviours) {
    const signer = await createSr25519Signer(randomBytes(32));
    hotkeys.push(signer.address);
    if (!behaviour) {
      ports.push(0);
      continue;
    }
    const axon = buildAxon({ signer }).attach(ChunkSynapseDef, {
      forward: (s) => {
        received.push({ chunk_size: s.chunk_size, time_soft_max: s.time_soft_max });
        s.chunks = behaviour(s.document, s.chunk_size ?? 4096);
        s.time_soft_max = 1e9; // ignored by the validator (K2)
        return s;
      },
    });
    axons.push(axon);
    ports.push(Number(new URL(await axon.listen({ host: '127.0.0.1', port: 0 })).port));
  }
  dendrite = new Dendrite(await createSr25519Signer(randomBytes(32)));
  view = {
    netuid: 1,
    block: 1,
    n: 4,
    hotkeys,
    stakes: [50_000, 1, 1, 1],
    axons: hotkeys.map((hotkey, uid) => ({
      hotkey,
      ip: uid === 0 ? '0.0.0.0' : '127.0.0.1',
      port: ports[uid] as number,
    })),
    lastUpdate: [0, 0, 0, 0],
    uidOf: new Map(hotkeys.map((h, uid) => [h, uid])),
  };
  await resyncChunkScores(redis, keys, hotkeys);
});

afterAll(async () => {
  await dendrite.close();
  await Promise.all(axons.map((a) => a.close()));
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

async function deps(embedder: Embedder): Promise<ChunkRoundDeps> {
  return {
    redis,
    keys,
    log: silentLog,
    dendrite,
    view: () => view,
    ownHotkey: view.hotkeys[0] as string,
    documents: await corpusFromFile(BUNDLED_CORPUS_PATH),
    embedder,
    rng: mulberry32(3),
    groupSize: 25,
    alpha: 0.15,
    variant: 'v1',
    numEmbeddings: 50,
    chunkSize: 1000,
    timeSoftMax: 5,
    timeoutS: 10,
  };
}

describe('chunking round (chunking.md §11.1)', () => {
  it('queries the group with the task fields, ranks failures last and stores rank scores; never the validator', async () => {
    const res = await runChunkRound(await deps(createDeterministicEmbedder()));
    expect(res?.uids.sort()).toEqual([1, 2, 3]);
    expect(received.every((r) => r.chunk_size === 1000 && r.time_soft_max === 5)).toBe(true);
    const byUid = new Map(res?.uids.map((uid, i) => [uid, i]));
    expect(res?.rewards[byUid.get(3) as number]).toBe(0);
    expect(res?.rewards[byUid.get(1) as number]).toBeGreaterThan(0);
    expect(res?.globalRanks[byUid.get(3) as number]).toBe(2);
    const scores = await getChunkScores(redis, keys, 4);
    expect(scores[0]).toBeNull();
    expect(scores[3]).toBe(2);
    expect([scores[1], scores[2]].sort()).toEqual([0, 1]);
  });

  it('aborts without touching scores when the embedder fails on the validator side', async () => {
    const before = await getChunkScores(redis, keys, 4);
    const broken: Embedder = {
      id: 'broken',
      dim: 4,
      embed: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    };
    await expect(runChunkRound(await deps(broken))).rejects.toThrow(ChunkRoundAbortedError);
    expect(await getChunkScores(redis, keys, 4)).toEqual(before);
  });
});
