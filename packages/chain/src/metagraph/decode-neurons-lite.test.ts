import { TypeRegistry } from '@polkadot/types';
import { describe, expect, it } from 'vitest';
import { decodeNeuronsLite } from './decode-neurons-lite.js';

// NeuronInfoLite layout of spec chain.md §5.2, registered by hand (independent of our decoder).
const reg = new TypeRegistry();
reg.register({
  AxonInfoT: {
    block: 'u64',
    version: 'u32',
    ip: 'u128',
    port: 'u16',
    ipType: 'u8',
    protocol: 'u8',
    placeholder1: 'u8',
    placeholder2: 'u8',
  },
  PrometheusInfoT: { block: 'u64', version: 'u32', ip: 'u128', port: 'u16', ipType: 'u8' },
  NeuronInfoLiteT: {
    hotkey: '[u8;32]',
    coldkey: '[u8;32]',
    uid: 'Compact<u16>',
    netuid: 'Compact<u16>',
    active: 'bool',
    axonInfo: 'AxonInfoT',
    prometheusInfo: 'PrometheusInfoT',
    stake: 'Vec<([u8;32], Compact<u64>)>',
    rank: 'Compact<u16>',
    emission: 'Compact<u64>',
    incentive: 'Compact<u16>',
    consensus: 'Compact<u16>',
    trust: 'Compact<u16>',
    validatorTrust: 'Compact<u16>',
    dividends: 'Compact<u16>',
    lastUpdate: 'Compact<u64>',
    validatorPermit: 'bool',
    pruningScore: 'Compact<u16>',
  },
});

const hot = new Uint8Array(32).fill(0xd4); // //Alice-like bytes, any 32 bytes work
const cold = new Uint8Array(32).fill(0x8e);

function encode(neurons: unknown[]): Uint8Array {
  return reg.createType('Vec<NeuronInfoLiteT>', neurons).toU8a();
}

const sample = {
  hotkey: hot,
  coldkey: cold,
  uid: 7,
  netuid: 52,
  active: true,
  axonInfo: {
    block: 123,
    version: 1020,
    ip: 42540766411282592856903984951653826561n,
    port: 8091,
    ipType: 6,
    protocol: 4,
    placeholder1: 0,
    placeholder2: 0,
  },
  prometheusInfo: { block: 0, version: 0, ip: 16909060, port: 7000, ipType: 4 },
  stake: [[cold, 18_446_744_073_709_551_615n]],
  rank: 1,
  emission: 2_000_000_000n,
  incentive: 65535,
  consensus: 32768,
  trust: 0,
  validatorTrust: 100,
  dividends: 65535,
  lastUpdate: 6_852_000,
  validatorPermit: true,
  pruningScore: 65535,
};

describe('decodeNeuronsLite (§5.2, §5.3)', () => {
  it('decodes every field, normalising u16 scores by 65535 and emission by 1e9', () => {
    const [n] = decodeNeuronsLite(encode([sample]));
    expect(n).toBeDefined();
    if (!n) return;
    expect(n.uid).toBe(7);
    expect(n.netuid).toBe(52);
    expect(n.active).toBe(true);
    expect(n.hotkey).toBe(reg.createType('AccountId32', hot).toString());
    expect(n.coldkey).toBe(reg.createType('AccountId32', cold).toString());
    expect(n.axon).toMatchObject({ block: 123, version: 1020, ip: '2001:db8::1', port: 8091, ipType: 6, protocol: 4 });
    expect(n.prometheus).toEqual({ block: 0, version: 0, ip: '1.2.3.4', port: 7000, ipType: 4 });
    expect(n.stakeRao).toBe(18_446_744_073_709_551_615n);
    expect(n.stake).toEqual([{ coldkey: n.coldkey, rao: 18_446_744_073_709_551_615n }]);
    expect(n.rank).toBe(1 / 65535);
    expect(n.emission).toBe(2);
    expect(n.emissionRao).toBe(2_000_000_000n);
    expect(n.incentive).toBe(1);
    expect(n.consensus).toBe(32768 / 65535);
    expect(n.validatorTrust).toBe(100 / 65535);
    expect(n.lastUpdate).toBe(6_852_000);
    expect(n.validatorPermit).toBe(true);
    expect(n.pruningScore).toBe(65535);
  });

  it('decodes an empty vector', () => {
    expect(decodeNeuronsLite(new Uint8Array([0]))).toEqual([]);
  });

  it('rejects truncated input, trailing bytes and invalid bools', () => {
    const bytes = encode([sample, { ...sample, uid: 8 }]);
    expect(decodeNeuronsLite(bytes)).toHaveLength(2);
    expect(() => decodeNeuronsLite(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    expect(() => decodeNeuronsLite(new Uint8Array([...bytes, 0]))).toThrow(/trailing/);
    const bad = bytes.slice();
    bad[1 + 64 + 1 + 1] = 2; // `active` of the first neuron
    expect(() => decodeNeuronsLite(bad)).toThrow(/bool/);
  });
});
