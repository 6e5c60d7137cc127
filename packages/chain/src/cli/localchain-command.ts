import { Command, InvalidArgumentError } from 'commander';
import { LocalChain } from '../local-chain/local-chain.js';
import { LOCAL_SUBNET_DEFAULTS, type LocalSubnetParams } from '../local-chain/params.js';
import { loadColdkeyPub, loadHotkeyAddress } from '../wallet/load-wallet.js';

interface CommonOpts {
  'localchain.redis_url'?: string;
  'localchain.namespace'?: string;
}

function withNetwork(cmd: Command): Command {
  return cmd
    .option('--localchain.redis_url <url>', 'Redis of the network (default $REDIS_URL or redis://127.0.0.1:6379)')
    .option('--localchain.namespace <prefix>', 'key prefix of the network', 'lc:local:');
}

function netuidArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer 0..65535');
  return n;
}

const camel = (s: string) => s.replace(/[_-]([a-z])/g, (_, c: string) => c.toUpperCase());

/** Parses repeated `--set name=value` into typed subnet parameters (snake_case or camelCase names). */
function collectParam(entry: string, acc: Partial<LocalSubnetParams>): Partial<LocalSubnetParams> {
  const eq = entry.indexOf('=');
  if (eq < 1) throw new InvalidArgumentError(`expected name=value, got ${entry}`);
  const name = camel(entry.slice(0, eq)) as keyof LocalSubnetParams;
  const raw = entry.slice(eq + 1);
  const def = LOCAL_SUBNET_DEFAULTS[name];
  if (def === undefined) throw new InvalidArgumentError(`unknown hyperparameter ${entry.slice(0, eq)}`);
  let value: number | boolean | string = raw;
  if (typeof def === 'boolean') value = ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase());
  else if (typeof def === 'number') {
    value = Number(raw);
    if (!Number.isFinite(value)) throw new InvalidArgumentError(`${name} must be a number`);
  }
  return { ...acc, [name]: value };
}

/**
 * The `dojo-ts localchain` admin group for a LocalChain network in Redis: `create-subnet`, `register`, `status`.
 * Never produces blocks (run `producer-main.ts` for that).
 * @param deps - `write` to capture output, `env` for `REDIS_URL`.
 * @returns the commander command.
 */
export function localchainCommand(deps: { write?: (text: string) => void; env?: NodeJS.ProcessEnv } = {}): Command {
  const write = deps.write ?? ((t: string) => process.stdout.write(t));
  const env = deps.env ?? process.env;
  const open = (o: CommonOpts) =>
    LocalChain.connect({
      redis: o['localchain.redis_url'] ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      namespace: o['localchain.namespace'] ?? 'lc:local:',
      produceBlocks: false,
    });
  const group = new Command('localchain').description('administer a LocalChain development network in Redis');

  withNetwork(group.command('create-subnet').description('create a subnet (no-op when it exists)'))
    .requiredOption('--netuid <n>', 'subnet id', netuidArg)
    .option(
      '--set <name=value>',
      'hyperparameter, repeatable (e.g. --set tempo=10 --set commit_reveal_enabled=true)',
      collectParam,
      {},
    )
    .action(async (o: CommonOpts & { netuid: number; set: Partial<LocalSubnetParams> }) => {
      const chain = await open(o);
      try {
        const created = await chain.createSubnet(o.netuid, o.set);
        write(`subnet ${o.netuid} ${created ? 'created' : 'already exists (unchanged)'}\n`);
      } finally {
        await chain.close();
      }
    });

  withNetwork(group.command('register').description('register a hotkey (from a wallet or --hotkey) with stake'))
    .requiredOption('--netuid <n>', 'subnet id', netuidArg)
    .option('--hotkey <ss58>', 'hotkey address (instead of a wallet)')
    .option('--wallet.name <name>', 'wallet name', 'default')
    .option('--wallet.hotkey <name>', 'hotkey name', 'default')
    .option('--wallet.path <dir>', 'wallets root (default $BT_WALLET_PATH or ~/.bittensor/wallets)')
    .option(
      '--stake <tao>',
      'stake in TAO',
      (v) => {
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a non-negative number');
        return n;
      },
      0,
    )
    .option('--validator-permit', 'pin a validator permit')
    .option('--no-validator-permit', 'pin no validator permit (default: by stake at each epoch)')
    .action(async (o: CommonOpts & Record<string, unknown>) => {
      const loc = {
        name: o['wallet.name'] as string,
        hotkey: o['wallet.hotkey'] as string,
        walletPath: o['wallet.path'] as string | undefined,
      };
      const hotkey = (o.hotkey as string | undefined) ?? (await loadHotkeyAddress(loc));
      const coldkey = o.hotkey ? undefined : await loadColdkeyPub(loc).catch(() => undefined);
      const chain = await open(o);
      try {
        const r = await chain.registerNeuron(o.netuid as number, {
          hotkey,
          coldkey,
          stakeTao: o.stake as number,
          validatorPermit: o.validatorPermit as boolean | undefined,
        });
        write(`${hotkey} uid ${r.uid} on subnet ${o.netuid}${r.created ? '' : ' (already registered)'}\n`);
      } finally {
        await chain.close();
      }
    });

  withNetwork(group.command('status').description('block, producer and subnets of the network')).action(
    async (o: CommonOpts) => {
      const chain = await open(o);
      try {
        const block = await chain.currentBlock();
        const producer = await chain.redis.exists(`${chain.namespace}producer`);
        write(
          `${chain.namespace} block ${block}, block_ms ${chain.blockMs}, producer ${producer ? 'running' : 'none'}\n`,
        );
        const subnets = (await chain.redis.smembers(`${chain.namespace}subnets`)).map(Number).sort((a, b) => a - b);
        for (const netuid of subnets) {
          const [h, mg] = await Promise.all([chain.hyperparams(netuid), chain.metagraph(netuid)]);
          const validators = mg.validatorPermit.filter(Boolean).length;
          write(
            `  subnet ${netuid}: n=${mg.n} validators=${validators} tempo=${h.tempo} weights_rate_limit=${h.weightsRateLimit} commit_reveal=${h.commitRevealEnabled}\n`,
          );
        }
      } finally {
        await chain.close();
      }
    },
  );
  return group;
}
