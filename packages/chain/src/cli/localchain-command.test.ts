import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalChain } from '../local-chain/local-chain.js';
import { localchainCommand } from './localchain-command.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WALLETS = join(import.meta.dirname, '../../test/wallet-fixtures/wallets');
const ns = `test:chain:${randomUUID()}:`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  const c = await LocalChain.connect({ redis, namespace: ns, produceBlocks: false });
  await c.reset();
  await c.close();
  await redis.quit();
});

async function run(args: string[]): Promise<string> {
  let out = '';
  const cmd = localchainCommand({ write: (t) => (out += t), env: { REDIS_URL } });
  for (const c of [cmd, ...cmd.commands]) c.exitOverride().configureOutput({ writeErr: () => undefined });
  await cmd.parseAsync([...args, '--localchain.namespace', ns], { from: 'user' });
  return out;
}

describe('dojo-ts localchain', () => {
  it('creates a subnet with --set hyperparameters, registers a wallet hotkey and reports status', async () => {
    expect(
      await run(['create-subnet', '--netuid', '3', '--set', 'tempo=7', '--set', 'commit_reveal_enabled=true']),
    ).toBe('subnet 3 created\n');
    expect(await run(['create-subnet', '--netuid', '3'])).toBe('subnet 3 already exists (unchanged)\n');
    const reg = await run([
      'register',
      '--netuid',
      '3',
      '--wallet.path',
      WALLETS,
      '--wallet.name',
      'fixture',
      '--stake',
      '12.5',
      '--validator-permit',
    ]);
    expect(reg).toBe('5EHgWw2Af1pnoc7f1A8bfmM97W3DAYW8xr82RfhLL9oAabAe uid 0 on subnet 3\n');
    const chain = await LocalChain.connect({ redis, namespace: ns, produceBlocks: false });
    const mg = await chain.metagraph(3);
    expect(mg.coldkeys[0]).toBe('5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV');
    expect(mg.S[0]).toBe(12.5);
    expect(mg.validatorPermit[0]).toBe(true);
    expect((await chain.hyperparams(3)).tempo).toBe(7);
    await chain.close();
    const status = await run(['status']);
    expect(status).toContain('block 0');
    expect(status).toContain('subnet 3: n=1 validators=1 tempo=7 weights_rate_limit=100 commit_reveal=true');
  });

  it('rejects unknown hyperparameters', async () => {
    await expect(run(['create-subnet', '--netuid', '4', '--set', 'bogus=1'])).rejects.toThrow(/unknown hyperparameter/);
  });
});
