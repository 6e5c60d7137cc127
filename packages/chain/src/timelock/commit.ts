import type { Beacon } from '../chain.js';
import { InvalidWeightsError } from '../errors.js';
import { QUICKNET, type RandomBytes, timelockEncrypt } from './timelock.js';

/** drand-quicknet beacon (what `beacon()` returns on real networks). */
export const QUICKNET_BEACON: Beacon = {
  publicKeyG2Hex: QUICKNET.publicKeyG2Hex,
  genesisUnix: QUICKNET.genesisUnix,
  periodS: QUICKNET.periodS,
  chainHash: QUICKNET.chainHash,
};

/** Blocks added after the first reveal block before the drand pulse is expected on chain (bittensor-drand). */
export const SECURITY_BLOCK_OFFSET = 3;

/** Inputs of {@link revealRound}. */
export interface RevealRoundInput {
  currentBlock: number;
  tempo: number;
  /** Netuid storage index (netuid for mechanism 0). */
  netuid: number;
  revealPeriodEpochs: number;
  /** Unix time in seconds (fractional allowed). */
  nowUnix: number;
  /** Seconds per block (12 on finney). */
  blockTimeS?: number;
  /** First block of the reveal epoch when known from chain state (`get_next_epoch_start_block`); else modulo schedule. */
  firstRevealBlock?: number;
  beacon?: Pick<Beacon, 'genesisUnix' | 'periodS'>;
}

/**
 * drand round at which a commit made now becomes decryptable (spec chain.md §10.1 step 4, bittensor-drand formula).
 * @param input - block, tempo, netuid, reveal period, wall clock.
 * @returns the reveal round (≥ 1).
 */
export function revealRound(input: RevealRoundInput): number {
  const blockTime = input.blockTimeS ?? 12;
  const beacon = input.beacon ?? QUICKNET_BEACON;
  let firstReveal = input.firstRevealBlock;
  if (firstReveal === undefined) {
    const tp1 = input.tempo + 1;
    const np1 = input.netuid + 1;
    const curEpoch = Math.floor((input.currentBlock + np1) / tp1);
    firstReveal = (curEpoch + input.revealPeriodEpochs) * tp1 - np1;
  }
  const target = firstReveal + SECURITY_BLOCK_OFFSET;
  const secs = Math.max(0, target - input.currentBlock) * blockTime;
  const round = Math.floor((input.nowUnix + secs - beacon.genesisUnix) / beacon.periodS);
  return Math.max(1, round);
}

function compactLen(n: number): number[] {
  if (n < 64) return [n << 2];
  if (n < 1 << 14) return [((n << 2) | 1) & 0xff, (n << 2) >> 8];
  if (n < 1 << 30) {
    const v = ((n << 2) | 2) >>> 0;
    return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
  }
  throw new InvalidWeightsError('vector too long');
}

/**
 * SCALE-encodes `WeightsTlockPayload { hotkey: Vec<u8>, uids: Vec<u16>, values: Vec<u16>, version_key: u64 }`.
 * @param hotkey - 32-byte hotkey public key.
 * @param uids - u16 uids.
 * @param values - u16 weights.
 * @param versionKey - weights version key.
 * @returns the payload bytes.
 * @throws InvalidWeightsError on mismatched lengths or out-of-range values.
 */
export function encodeWeightsTlockPayload(
  hotkey: Uint8Array,
  uids: readonly number[],
  values: readonly number[],
  versionKey: number | bigint,
): Uint8Array {
  if (uids.length !== values.length) throw new InvalidWeightsError('uids and values differ in length');
  const out: number[] = [...compactLen(hotkey.length), ...hotkey];
  for (const vec of [uids, values]) {
    out.push(...compactLen(vec.length));
    for (const x of vec) {
      if (!Number.isInteger(x) || x < 0 || x > 65535) throw new InvalidWeightsError(`not a u16: ${x}`);
      out.push(x & 0xff, x >> 8);
    }
  }
  const vk = new Uint8Array(8);
  new DataView(vk.buffer).setBigUint64(0, BigInt(versionKey), true);
  out.push(...vk);
  return Uint8Array.from(out);
}

/** A ready commit for `commit_timelocked_weights`. */
export interface TimelockedCommit {
  commit: Uint8Array;
  revealRound: number;
}

/**
 * Builds a commit-reveal v4 commit: payload → timelock encryption for the reveal round (spec chain.md §10.1).
 * @param args - hotkey public key, u16 uids/values, version key, chain timing and beacon.
 * @returns the ciphertext and its reveal round.
 * @throws InvalidWeightsError / TimelockError on bad input or when the ciphertext exceeds 5000 bytes.
 */
export function buildTimelockedCommit(
  args: RevealRoundInput & {
    hotkey: Uint8Array;
    uids: readonly number[];
    values: readonly number[];
    versionKey: number | bigint;
    beacon?: Beacon;
    rng?: RandomBytes;
  },
): TimelockedCommit {
  const round = revealRound(args);
  const payload = encodeWeightsTlockPayload(args.hotkey, args.uids, args.values, args.versionKey);
  const commit = timelockEncrypt(payload, round, (args.beacon ?? QUICKNET_BEACON).publicKeyG2Hex, args.rng);
  if (commit.length > 5000) {
    throw new InvalidWeightsError(`timelocked commit is ${commit.length} bytes; the chain accepts at most 5000`);
  }
  return { commit, revealRound: round };
}
