import { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidAxonError, NotRegisteredError, ServeAxonFailedError } from '../src/errors.js';
import { loadSubtensorFixtures, startupExchanges } from '../src/replay/fixtures.js';
import { serveAxonWithRetry } from '../src/subtensor/serve-with-retry.js';
import { subtensorSignedExtensions } from '../src/subtensor/signed-extensions.js';
import { SubtensorChain } from '../src/subtensor/subtensor-chain.js';
import { revealRound } from '../src/timelock/commit.js';
import { parseTimelockCiphertext } from '../src/timelock/timelock.js';
import { convertWeightsAndUidsForEmit, processWeightsForNetuid } from '../src/weights/process-weights.js';
import { eventRecord, FakeSubtensor, HEAD_NUMBER, INCLUDED_HASH } from './helpers/fake-subtensor.js';

const FIXTURES = new URL('../../../../shared/fixtures/subtensor', import.meta.url).pathname;
const NOW = 1_750_000_000;

describe('SubtensorChain submission path against a local fake node (real metadata, real client)', () => {
  let node: FakeSubtensor;
  let chain: SubtensorChain;
  let api: ApiPromise;
  let hotkey: KeyringPair;
  let other: KeyringPair;

  const set = (name: string, args: unknown[], type: string, value: unknown) => {
    const q = api.query.subtensorModule?.[name];
    if (!q) throw new Error(`no storage ${name}`);
    node.storage.set(q.key(...args), u8aToHex(api.createType(type, value).toU8a()));
  };
  const hyper = (cr: boolean) => {
    set('tempo', [1], 'u16', 360);
    set('weightsSetRateLimit', [1], 'u64', 100);
    set('weightsVersionKey', [1], 'u64', 1000);
    set('minAllowedWeights', [1], 'u16', 1);
    set('maxWeightsLimit', [1], 'u16', 65535);
    set('commitRevealWeightsEnabled', [1], 'bool', cr);
    set('revealPeriodEpochs', [1], 'u64', 1);
    set('servingRateLimit', [1], 'u64', 50);
    set('immunityPeriod', [1], 'u16', 5000);
    set('activityCutoff', [1], 'u16', 5000);
    set('maxAllowedUids', [1], 'u16', 256);
  };

  beforeAll(async () => {
    await cryptoWaitReady();
    const fx = loadSubtensorFixtures(FIXTURES);
    node = new FakeSubtensor(fx.scenarios.metagraph ?? {}, startupExchanges(fx));
    api = await ApiPromise.create({
      provider: node,
      signedExtensions: subtensorSignedExtensions(fx.metadataV14Hex),
      noInitWarn: true,
    });
    node.api = api;
    chain = new SubtensorChain(api, { now: () => NOW });
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    hotkey = keyring.addFromUri('//DojoValidator');
    other = keyring.addFromUri('//Nobody');
  });
  afterAll(async () => {
    await chain.close();
  });
  beforeEach(() => {
    node.storage.clear();
    node.submitted.length = 0;
    node.onSubmit = (ext) => ({
      kind: 'include',
      events: (a) => [eventRecord(a, 'system', 'ExtrinsicSuccess', [{}])],
      finalize: ext.method.method === 'serveAxon',
    });
    hyper(false);
    set('uids', [1, hotkey.address], 'u16', 1); // OptionQuery: storage holds the bare value
    set('lastUpdate', [1], 'Vec<u64>', [0, 0, 0, 0]);
  });

  it('reads hyperparameters from storage', async () => {
    expect(await chain.hyperparams(1)).toEqual({
      tempo: 360,
      weightsRateLimit: 100,
      weightsVersionKey: 1000,
      minAllowedWeights: 1,
      maxWeightsLimit: 65535,
      commitRevealEnabled: false,
      revealPeriodEpochs: 1,
      servingRateLimit: 50,
      immunityPeriod: 5000,
      activityCutoff: 5000,
      maxAllowedUids: 256,
    });
    expect(await chain.uidOf(1, hotkey.address)).toBe(1);
    expect(await chain.uidOf(1, other.address)).toBeNull();
    expect(await chain.isRegistered(1, other.address)).toBe(false);
  });

  it('emits set_weights when commit-reveal is off, with the processed u16 vector, and reports inclusion', async () => {
    const weights = [0.1, 0.5, 0.25, 0.15];
    const res = await chain.emitWeights(hotkey, 1, [0, 1, 2, 3], weights, 1020);
    expect(res).toMatchObject({ ok: true, blockHash: INCLUDED_HASH });
    expect(res.events.map((e) => `${e.section}.${e.method}`)).toEqual(['system.ExtrinsicSuccess']);
    expect(node.submitted).toHaveLength(1);
    const ext = node.submitted[0];
    if (!ext) return;
    expect(ext.method.method).toBe('setWeights');
    const p = processWeightsForNetuid([0, 1, 2, 3], weights, 4, 1, 1);
    const e = convertWeightsAndUidsForEmit(p.uids, p.weights);
    expect(ext.method.toJSON()).toMatchObject({
      args: { netuid: 1, dests: e.uids, weights: e.weights, version_key: 1020 },
    });
    expect(ext.signer.toString()).toBe(hotkey.address);
    expect(ext.era.asMortalEra.period.toNumber()).toBe(64);
    expect(ext.tip.toNumber()).toBe(0);
    expect(ext.nonce.toNumber()).toBe(5);
  });

  it('emits commit_timelocked_weights (v4) when commit-reveal is on', async () => {
    hyper(true);
    const res = await chain.emitWeights(hotkey, 1, [0, 1, 2, 3], [1, 0, 0, 3], 1020);
    expect(res.ok).toBe(true);
    const ext = node.submitted[0];
    expect(ext?.method.method).toBe('commitTimelockedWeights');
    const args = ext?.method.args ?? [];
    expect(args[0]?.toString()).toBe('1');
    const commit = (args[1] as unknown as { toU8a(bare: boolean): Uint8Array }).toU8a(true);
    expect(parseTimelockCiphertext(commit).cipherSuite).toBe('AES_GCM_');
    // The commit header is long enough to contain the payload (hotkey 32 + vectors + version key) plus the GCM tag.
    expect(parseTimelockCiphertext(commit).ciphertext.length).toBe(1 + 32 + 1 + 4 + 1 + 4 + 8 + 16);
    const round = revealRound({
      currentBlock: HEAD_NUMBER,
      tempo: 360,
      netuid: 1,
      revealPeriodEpochs: 1,
      nowUnix: NOW,
    });
    expect(args[2]?.toString()).toBe(String(round));
    expect(args[3]?.toString()).toBe('4');
    expect(decodeAddress(ext?.signer.toString() ?? '')).toEqual(hotkey.publicKey);
  });

  it('waits for the next window instead of submitting inside the weights rate limit', async () => {
    set('lastUpdate', [1], 'Vec<u64>', [0, HEAD_NUMBER - 10, 0, 0]);
    const res = await chain.emitWeights(hotkey, 1, [0, 1], [1, 1], 1020);
    expect(res).toMatchObject({ ok: false, error: { kind: 'pool', code: 6 } });
    expect(node.submitted).toHaveLength(0);
  });

  it('maps a pool rejection (1010 Custom error: 6) to the pool channel', async () => {
    node.onSubmit = () => ({ kind: 'reject', message: '1010: Invalid Transaction: Custom error: 6' });
    const res = await chain.emitWeights(hotkey, 1, [0, 1], [1, 1], 1020);
    expect(res).toMatchObject({ ok: false, events: [], error: { kind: 'pool', code: 6 } });
  });

  it('maps ExtrinsicFailed to the dispatch channel with the pallet error name', async () => {
    node.onSubmit = () => ({
      kind: 'include',
      events: (a) => {
        const pallet = a.registry.metadata.pallets.find((p) => p.name.toString() === 'SubtensorModule');
        const variants = a.registry.lookup.getSiType(pallet?.errors.unwrap().type ?? 0).def.asVariant.variants;
        const idx = variants.find((v) => v.name.toString() === 'WeightVecLengthIsLow')?.index.toNumber() ?? 0;
        return [
          eventRecord(a, 'system', 'ExtrinsicFailed', [
            { Module: { index: pallet?.index.toNumber(), error: [idx, 0, 0, 0] } },
            {},
          ]),
        ];
      },
    });
    const res = await chain.emitWeights(hotkey, 1, [0, 1], [1, 1], 1020);
    expect(res.ok).toBe(false);
    expect(res.error).toMatchObject({ kind: 'dispatch', pallet: 'subtensorModule', name: 'WeightVecLengthIsLow' });
  });

  it('refuses to emit for an unregistered hotkey', async () => {
    await expect(chain.emitWeights(other, 1, [0], [1], 1)).rejects.toBeInstanceOf(NotRegisteredError);
  });

  it('serve_axon: skips when unchanged, submits and waits for finalisation when changed', async () => {
    set('owner', [hotkey.address], 'AccountId32', other.address);
    set(
      'axons',
      [1, hotkey.address],
      '(u64, u32, u128, u16, u8, u8, u8, u8)',
      [6_800_000, 1020, 16909060, 8091, 4, 4, 0, 0],
    );
    const same = await chain.serveAxon(hotkey, 1, { ip: '1.2.3.4', port: 8091, version: 1020 });
    expect(same).toEqual({ ok: true, events: [], skipped: 'unchanged' });
    expect(node.submitted).toHaveLength(0);
    expect(await chain.axonInfo(1, hotkey.address)).toMatchObject({
      ip: '1.2.3.4',
      port: 8091,
      coldkey: other.address,
    });
    const moved = await chain.serveAxon(hotkey, 1, { ip: '5.6.7.8', port: 8092, version: 1020 });
    expect(moved).toMatchObject({ ok: true, blockHash: INCLUDED_HASH });
    expect(node.submitted[0]?.method.toJSON()).toMatchObject({
      args: { netuid: 1, version: 1020, ip: 84281096, port: 8092, ip_type: 4, protocol: 4 },
    });
    await expect(chain.serveAxon(hotkey, 1, { ip: '127.0.0.1', port: 8091, version: 1 })).rejects.toThrow(
      /127\.0\.0\.1/,
    );
    await expect(chain.serveAxon(other, 1, { ip: '5.6.7.8', port: 8091, version: 1 })).rejects.toBeInstanceOf(
      NotRegisteredError,
    );
  });

  it('serveAxonWithRetry backs off 6 s, 12 s (±1 s jitter) and succeeds on the third attempt', async () => {
    set('owner', [hotkey.address], 'AccountId32', other.address);
    let calls = 0;
    node.onSubmit = () =>
      ++calls < 3
        ? { kind: 'reject', message: '1010: Invalid Transaction: Custom error: 12' }
        : { kind: 'include', events: (a) => [eventRecord(a, 'system', 'ExtrinsicSuccess', [{}])], finalize: true };
    const delays: number[] = [];
    const res = await serveAxonWithRetry(
      chain,
      hotkey,
      1,
      { ip: '5.6.7.8', port: 8092, version: 1 },
      {
        random: () => 0.75,
        sleep: async (ms) => {
          delays.push(ms);
        },
      },
    );
    expect(res.ok).toBe(true);
    expect(delays).toEqual([6500, 12500]);
    node.onSubmit = () => ({ kind: 'reject', message: '1010: Invalid Transaction: Custom error: 12' });
    await expect(
      serveAxonWithRetry(
        chain,
        hotkey,
        1,
        { ip: '5.6.7.8', port: 8092, version: 1 },
        { attempts: 2, sleep: async () => {} },
      ),
    ).rejects.toBeInstanceOf(ServeAxonFailedError);
    await expect(
      serveAxonWithRetry(chain, hotkey, 1, { ip: '127.0.0.1', port: 8092, version: 1 }, { sleep: async () => {} }),
    ).rejects.toBeInstanceOf(InvalidAxonError);
  });

  it('onNewBlock delivers heads from the subscription', async () => {
    const blocks: number[] = [];
    const unsub = await chain.onNewBlock((b) => blocks.push(b));
    await new Promise((r) => setTimeout(r, 20));
    unsub();
    expect(blocks).toEqual([HEAD_NUMBER]);
  });
});
