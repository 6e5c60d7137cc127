// Child process hosting many axons on loopback for the fan-out bench; each handler sleeps its own delay.
import { ChunkSynapseDef } from '@dojo-ts/protocol';
import { buildAxon } from '../src/axon/build-axon.js';
import type { Axon } from '../src/axon/types.js';
import { createSr25519Signer } from '../src/signer.js';

const count = Number(process.argv[2] ?? 256);
const maxDelayMs = Number(process.argv[3] ?? 300);
const offset = Number(process.argv[4] ?? 0);
const axons: Axon[] = [];
const targets: Array<{ ip: string; port: number; hotkey: string; delayMs: number }> = [];
for (let i = offset; i < offset + count; i++) {
  const seed = new Uint8Array(32);
  seed[0] = 200;
  seed[1] = i & 0xff;
  seed[2] = i >> 8;
  const signer = await createSr25519Signer(seed);
  // Deterministic spread of delays; axon 0 is the slowest.
  const delayMs = i === 0 ? maxDelayMs : ((i * 7919) % 1000) * (maxDelayMs / 1000) * 0.9;
  const axon = buildAxon({ signer, maxFutureSkewS: 300 }).attach(ChunkSynapseDef, {
    forward: async (s) => {
      await new Promise((r) => setTimeout(r, delayMs));
      return { ...s, chunks: [s.document] };
    },
  });
  const url = await axon.listen({ host: '127.0.0.1', port: 0 });
  axons.push(axon);
  targets.push({ ip: '127.0.0.1', port: Number(new URL(url).port), hotkey: signer.address, delayMs });
}
process.send?.({ targets });
process.on('message', async () => {
  await Promise.all(axons.map((a) => a.close()));
  process.exit(0);
});
