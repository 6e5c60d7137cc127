import type { AxonInfo, NeuronLite, PrometheusInfo } from '../chain.js';
import { ChainDecodeError } from '../errors.js';
import { ipToString } from './ip.js';
import { ScaleReader } from './scale-reader.js';
import { ss58Encode } from './ss58.js';

const U16_MAX = 65535;
const RAO = 1e9;
/** Upper bound on neurons per subnet accepted by the decoder (subtensor caps uids at 4096 per subnet). */
const MAX_NEURONS = 65536;

function keyOf(bytes: Uint8Array, offset: number): string {
  // Cheap map key for a 32-byte account: four 8-byte chunks as latin1 would allocate; use numbers instead.
  let s = '';
  for (let i = 0; i < 32; i += 4) {
    const v =
      ((bytes[offset + i] as number) |
        ((bytes[offset + i + 1] as number) << 8) |
        ((bytes[offset + i + 2] as number) << 16) |
        ((bytes[offset + i + 3] as number) << 24)) >>>
      0;
    s += `${v.toString(36)},`;
  }
  return s;
}

class AddressCache {
  readonly #map = new Map<string, string>();
  get(r: ScaleReader): string {
    r.need(32);
    const k = keyOf(r.bytes, r.offset);
    let a = this.#map.get(k);
    if (a === undefined) {
      a = ss58Encode(r.bytes.subarray(r.offset, r.offset + 32));
      this.#map.set(k, a);
    }
    r.offset += 32;
    return a;
  }
}

function readIp(r: ScaleReader): string {
  // u128 little-endian; the common IPv4 case needs only the low 4 bytes.
  r.need(16);
  const b = r.bytes;
  const o = r.offset;
  let high = 0;
  for (let i = 4; i < 16; i++) high |= b[o + i] as number;
  if (high === 0) {
    r.offset += 16;
    return `${b[o + 3]}.${b[o + 2]}.${b[o + 1]}.${b[o]}`;
  }
  return ipToString(r.u128());
}

function decodeOne(r: ScaleReader, cache: AddressCache): NeuronLite {
  const hotkey = cache.get(r);
  const coldkey = cache.get(r);
  const uid = r.compact();
  const netuid = r.compact();
  const active = r.bool();
  const axon: AxonInfo = {
    block: r.u64n(),
    version: r.u32(),
    ip: readIp(r),
    port: r.u16(),
    ipType: r.u8(),
    protocol: r.u8(),
    placeholder1: r.u8(),
    placeholder2: r.u8(),
    hotkey,
    coldkey,
  };
  const prometheus: PrometheusInfo = {
    block: r.u64n(),
    version: r.u32(),
    ip: readIp(r),
    port: r.u16(),
    ipType: r.u8(),
  };
  const nStake = r.compact();
  if (nStake > MAX_NEURONS) throw new ChainDecodeError(`implausible stake vector length ${nStake}`);
  const stake: Array<{ coldkey: string; rao: bigint }> = [];
  let stakeRao = 0n;
  for (let i = 0; i < nStake; i++) {
    const c = cache.get(r);
    const rao = r.compactBig();
    stake.push({ coldkey: c, rao });
    stakeRao += rao;
  }
  const rank = r.compact() / U16_MAX;
  const emissionRao = r.compactBig();
  const incentive = r.compact() / U16_MAX;
  const consensus = r.compact() / U16_MAX;
  const trust = r.compact() / U16_MAX;
  const validatorTrust = r.compact() / U16_MAX;
  const dividends = r.compact() / U16_MAX;
  const lastUpdate = r.compact();
  const validatorPermit = r.bool();
  const pruningScore = r.compact();
  return {
    uid,
    netuid,
    hotkey,
    coldkey,
    active,
    axon,
    prometheus,
    stake,
    stakeRao,
    rank,
    emissionRao,
    emission: Number(emissionRao) / RAO,
    incentive,
    consensus,
    trust,
    validatorTrust,
    dividends,
    lastUpdate,
    validatorPermit,
    pruningScore,
  };
}

/**
 * Decodes raw SCALE `Vec<NeuronInfoLite>` (spec chain.md §5.2) into plain records with ss58 (prefix 42) accounts and
 * normalised scores (§5.3). Pure; no registry needed.
 * @param bytes - the SCALE bytes (for the pre-2025 `Vec<u8>` runtime API, strip the outer length prefix first).
 * @returns the neurons in encoded order.
 * @throws ChainDecodeError on truncated, malformed or trailing input.
 */
export function decodeNeuronsLite(bytes: Uint8Array): NeuronLite[] {
  const r = new ScaleReader(bytes);
  const n = r.compact();
  if (n > MAX_NEURONS) throw new ChainDecodeError(`implausible neuron count ${n}`);
  const cache = new AddressCache();
  const out: NeuronLite[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = decodeOne(r, cache);
  if (r.offset !== bytes.length) {
    throw new ChainDecodeError(`${bytes.length - r.offset} trailing bytes after ${n} neurons`);
  }
  return out;
}
