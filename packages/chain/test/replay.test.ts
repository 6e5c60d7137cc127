import { readFileSync } from 'node:fs';
import { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aConcat } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metagraph } from '../src/chain.js';
import { ReplayMissError } from '../src/errors.js';
import { decodeNeuronsLite } from '../src/metagraph/decode-neurons-lite.js';
import { FINNEY_GENESIS_HASH, loadSubtensorFixtures, startupExchanges } from '../src/replay/fixtures.js';
import { ReplayProvider } from '../src/replay/replay-provider.js';
import { subtensorSignedExtensions } from '../src/subtensor/signed-extensions.js';
import { SubtensorChain } from '../src/subtensor/subtensor-chain.js';
import { txResultFromEvents } from '../src/subtensor/tx-result.js';

const FIXTURES = new URL('../../../../shared/fixtures/subtensor', import.meta.url).pathname;
const fx = loadSubtensorFixtures(FIXTURES);
// Independent parse of the same recorded bytes by test/golden/gen_neurons.py (hand-written SCALE in Python).
const golden = JSON.parse(readFileSync(new URL('./golden/neurons-netuid1.json', import.meta.url), 'utf8')) as {
  count: number;
  validatorPermits: number;
  sumLiteStakeRao: string;
  neurons: Array<Record<string, unknown> & { uid: number; axon: Record<string, unknown> }>;
};
const BLOCK_HASH = '0xdb13c066e2c63969f140164fb3bfe7a0aaa7b71407fc0fe525d68e57329ef9d0';

function newProvider(): ReplayProvider {
  const scenario = fx.scenarios.metagraph;
  if (!scenario) throw new Error('metagraph scenario missing');
  return new ReplayProvider(scenario, startupExchanges(fx));
}

