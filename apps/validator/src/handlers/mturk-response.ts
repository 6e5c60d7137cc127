/**
 * The validator's `MTurkResponse` route (dojo.md §9.1): blacklist non-miners, match the saved request by id and a real
 * cid intersection (D11), verify against MTurk (D12), and store it as the miner's `aws_mturk` reply.
 */
import type { HeaderSynapse, MTurkResponse, Synapse } from '@dojo-ts/protocol';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { MTurkVerificationError } from '../errors.js';
import { isMiner, type NeuronView } from '../neuron-view.js';
import type { StoreKeys } from '../store/keys.js';
import { attachReply, loadRequest } from '../store/request-store.js';
import type { StoredReply } from '../store/types.js';
import type { MTurkClaim } from './mturk-verify.js';

/** Dependencies of {@link handleMTurkResponse}. */
export interface MTurkHandlerDeps {
  redis: Redis;
  keys: StoreKeys;
  log: Logger;
  /** Verifies the claim (bound `verifyMTurkResponse`); throws `MTurkVerificationError`. */
  verify: (claim: MTurkClaim, requestCids: readonly string[]) => Promise<void>;
  /** Called with the outcome (metrics). */
  onOutcome?: (status: number) => void;
}

/**
 * Blacklist of the route: unknown hotkeys and validators (stake ≥ threshold) are rejected.
 * @param view - current metagraph snapshot
 * @param stakeThresholdTao - `--neuron.miner_stake_threshold`
 */
export function mturkBlacklist(
  view: () => NeuronView,
  stakeThresholdTao: number,
): (hs: HeaderSynapse) => readonly [boolean, string] {
  return (hs) => {
    const v = view();
    const uid = hs.dendrite.hotkey ? v.uidOf.get(hs.dendrite.hotkey) : undefined;
    if (uid === undefined) return [true, 'Unrecognized hotkey'];
    if (!isMiner(v, uid, stakeThresholdTao)) return [true, 'Validators not allowed'];
    return [false, 'Miner recognized'];
  };
}

function answer<T extends Synapse<MTurkResponse>>(synapse: T, status: number, message: string): T {
  synapse.axon = { ...synapse.axon, status_code: status, status_message: message };
  return synapse;
}

/**
 * Handles one `MTurkResponse`.
 * @param deps - store, verifier, logger
 * @param synapse - the body-parsed synapse
 * @param callerHotkey - the verified sender hotkey (from the signed headers, never from the body)
 * @returns the synapse with `axon.status_code` 200, 400, 401, 403 or 404 and a reason
 */
export async function handleMTurkResponse(
  deps: MTurkHandlerDeps,
  synapse: Synapse<MTurkResponse>,
  callerHotkey: string | null,
): Promise<Synapse<MTurkResponse>> {
  const done = (status: number, message: string) => {
    deps.onOutcome?.(status);
    return answer(synapse, status, message);
  };
  if (!callerHotkey) return done(403, 'Unverified caller');
  const entry = await loadRequest(deps.redis, deps.keys, synapse.request_id);
  if (entry === null) return done(404, 'Unknown request');
  if (!entry.queried_hotkeys.includes(callerHotkey)) return done(403, 'Not a participant');
  if (synapse.scoring_method !== 'aws_mturk') return done(400, 'scoring_method must be aws_mturk');
  const cids = entry.request.completions.map((c) => c.cid);
  const cidSet = new Set(cids);
  const claimed = Object.keys(synapse.completion_id_to_score);
  if (claimed.length === 0 || claimed.some((c) => !cidSet.has(c))) {
    return done(400, 'completion_id_to_score must be a non-empty subset of the request cids');
  }
  if (claimed.some((c) => !Number.isFinite(synapse.completion_id_to_score[c]))) {
    return done(400, 'scores must be finite');
  }
  try {
    await deps.verify(
      {
        mturk_hit_id: synapse.mturk_hit_id,
        aws_credentials: synapse.aws_credentials,
        completion_id_to_score: synapse.completion_id_to_score,
      },
      cids,
    );
  } catch (err) {
    if (err instanceof MTurkVerificationError) {
      deps.log.info(
        { requestId: synapse.request_id, hotkey: callerHotkey, reason: err.reason },
        'MTurkResponse rejected',
      );
      return done(401, err.reason);
    }
    deps.log.warn({ requestId: synapse.request_id, err: (err as Error).message }, 'MTurk verification error');
    return done(401, 'Verification failed');
  }
  const reply: StoredReply = {
    hotkey: callerHotkey,
    scoring_method: 'aws_mturk',
    model_config: null,
    ranks: cids
      .filter((c) => Object.hasOwn(synapse.completion_id_to_score, c))
      .map((c) => ({ cid: c, score: synapse.completion_id_to_score[c] as number })),
    mturk_hit_id: synapse.mturk_hit_id,
    verified: true,
  };
  if (!(await attachReply(deps.redis, deps.keys, synapse.request_id, reply))) return done(404, 'Unknown request');
  deps.log.info({ requestId: synapse.request_id, hotkey: callerHotkey }, 'verified MTurk response attached');
  return done(200, 'All checks passed');
}
