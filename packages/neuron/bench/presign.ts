import { ChunkSynapseDef, emptyTerminalInfo, encodeHeaders, PROTOCOL_VERSION, stringifyJson } from '@dojo-ts/protocol';
import { v1 as uuidv1 } from 'uuid';
import { signSynapse, wallClockNs } from '../src/dendrite/sign.js';
import type { Signer } from '../src/signer.js';

export interface PresignedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

const DOCUMENT =
  'Bittensor validators send chunking requests to miners. Each miner splits the document into chunks and returns ' +
  'them; the validator scores the chunks. This sentence makes the body a realistic couple of hundred bytes.';

/**
 * Pre-signs `perConnection` chunkSynapse requests for each of `connections` dendrite uuids, with strictly increasing
 * nonces per uuid, so the load generator spends no CPU on signing while it measures.
 */
export function presign(
  signer: Signer,
  axonHotkey: string,
  connections: number,
  perConnection: number,
): PresignedRequest[][] {
  const out: PresignedRequest[][] = [];
  for (let c = 0; c < connections; c++) {
    const uuid = uuidv1();
    const start = wallClockNs();
    const list: PresignedRequest[] = [];
    for (let k = 0; k < perConnection; k++) {
      const s = ChunkSynapseDef.create({ document: DOCUMENT, chunk_size: 200 });
      s.timeout = 60;
      s.dendrite = {
        ...emptyTerminalInfo(),
        ip: '127.0.0.1',
        version: PROTOCOL_VERSION,
        nonce: start + BigInt(k),
        uuid,
        hotkey: signer.address,
      };
      s.axon = { ...emptyTerminalInfo(), ip: '127.0.0.1', port: 0, hotkey: axonHotkey };
      signSynapse(signer, ChunkSynapseDef, s);
      list.push({
        path: '/chunkSynapse',
        headers: { ...encodeHeaders(ChunkSynapseDef, s), 'content-type': 'application/json' },
        body: stringifyJson(s),
      });
    }
    out.push(list);
  }
  return out;
}
