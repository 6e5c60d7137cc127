/**
 * Standalone LocalChain block producer (a process pm2 can run):
 *   node --conditions=source --import tsx packages/chain/src/local-chain/producer-main.ts \
 *     --redis.url redis://127.0.0.1:6379 --block_ms 1000 [--localchain.genesis genesis.yaml] [--namespace lc:local:]
 * Several copies may run: one holds the producer lease, the others take over when it stops.
 */
import { Command } from 'commander';
import { applyGenesis, readGenesis } from './genesis.js';
import { LocalChain } from './local-chain.js';

const program = new Command('localchain-producer')
  .option('--redis.url <url>', 'Redis URL', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
  .option('--block_ms <ms>', 'block time in ms (≥ 100; the first process to create the network fixes it)')
  .option('--namespace <prefix>', 'Redis key prefix of the network (default lc:<chain_id>: or lc:local:)')
  .option('--localchain.genesis <file>', 'genesis YAML/JSON: subnets, hyperparameters, neurons')
  .parse();
const opts = program.opts<Record<string, string | undefined>>();
const genesis = opts['localchain.genesis'] ? await readGenesis(opts['localchain.genesis']) : undefined;
const blockMs = Number(opts.block_ms ?? genesis?.block_ms ?? 12_000);
const namespace = opts.namespace ?? `lc:${genesis?.chain_id ?? 'local'}:`;
const chain = await LocalChain.connect({
  redis: opts['redis.url'],
  namespace,
  blockMs,
  beaconSeedHex: genesis?.beacon_seed,
  onError: (err) => console.error(`[localchain] tick failed: ${(err as Error).message}`),
});
if (genesis) await applyGenesis(chain, genesis);
console.log(`[localchain] ${namespace} block_ms=${chain.blockMs}; competing for the producer lease`);
let last = 0;
const unsubscribe = await chain.onNewBlock((block) => {
  if (block - last >= 10 || last === 0) {
    last = block;
    console.log(`[localchain] block ${block}`);
  }
});
const stop = async () => {
  unsubscribe();
  await chain.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
