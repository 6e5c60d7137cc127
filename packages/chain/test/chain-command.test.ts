import { randomUUID } from 'node:crypto';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainCommand } from '../src/cli/chain-command.js';
import { LocalChain } from '../src/local-chain/index.js';
import { loadSubtensorFixtures, startupExchanges } from '../src/replay/fixtures.js';
import { ReplayProvider } from '../src/replay/replay-provider.js';
import { SubtensorChain } from '../src/subtensor/subtensor-chain.js';

const FIXTURES = new URL('../../../../shared/fixtures/subtensor', import.meta.url).pathname;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('dojo-ts chain metagraph', () => {
  beforeAll(async () => {
    await cryptoWaitReady();
  });

  it('prints the recorded finney netuid-1 metagraph as a table sorted by stake', async () => {
    const fx = loadSubtensorFixtures(FIXTURES);
    let out = '';
    const cmd = chainCommand({
      openChain: async () =>
        SubtensorChain.connect({ provider: new ReplayProvider(fx.scenarios.metagraph ?? {}, startupExchanges(fx)) }),
      write: (t) => {
        out += t;
      },
    });
    await cmd.parseAsync(['metagraph', '--netuid', '1', '--sort', 'stake', '--limit', '5'], { from: 'user' });
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^netuid 1 {2}block 6852690 {2}neurons 1024 {2}validators 12/);
    expect(out).toContain('HOTKEY');
    const dataRows = lines.filter((l) => /^│ \d+/.test(l));
    expect(dataRows).toHaveLength(5);
    // uid 630 holds the largest total stake in the recording (645 173.46).
    expect(dataRows[0]).toMatch(/^│ 630 .*645173\.46/);
  });

  it('rejects a bad --netuid before connecting', async () => {
    let opened = false;
    const cmd = chainCommand({
      openChain: async () => {
        opened = true;
        throw new Error('should not open');
      },
      write: () => undefined,
    });
    cmd.exitOverride().configureOutput({ writeErr: () => undefined });
    for (const sub of cmd.commands) sub.exitOverride().configureOutput({ writeErr: () => undefined });
    await expect(cmd.parseAsync(['metagraph', '--netuid', 'abc'], { from: 'user' })).rejects.toThrow(/netuid/);
    expect(opened).toBe(false);
  });

  describe('on LocalChain (real Redis)', () => {
    const namespace = `test:chain:${randomUUID()}:`;
    let admin: LocalChain;
    beforeAll(async () => {
      admin = await LocalChain.connect({ redis: REDIS_URL, namespace, produceBlocks: false });
      await admin.createSubnet(3);
      const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
      await admin.registerNeuron(3, { hotkey: keyring.addFromUri('//CliVali').address, stakeTao: 1000 });
      await admin.registerNeuron(3, { hotkey: keyring.addFromUri('//CliMiner').address, stakeTao: 1 });
    });
    afterAll(async () => {
      await admin.reset();
      await admin.close();
    });

    it('--subtensor.network local reads the LocalChain network', async () => {
      let out = '';
      const cmd = chainCommand({ write: (t) => (out += t) });
      await cmd.parseAsync(
        [
          'metagraph',
          '--netuid',
          '3',
          '--subtensor.network',
          'local',
          '--localchain.redis_url',
          REDIS_URL,
          '--localchain.namespace',
          namespace,
        ],
        { from: 'user' },
      );
      expect(out).toMatch(/^netuid 3 {2}block \d+ {2}neurons 2 /);
      expect(out).toContain('1000.00');
    });
  });
});