describe('replay: ApiPromise over recorded finney JSON-RPC (spec 343, netuid 1, block 6852690)', () => {
  let provider: ReplayProvider;
  let chain: SubtensorChain;
  let m: Metagraph;

  beforeAll(async () => {
    await cryptoWaitReady();
    provider = newProvider();
    chain = await SubtensorChain.connect({ provider });
    m = await chain.metagraph(1);
  });
  afterAll(async () => {
    await chain.close();
  });

  it('initialises from the recorded metadata and registers the subtensor extensions (C1)', () => {
    expect(chain.api.runtimeVersion.specVersion.toNumber()).toBe(343);
    expect(chain.api.runtimeVersion.specName.toString()).toBe('node-subtensor');
    expect(chain.api.registry.signedExtensions).toContain('SubtensorTransactionExtension');
    expect(chain.api.registry.signedExtensions).toContain('DrandPriority');
    expect(chain.api.call.neuronInfoRuntimeApi?.getNeuronsLite).toBeTypeOf('function');
  });

  it('reads the netuid-1 metagraph: 1024 neurons whose fields match an independent parse of the bytes', () => {
    expect(m.netuid).toBe(1);
    expect(m.block).toBe(6852690);
    expect(m.n).toBe(golden.count);
    expect(m.n).toBe(1024);
    expect(m.uids).toEqual(Array.from({ length: 1024 }, (_, i) => i));
    expect(m.validatorPermit.filter(Boolean).length).toBe(golden.validatorPermits);
    expect(m.neurons.reduce((s, x) => s + x.stakeRao, 0n).toString()).toBe(golden.sumLiteStakeRao);
    for (const g of golden.neurons) {
      const x = m.neurons[g.uid];
      expect(x).toBeDefined();
      if (!x) continue;
      expect(x.hotkey).toBe(g.hotkey);
      expect(x.coldkey).toBe(g.coldkey);
      expect(m.hotkeys[g.uid]).toBe(g.hotkey);
      expect(m.uidOf(g.hotkey as string)).not.toBeNull();
      expect(x.netuid).toBe(1);
      expect(x.active).toBe(g.active);
      const { hotkey: _h, coldkey: _c, ...axon } = x.axon;
      expect(axon).toEqual(g.axon);
      expect(m.isServing(g.uid)).toBe(g.axon.ip !== '0.0.0.0');
      expect(x.stakeRao.toString()).toBe(g.stakeRao);
      expect(x.emissionRao.toString()).toBe(g.emissionRao);
      expect(x.incentive).toBe((g.incentiveRaw as number) / 65535);
      expect(m.incentive[g.uid]).toBe((g.incentiveRaw as number) / 65535);
      expect(x.consensus).toBe((g.consensusRaw as number) / 65535);
      expect(x.trust).toBe((g.trustRaw as number) / 65535);
      expect(x.validatorTrust).toBe((g.validatorTrustRaw as number) / 65535);
      expect(x.dividends).toBe((g.dividendsRaw as number) / 65535);
      expect(x.lastUpdate).toBe(g.lastUpdate);
      expect(m.blocksSinceLastUpdate(g.uid, 6852690)).toBe(6852690 - (g.lastUpdate as number));
      expect(x.validatorPermit).toBe(g.validatorPermit);
      expect(x.pruningScore).toBe(g.pruningScore);
      // S comes from SubnetInfoRuntimeApi.get_subnet_state total_stake (§5.1).
      expect(m.stakeRao[g.uid]?.toString()).toBe(g.totalStakeRao);
      expect(m.S[g.uid]).toBe(Number(g.totalStakeRao) / 1e9);
      expect(m.taoStake[g.uid]).toBe(Number(g.taoStakeRao) / 1e9);
    }
    // Some neuron in the golden set has non-zero incentive and a public axon (the test is not vacuous).
    expect(golden.neurons.some((g) => (g.incentiveRaw as number) > 0)).toBe(true);
    expect(provider.misses).toEqual([]);
  });

  it('decodeNeuronsLite on the raw state_call bytes equals the runtime-API path', async () => {
    const raw = await provider.send<string>('state_call', [
      'NeuronInfoRuntimeApi_get_neurons_lite',
      '0x0100',
      BLOCK_HASH,
    ]);
    const direct = decodeNeuronsLite(Buffer.from(raw.slice(2), 'hex'));
    expect(direct).toEqual(m.neurons);
  });

  it('reads the stake vectors of get_subnet_state like the full typed decode does, for all 1024 uids', async () => {
    const at = await chain.api.at(BLOCK_HASH);
    const typed = (await at.call.subnetInfoRuntimeApi?.getSubnetState?.(1)) as unknown as {
      unwrap(): { get(n: string): Array<{ toBigInt(): bigint }> };
    };
    const s = typed.unwrap();
    expect(m.stakeRao).toEqual(s.get('totalStake').map((x) => x.toBigInt()));
    expect(m.taoStake).toEqual(s.get('taoStake').map((x) => Number(x.toBigInt()) / 1e9));
    expect(m.alphaStake).toEqual(s.get('alphaStake').map((x) => Number(x.toBigInt()) / 1e9));
  });

  it('reports the current block and polls new heads when the provider has no subscriptions', async () => {
    expect(await chain.currentBlock()).toBe(6852690);
    const seen: number[] = [];
    const unsub = await chain.onNewBlock((b) => seen.push(b));
    await new Promise((r) => setTimeout(r, 50));
    unsub();
    expect(seen).toEqual([6852690]);
  });

  it('fails a request that is not in the recording instead of reaching the network', async () => {
    await expect(chain.metagraph(2)).rejects.toBeInstanceOf(ReplayMissError);
  });

  it('a signed set_weights extrinsic decodes back with its tip, nonce, era, call and a valid signature', async () => {
    const api = chain.api;
    const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//DojoReplayHotkey');
    const tx = api.tx.subtensorModule?.setWeights?.(1, [0, 5, 1023], [65535, 100, 32768], 1020);
    expect(tx).toBeDefined();
    if (!tx) return;
    const era = api.createType('ExtrinsicEra', { current: 6852690, period: 64 });
    tx.sign(pair, {
      blockHash: BLOCK_HASH,
      genesisHash: FINNEY_GENESIS_HASH,
      era,
      nonce: 7,
      tip: 1234,
      runtimeVersion: api.runtimeVersion,
      signedExtensions: api.registry.signedExtensions,
      version: api.extrinsicVersion,
    });
    const decoded = api.createType('Extrinsic', tx.toHex());
    expect(decoded.isSigned).toBe(true);
    expect(decoded.signer.toString()).toBe(pair.address);
    expect(decoded.tip.toNumber()).toBe(1234);
    expect(decoded.nonce.toNumber()).toBe(7);
    expect(decoded.era.asMortalEra.period.toNumber()).toBe(64);
    expect(decoded.method.section).toBe('subtensorModule');
    expect(decoded.method.method).toBe('setWeights');
    expect(decoded.method.toJSON()).toMatchObject({
      args: { netuid: 1, dests: [0, 5, 1023], weights: [65535, 100, 32768], version_key: 1020 },
    });
    // call index (7, 0) as in spec §7.1
    expect(Array.from(decoded.method.callIndex)).toEqual([7, 0]);
    const payload = api.createType(
      'ExtrinsicPayload',
      {
        method: decoded.method.toHex(),
        era,
        nonce: 7,
        tip: 1234,
        specVersion: api.runtimeVersion.specVersion,
        transactionVersion: api.runtimeVersion.transactionVersion,
        genesisHash: FINNEY_GENESIS_HASH,
        blockHash: BLOCK_HASH,
        mode: 0,
        metadataHash: null,
      },
      { version: api.extrinsicVersion },
    );
    let message = payload.toU8a({ method: true });
    if (message.length > 256) message = blake2AsU8a(message);
    expect(signatureVerify(message, decoded.signature.toU8a(), pair.address).isValid).toBe(true);
  });

  it('maps an ExtrinsicFailed event to the dispatch error name from metadata', () => {
    const api = chain.api;
    const pallet = api.registry.metadata.pallets.find((p) => p.name.toString() === 'SubtensorModule');
    expect(pallet).toBeDefined();
    const errors = api.registry.lookup.getSiType(pallet?.errors.unwrap().type ?? 0).def.asVariant.variants;
    const tooFast = errors.find((v) => v.name.toString() === 'SettingWeightsTooFast');
    expect(tooFast).toBeDefined();
    const index = pallet?.index.toNumber() ?? 0;
    const failed = api.events.system.ExtrinsicFailed;
    const systemIndex =
      api.registry.metadata.pallets.find((p) => p.name.toString() === 'System')?.index.toNumber() ?? 0;
    const [errType, infoType] = failed.meta.args.map((a) => a.toString());
    const dispatchError = api.createType(errType ?? 'DispatchError', {
      Module: { index, error: [tooFast?.index.toNumber() ?? 0, 0, 0, 0] },
    });
    const info = api.createType(infoType ?? 'DispatchInfo', {});
    const event = api.createType(
      'Event',
      u8aConcat([systemIndex, failed.meta.index.toNumber()], dispatchError.toU8a(), info.toU8a()),
    );
    const record = api.createType('EventRecord', { phase: { ApplyExtrinsic: 1 }, event, topics: [] });
    const r = txResultFromEvents(api, [record], BLOCK_HASH);
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ kind: 'dispatch', pallet: 'subtensorModule', name: 'SettingWeightsTooFast' });
  });
});

