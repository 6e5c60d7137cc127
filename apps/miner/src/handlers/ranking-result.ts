import type { RankingResult, Synapse, TerminalInfo } from '@dojo-ts/protocol';
import type { MinerMetrics } from '../metrics.js';
import type { ScoreHistory } from '../store/score-history.js';
import type { Log } from './human-feedback.js';

/**
 * Builds the `RankingResult` forward (dojo.md §4.4): logs the received consensus and this miner's own score and keeps
 * it in the bounded score history; a history write failure is logged, never fatal.
 *
 * @param deps - own hotkey, history store, clock, logger, metrics.
 * @returns the forward hook for `RankingResultDef`.
 */
export function createRankingResultForward(deps: {
  ownHotkey: string;
  history: ScoreHistory;
  nowS: () => number;
  log: Log;
  metrics: MinerMetrics;
  /** The verified caller (see `VerifiedCallers`); the body's `dendrite.hotkey` is used when absent. */
  callerOf?: (dendrite: TerminalInfo) => string | null;
}): (s: Synapse<RankingResult>) => Promise<Synapse<RankingResult>> {
  return async (synapse) => {
    const score = synapse.hotkey_to_score[deps.ownHotkey];
    deps.log.info({ requestId: synapse.request_id, score: score ?? null }, 'Received consensus from validators');
    try {
      await deps.history.add({
        request_id: synapse.request_id,
        validator_hotkey: (deps.callerOf ? deps.callerOf(synapse.dendrite) : synapse.dendrite.hotkey) ?? 'unverified',
        score: typeof score === 'number' ? score : null,
        cid_to_consensus: synapse.cid_to_consensus,
        received_at: deps.nowS(),
      });
      deps.metrics.requests.inc({ synapse: 'RankingResult', outcome: 'ok' });
    } catch (err) {
      deps.log.error({ requestId: synapse.request_id, reason: (err as Error).message }, 'could not store the score');
      deps.metrics.requests.inc({ synapse: 'RankingResult', outcome: 'failed' });
    }
    return synapse;
  };
}
