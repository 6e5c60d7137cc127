// Run by verify-pool.test.ts in a child node process with the tsx loader, which worker threads need to load the
// TypeScript worker module from source (vitest's transform does not reach worker threads).
import { ChunkSynapseDef } from '@dojo-ts/protocol';
import { buildAxon } from '../src/axon/build-axon.js';
import { craft, seededSigner, testClock } from './helpers.js';

const axonKey = await seededSigner(71);
const caller = await seededSigner(72);
const clock = testClock();
const axon = buildAxon({ signer: axonKey, nowNs: clock.nowNs, verifyThreads: 1 });
axon.attach(ChunkSynapseDef, { forward: (s) => s });
const good = craft({
  def: ChunkSynapseDef,
  fields: { document: 'd' },
  signer: caller,
  axonHotkey: axonKey.address,
  nonce: clock.now,
});
const bad = craft({
  def: ChunkSynapseDef,
  fields: { document: 'd' },
  signer: caller,
  axonHotkey: caller.address,
  nonce: clock.now + 1n,
});
const statuses: number[] = [];
for (const r of [good, bad, good]) {
  const res = await axon.fastify.inject({ method: 'POST', url: r.url, headers: r.headers, payload: r.body });
  statuses.push(res.statusCode);
}
await axon.close();
console.log(JSON.stringify(statuses));
