import type { HeaderSynapse } from '@dojo-ts/protocol';

/** The metagraph fields the blacklists read (a `Metagraph` of @dojo-ts/chain satisfies it). */
export interface MetagraphView {
  /** Stake per uid in TAO. */
  S: readonly number[];
  validatorPermit: readonly boolean[];
  uidOf(hotkey: string): number | null;
}

type Verdict = readonly [boolean, string];

/** Options of {@link rankingBlacklist}. */
export interface RankingBlacklistOptions {
  /** `isMiner(uid) ⇔ S[uid] < minerStakeThreshold` (TAO, `--neuron.miner_stake_threshold`). */
  minerStakeThreshold: number;
  /** `--blacklist.min_validator_stake` (TAO). */
  minValidatorStake: number;
}

/**
 * `RankingRequest` blacklist (dojo.md §4.4): unknown hotkey → "Unrecognized hotkey"; `isMiner(caller)` → "Not a validator";
 * stake below the minimum → "Insufficient validator stake".
 *
 * @param metagraph - returns the current metagraph (follows resyncs).
 * @param o - thresholds in TAO.
 * @returns the blacklist hook.
 */
export function rankingBlacklist(
  metagraph: () => MetagraphView,
  o: RankingBlacklistOptions,
): (s: HeaderSynapse) => Verdict {
  return (s) => {
    const mg = metagraph();
    const uid = s.dendrite.hotkey ? mg.uidOf(s.dendrite.hotkey) : null;
    if (uid === null) return [true, 'Unrecognized hotkey'];
    const stake = mg.S[uid] ?? 0;
    if (stake < o.minerStakeThreshold) return [true, 'Not a validator'];
    if (stake < o.minValidatorStake) return [true, 'Insufficient validator stake'];
    return [false, 'Valid request received from validator'];
  };
}

/**
 * `RankingResult` blacklist (dojo.md §4.4): unknown hotkeys and callers with `isMiner` are refused.
 *
 * @param metagraph - current metagraph.
 * @param minerStakeThreshold - TAO.
 * @returns the blacklist hook.
 */
export function rankingResultBlacklist(
  metagraph: () => MetagraphView,
  minerStakeThreshold: number,
): (s: HeaderSynapse) => Verdict {
  return (s) => {
    const mg = metagraph();
    const uid = s.dendrite.hotkey ? mg.uidOf(s.dendrite.hotkey) : null;
    if (uid === null) return [true, 'Unrecognized hotkey'];
    if ((mg.S[uid] ?? 0) < minerStakeThreshold) return [true, 'Not a validator'];
    return [false, 'Valid result received from validator'];
  };
}

/** Options of {@link chunkBlacklist} (chunking.md §12.3). */
export interface ChunkBlacklistOptions {
  allowNonRegistered: boolean;
  forceValidatorPermit: boolean;
  /** TAO. */
  minimumStake: number;
}

/**
 * `chunkSynapse` blacklist (chunking.md §12.3): registration is checked before the uid is used; a validator permit only
 * with `forceValidatorPermit`; stake below `minimumStake` refused.
 *
 * @param metagraph - current metagraph.
 * @param o - options.
 * @returns the blacklist hook.
 */
export function chunkBlacklist(
  metagraph: () => MetagraphView,
  o: ChunkBlacklistOptions,
): (s: HeaderSynapse) => Verdict {
  return (s) => {
    const mg = metagraph();
    const uid = s.dendrite.hotkey ? mg.uidOf(s.dendrite.hotkey) : null;
    if (uid === null)
      return o.allowNonRegistered ? [false, 'Allowing un-registered hotkey'] : [true, 'Unrecognized hotkey'];
    if (o.forceValidatorPermit && !mg.validatorPermit[uid]) return [true, 'Non-validator hotkey'];
    if ((mg.S[uid] ?? 0) < o.minimumStake) return [true, 'Insufficient stake'];
    return [false, 'Hotkey recognized!'];
  };
}

/**
 * `RankingRequest` priority: older requests first, `now − epoch_timestamp` seconds (dojo.md §4.4). The axon runs priority on
 * the header synapse, which carries `epoch_timestamp` only if the caller put it in an input-object header; otherwise the
 * signed `dendrite.nonce` (send time, ns) stands in for it.
 *
 * @param nowS - clock in unix seconds.
 * @returns the priority hook (seconds of age; higher runs first).
 */
export function rankingPriority(nowS: () => number): (s: HeaderSynapse) => number {
  return (s) => {
    const ts = s.inputObj.epoch_timestamp;
    if (typeof ts === 'number' && Number.isFinite(ts) && ts > 0) return nowS() - ts;
    if (s.dendrite.nonce !== null) return nowS() - Number(s.dendrite.nonce) / 1e9;
    return 0;
  };
}

/**
 * `chunkSynapse` priority: the caller's stake `S[uid]` (0 when unknown; chunking.md §12.3).
 *
 * @param metagraph - current metagraph.
 * @returns the priority hook.
 */
export function stakePriority(metagraph: () => MetagraphView): (s: HeaderSynapse) => number {
  return (s) => {
    const mg = metagraph();
    const uid = s.dendrite.hotkey ? mg.uidOf(s.dendrite.hotkey) : null;
    return uid === null ? 0 : (mg.S[uid] ?? 0);
  };
}
