/**
 * A separate OS process writing to a LocalChain network, for the concurrency and crash-safety tests.
 * Usage: node --conditions=source --import tsx test/local-chain-worker.ts <redisUrl> <namespace> <mode> <tag> [from] [to]
 * mode `register`: after the parent sets `<ns>go`, registers miners from..to-1 (shared names, so two workers overlap), 5 own validators, then sets
 * weights 10 times per validator; prints `done`. mode `churn`: registers, restakes and sets weights forever, printing
 * `op <n>` after each call, until killed.
 */
import { Keyring } from '@polkadot/keyring';
import { blake2AsU8a, cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';
import { LocalChain } from '../src/local-chain/local-chain.js';

const [redisUrl, namespace, mode, tag, fromArg, toArg] = process.argv.slice(2);
await cryptoWaitReady();
const chain = await LocalChain.connect({ redis: redisUrl, namespace, produceBlocks: false, blockMs: 100 });
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const miner = (i: number) => encodeAddress(blake2AsU8a(`miner-${i}`), 42);

if (mode === 'register') {
  const validators = Array.from({ length: 5 }, (_, j) => keyring.addFromUri(`//${tag}-val-${j}`));
  // Start together: report ready, then wait for the parent's go key, so both writers really run at the same time.
  process.stdout.write('ready\n');
  while ((await chain.redis.get(`${namespace}go`)) === null) await new Promise((r) => setTimeout(r, 5));
  for (let i = Number(fromArg); i < Number(toArg); i++) {
    await chain.registerNeuron(1, { hotkey: miner(i), stakeTao: 1 });
    if (i % 12 === 0) {
      const v = validators[(i / 12) % 5];
      if (v) await chain.registerNeuron(1, { hotkey: v.address, stakeTao: 100, validatorPermit: true });
    }
  }
  for (const v of validators)
    await chain.registerNeuron(1, { hotkey: v.address, stakeTao: 100, validatorPermit: true });
  for (let round = 0; round < 10; round++) {
    for (const [j, v] of validators.entries()) {
      const r = await chain.setWeights(v, 1, [round, 10 + j], [round + 1, 100], 0);
      if (!r.ok) throw new Error(`set_weights failed: ${JSON.stringify(r.error)}`);
    }
  }
  process.stdout.write('done\n');
} else if (mode === 'churn') {
  const v = keyring.addFromUri(`//${tag}-churn-val`);
  await chain.registerNeuron(1, { hotkey: v.address, stakeTao: 100, validatorPermit: true });
  for (let i = 0; ; i++) {
    await chain.registerNeuron(1, { hotkey: encodeAddress(blake2AsU8a(`${tag}-churn-${i}`), 42), stakeTao: i });
    await chain.setStake(1, v.address, { tao: 100 + i });
    await chain.setWeights(v, 1, [0, i % 4], [1, 2], 0);
    process.stdout.write(`op ${i}\n`);
  }
}
await chain.close();
