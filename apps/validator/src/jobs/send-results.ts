/**
 * Sends each participant of a scored request its own `RankingResult` (D15: `hotkey_to_score` holds one entry, the
 * receiver's own score), timeout 12 s. Delivery is best effort; the scores are already applied.
 */
import type { AxonTarget } from '@dojo-ts/neuron';
import { RankingResultDef } from '@dojo-ts/protocol';
import type { Logger } from 'pino';
import type { QueryClient } from '../forward.js';
import type { NeuronView } from '../neuron-view.js';
import type { ResultSender } from './score-request.js';

/**
 * Builds the result sender.
 * @param dendrite - query client
 * @param view - current metagraph snapshot (axons by hotkey)
 * @param timeoutS - `--scoring.result_timeout_s` (12)
 * @param log - logger
 */
export function createResultSender(
  dendrite: QueryClient,
  view: () => NeuronView,
  timeoutS: number,
  log: Logger,
): ResultSender {
  return async (entry, scored) => {
    const v = view();
    const sends: Array<Promise<unknown>> = [];
    for (const reply of entry.responses) {
      const uid = v.uidOf.get(reply.hotkey);
      const axon = uid === undefined ? undefined : v.axons[uid];
      if (!axon || axon.ip === '0.0.0.0') continue;
      const result = RankingResultDef.create({
        request_id: entry.request.request_id,
        cid_to_consensus: scored.consensus.cidToConsensus,
        hotkey_to_score: { [reply.hotkey]: scored.rewards[reply.hotkey] ?? 0 },
      });
      sends.push(
        dendrite.query([axon as AxonTarget], result, { timeoutS, def: RankingResultDef }).then(([r]) => {
          if (r?.dendrite.status_code !== 200) {
            log.debug({ hotkey: reply.hotkey, status: r?.dendrite.status_code }, 'RankingResult not delivered');
          }
        }),
      );
    }
    await Promise.allSettled(sends);
  };
}