describe('ChargeTransactionPaymentWrapper registration (§4.2)', () => {
  function metadataWith(renames: Record<string, string>, extra?: { identifier: string; type: number }): string {
    const reg = new TypeRegistry();
    const md = new Metadata(reg, fx.metadataV14Hex);
    const json = md.asV14.toJSON() as { extrinsic: { signedExtensions: Array<Record<string, unknown>> } };
    for (const e of json.extrinsic.signedExtensions) {
      const id = e.identifier as string;
      if (renames[id]) e.identifier = renames[id];
    }
    if (extra) json.extrinsic.signedExtensions.push({ ...extra, additionalSigned: 43 });
    return new Metadata(reg, { magicNumber: 0x6174656d, metadata: { v14: json } } as never).toHex();
  }

  it('registers the wrapper tip as Compact<Balance> so the tip is encoded and decodes back', async () => {
    const hex = metadataWith({ ChargeTransactionPayment: 'ChargeTransactionPaymentWrapper' });
    const ext = subtensorSignedExtensions(hex);
    expect(ext.ChargeTransactionPaymentWrapper).toEqual({ extrinsic: { tip: 'Compact<Balance>' }, payload: {} });
    const scenario = fx.scenarios.metagraph ?? {};
    const startup = startupExchanges(fx);
    // Serve only state_getMetadata (the modified V14); the V15 runtime call is left out on purpose.
    const provider = new ReplayProvider(scenario, {
      ...startup,
      state_call: {},
      state_getMetadata: { '[]': { result: hex } },
    });
    const api = await ApiPromise.create({ provider, signedExtensions: ext, noInitWarn: true, throwOnConnect: true });
    try {
      expect(api.registry.signedExtensions).toContain('ChargeTransactionPaymentWrapper');
      const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//DojoWrapper');
      const tx = api.tx.subtensorModule?.setWeights?.(1, [1], [65535], 0);
      if (!tx) throw new Error('no setWeights');
      tx.sign(pair, {
        blockHash: BLOCK_HASH,
        genesisHash: FINNEY_GENESIS_HASH,
        era: api.createType('ExtrinsicEra', { current: 6852690, period: 64 }),
        nonce: 3,
        tip: 77_000,
        runtimeVersion: api.runtimeVersion,
        signedExtensions: api.registry.signedExtensions,
        version: api.extrinsicVersion,
      });
      const decoded = api.createType('Extrinsic', tx.toHex());
      expect(decoded.tip.toNumber()).toBe(77_000);
      expect(decoded.nonce.toNumber()).toBe(3);
      // Without the registration @polkadot/types treats the wrapper as no-effect and drops the tip (§4.1).
      const bare = await ApiPromise.create({ provider, noInitWarn: true });
      try {
        const tx2 = bare.tx.subtensorModule?.setWeights?.(1, [1], [65535], 0);
        if (!tx2) throw new Error('no setWeights');
        tx2.sign(pair, {
          blockHash: BLOCK_HASH,
          genesisHash: FINNEY_GENESIS_HASH,
          era: bare.createType('ExtrinsicEra', { current: 6852690, period: 64 }),
          nonce: 3,
          tip: 77_000,
          runtimeVersion: bare.runtimeVersion,
          signedExtensions: bare.registry.signedExtensions,
          version: bare.extrinsicVersion,
        });
        expect(tx2.toU8a().length).toBeLessThan(tx.toU8a().length);
      } finally {
        await bare.disconnect();
      }
    } finally {
      await api.disconnect();
    }
  });

  it('fails fast on an unknown extension that carries data', () => {
    // lookup id 542 is `Era` in the spec-343 metadata: a data-carrying extrinsic type.
    const hex = metadataWith({}, { identifier: 'MysteryExtension', type: 542 });
    expect(() => subtensorSignedExtensions(hex)).toThrow(/UnknownSignedExtension\(MysteryExtension\)/);
  });

  it('registers an unknown extension with empty types as no-op', () => {
    // lookup id 544 is CheckWeight's empty struct.
    const hex = metadataWith({}, { identifier: 'EmptyNewExtension', type: 544 });
    expect(subtensorSignedExtensions(hex).EmptyNewExtension).toEqual({ extrinsic: {}, payload: {} });
  });
});
