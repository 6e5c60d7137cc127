// Starts an axon on 127.0.0.1 with a throwaway hotkey and queries it over real HTTP with a dendrite.

import { ChunkSynapseDef, SynapseDef } from '@dojo-ts/protocol';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { buildAxon, Dendrite } from '../src/index.js';

await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const minerKey = keyring.addFromMnemonic(mnemonicGenerate());
const validatorKey = keyring.addFromMnemonic(mnemonicGenerate());

const axon = buildAxon({ signer: minerKey, externalIp: '127.0.0.1' }).attach(ChunkSynapseDef, {
  forward: (s) => ({ ...s, chunks: s.document.split(/(?<=\.)\s+/) }),
});
const url = await axon.listen({ host: '127.0.0.1', port: 0 });
const target = { ip: '127.0.0.1', port: Number(new URL(url).port), hotkey: axon.hotkey };
const dendrite = new Dendrite(validatorKey);

const [ping] = await dendrite.query([target], SynapseDef.create({}), { timeoutS: 5 });
console.log(`/Synapse      -> ${ping?.dendrite.status_code} ${ping?.dendrite.status_message}`);
const chunked = await dendrite.call(target, ChunkSynapseDef.create({ document: 'Hello world. Bye now.' }), {
  timeoutS: 5,
});
console.log(`/chunkSynapse -> ${chunked.dendrite.status_code} chunks=${JSON.stringify(chunked.chunks)}`);
console.log(`axon ${axon.hotkey} at ${url}, ${(chunked.dendrite.process_time ?? 0).toFixed(3)} s round trip`);

await dendrite.close();
await axon.close();
process.exit(ping?.dendrite.status_code === 200 && chunked.dendrite.status_code === 200 ? 0 : 1);
