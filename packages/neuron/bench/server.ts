// Child process hosting ONE server under test for the throughput bench (a), so that no server shares its process
// (JIT, GC, heap) with another, as a real axon runs alone in its neuron process. argv[2] = axon | pooled | verify | echo.
// Protocol over IPC: sends { port } once listening; answers 'cpu' with { cpuUs } (this process's own
// process.cpuUsage(), user + system, since start); 'stop' closes the server and exits. IPC is used instead of an HTTP
// route so that nothing but the measured route is served over TCP.
import { type ChunkSynapse, ChunkSynapseDef, type Synapse } from '@dojo-ts/protocol';
import { sr25519Verify } from '@polkadot/wasm-crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildAxon } from '../src/axon/build-axon.js';
import { publicKeyOf, sr25519Ready } from '../src/crypto/sr25519.js';
import { createSr25519Signer } from '../src/signer.js';

type Kind = 'axon' | 'pooled' | 'verify' | 'echo';

function bare(verify: boolean, ownHotkey: string): FastifyInstance {
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const enc = new TextEncoder();
  app.post('/chunkSynapse', async (req, reply) => {
    if (verify) {
      const h = req.headers as Record<string, string>;
      const hotkey = h['bt_header_dendrite_hotkey'] ?? '';
      const msg = `${h['bt_header_dendrite_nonce']}.${hotkey}.${ownHotkey}.${h['bt_header_dendrite_uuid']}.${h['computed_body_hash']}`;
      const sig = Buffer.from((h['bt_header_dendrite_signature'] ?? '').slice(2), 'hex');
      const pk = publicKeyOf(hotkey);
      if (!pk || !sr25519Verify(sig, enc.encode(msg), pk)) return reply.code(401).send('{"message":"bad"}');
    }
    return reply.type('application/json').send(req.body as string);
  });
  return app;
}

const kind = (process.argv[2] ?? '') as Kind;
if (!['axon', 'pooled', 'verify', 'echo'].includes(kind)) {
  console.error(`bench/server.ts: unknown server kind '${kind}'`);
  process.exit(2);
}
await sr25519Ready();
const axonKey = await createSr25519Signer(new Uint8Array(32).fill(1));
const forward = (s: Synapse<ChunkSynapse>) => ({ ...s, chunks: [s.document] });
let close: () => Promise<unknown>;
let url: string;
if (kind === 'axon' || kind === 'pooled') {
  const axon = buildAxon(kind === 'pooled' ? { signer: axonKey, verifyThreads: 1 } : { signer: axonKey }).attach(
    ChunkSynapseDef,
    { forward },
  );
  url = await axon.listen({ host: '127.0.0.1', port: 0 });
  close = () => axon.close();
} else {
  const app = bare(kind === 'verify', axonKey.address);
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  close = () => app.close();
}
process.on('message', async (m) => {
  if (m === 'cpu') {
    const c = process.cpuUsage();
    process.send?.({ cpuUs: c.user + c.system });
  } else if (m === 'stop') {
    await close();
    process.exit(0);
  }
});
process.send?.({ port: Number(new URL(url).port), hotkey: axonKey.address });
