import Table from 'cli-table3';
import { Command, InvalidArgumentError } from 'commander';
import type { Chain, Metagraph } from '../chain.js';
import { resolveNetwork } from '../connect.js';
import { LocalChain } from '../local-chain/index.js';
import { SubtensorChain } from '../subtensor/subtensor-chain.js';

/** Options of the `chain metagraph` command after parsing. */
export interface MetagraphCommandOptions {
  netuid: number;
  'subtensor.network'?: string;
  'subtensor.chain_endpoint'?: string;
  'localchain.redis_url'?: string;
  'localchain.namespace'?: string;
  sort: 'uid' | 'stake' | 'incentive' | 'dividends' | 'emission';
  limit?: number;
}

/** How the command opens a chain; injectable so tests can use a replay provider. */
export type OpenChain = (opts: MetagraphCommandOptions) => Promise<Chain>;

/**
 * Opens the chain a `--subtensor.network` / `--subtensor.chain_endpoint` pair names: LocalChain (read-only, no block
 * production) for `local`, `SubtensorChain` otherwise.
 * @param opts - parsed command options.
 * @returns a connected chain; the caller closes it.
 * @throws InvalidNetworkError for unknown names; ChainConnectionError when unreachable.
 */
export const openChainFromOptions: OpenChain = async (opts) => {
  const net = resolveNetwork(opts['subtensor.network'], opts['subtensor.chain_endpoint']);
  if (net.kind === 'local') {
    return LocalChain.connect({
      redis: opts['localchain.redis_url'] ?? process.env.LOCALCHAIN_REDIS_URL ?? 'redis://127.0.0.1:6379',
      ...(opts['localchain.namespace'] ? { namespace: opts['localchain.namespace'] } : {}),
      produceBlocks: false,
    });
  }
  return SubtensorChain.connect({ chainEndpoint: net.url });
};

function shortKey(ss58: string): string {
  return ss58.length > 12 ? `${ss58.slice(0, 5)}…${ss58.slice(-5)}` : ss58;
}

/**
 * Renders a metagraph as a text table (one row per uid) with a summary line.
 * @param m - metagraph.
 * @param opts - sort key and optional row limit.
 * @returns the printable text.
 */
export function formatMetagraphTable(
  m: Metagraph,
  opts: { sort?: MetagraphCommandOptions['sort']; limit?: number } = {},
): string {
  const sortKey = opts.sort ?? 'uid';
  const order = [...m.uids];
  const by: Record<string, number[]> = {
    stake: m.S,
    incentive: m.incentive,
    dividends: m.dividends,
    emission: m.emission,
  };
  const col = by[sortKey];
  if (col) order.sort((a, b) => (col[b] ?? 0) - (col[a] ?? 0) || a - b);
  const rows = opts.limit !== undefined ? order.slice(0, opts.limit) : order;
  const table = new Table({
    head: [
      'UID',
      'HOTKEY',
      'COLDKEY',
      'STAKE',
      'INCENT',
      'CONSENS',
      'TRUST',
      'VTRUST',
      'DIVIDENDS',
      'EMISSION',
      'UPDATED',
      'VPERMIT',
      'ACTIVE',
      'AXON',
    ],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const uid of rows) {
    const axon = m.axons[uid];
    table.push([
      uid,
      shortKey(m.hotkeys[uid] ?? ''),
      shortKey(m.coldkeys[uid] ?? ''),
      (m.S[uid] ?? 0).toFixed(2),
      (m.incentive[uid] ?? 0).toFixed(5),
      (m.consensus[uid] ?? 0).toFixed(5),
      (m.trust[uid] ?? 0).toFixed(5),
      (m.validatorTrust[uid] ?? 0).toFixed(5),
      (m.dividends[uid] ?? 0).toFixed(5),
      (m.emission[uid] ?? 0).toFixed(6),
      m.blocksSinceLastUpdate(uid, m.block),
      m.validatorPermit[uid] ? '*' : '',
      m.active[uid] ? '*' : '',
      axon && axon.ip !== '0.0.0.0' ? `${axon.ip}:${axon.port}` : 'none',
    ]);
  }
  const totalStake = m.S.reduce((a, b) => a + b, 0);
  const summary =
    `netuid ${m.netuid}  block ${m.block}  neurons ${m.n}  validators ${m.validatorPermit.filter(Boolean).length}` +
    `  serving ${m.uids.filter((u) => m.isServing(u)).length}  total stake ${totalStake.toFixed(2)}` +
    (rows.length < m.n ? `  (showing ${rows.length}, sorted by ${sortKey})` : '');
  return `${summary}\n${table.toString()}\n`;
}

function parseIntArg(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer ${min}..${max}`);
    return n;
  };
}

/**
 * The `chain` command group (`dojo-ts chain metagraph --netuid N --subtensor.network local|finney|ws://…`).
 * @param deps - `openChain` to replace how the chain is opened, `write` to capture output.
 * @returns a commander `Command` to register with `program.addCommand(...)`.
 */
export function chainCommand(deps: { openChain?: OpenChain; write?: (text: string) => void } = {}): Command {
  const open = deps.openChain ?? openChainFromOptions;
  const write = deps.write ?? ((t: string) => process.stdout.write(t));
  const chain = new Command('chain').description('Read Bittensor chain state (metagraph)');
  chain
    .command('metagraph')
    .description('Print the metagraph of a subnet as a table')
    .requiredOption('--netuid <n>', 'subnet id', parseIntArg('--netuid', 0, 65535))
    .option('--subtensor.network <name>', 'finney | test | archive | local | ws(s)://URL', 'finney')
    .option('--subtensor.chain_endpoint <url>', 'explicit ws(s):// endpoint (wins over the network)')
    .option('--localchain.redis_url <url>', 'Redis of the LocalChain network (local only)')
    .option('--localchain.namespace <prefix>', 'LocalChain key prefix (local only, default lc:local:)')
    .option('--sort <key>', 'uid | stake | incentive | dividends | emission', 'uid')
    .option('--limit <n>', 'print at most n rows', parseIntArg('--limit', 1, 65535))
    .action(async (opts: MetagraphCommandOptions) => {
      if (!['uid', 'stake', 'incentive', 'dividends', 'emission'].includes(opts.sort)) {
        throw new InvalidArgumentError(`unknown --sort ${opts.sort}`);
      }
      const c = await open(opts);
      try {
        const m = await c.metagraph(opts.netuid);
        write(formatMetagraphTable(m, { sort: opts.sort, ...(opts.limit !== undefined ? { limit: opts.limit } : {}) }));
      } finally {
        await c.close();
      }
    });
  return chain;
}
