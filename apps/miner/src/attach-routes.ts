import type { Axon, Signer } from '@dojo-ts/neuron';
import { ChunkSynapseDef, RankingRequestDef, RankingResultDef } from '@dojo-ts/protocol';
import {
  chunkBlacklist,
  type MetagraphView,
  rankingBlacklist,
  rankingPriority,
  rankingResultBlacklist,
  stakePriority,
} from './handlers/blacklist.js';
import { createChunkForward } from './handlers/chunk.js';
import type { Log } from './handlers/human-feedback.js';
import { createRankingForward, type RankingDeps } from './handlers/ranking-request.js';
import { createRankingResultForward } from './handlers/ranking-result.js';
import { VerifiedCallers } from './handlers/verified-callers.js';
import type { MinerMetrics } from './metrics.js';
import type { ScoreHistory } from './store/score-history.js';

/** Everything the miner's synapse routes need. */
export interface MinerRoutesDeps {
  signer: Signer;
  metagraph: () => MetagraphView;
  ranking: Omit<RankingDeps, 'log' | 'metrics' | 'nowS'>;
  history: ScoreHistory;
  blacklist: {
    minerStakeThreshold: number;
    minValidatorStake: number;
    minimumStake: number;
    allowNonRegistered: boolean;
    forceValidatorPermit: boolean;
  };
  nowS: () => number;
  log: Log;
  metrics: MinerMetrics;
}

/**
 * Attaches `RankingRequest`, `RankingResult` and `chunkSynapse` with their forward, blacklist and priority hooks.
 *
 * @param axon - a built axon (not yet listening).
 * @param deps - hotkey, metagraph, scoring, stores, thresholds, clock, logger, metrics.
 * @returns the same axon.
 */
export function attachMinerRoutes(axon: Axon, deps: MinerRoutesDeps): Axon {
  const common = { log: deps.log, metrics: deps.metrics, nowS: deps.nowS };
  // RankingRequest routes human feedback by the caller's hotkey, so the forward must know who really signed.
  const callers = new VerifiedCallers({ ownHotkey: deps.signer.address });
  const resultCallers = new VerifiedCallers({ ownHotkey: deps.signer.address });
  axon.attach(RankingRequestDef, {
    forward: createRankingForward({ ...deps.ranking, ...common, callerOf: (d) => callers.take(d) }),
    verify: callers.verify,
    blacklist: rankingBlacklist(deps.metagraph, deps.blacklist),
    priority: rankingPriority(deps.nowS),
  });
  axon.attach(RankingResultDef, {
    forward: createRankingResultForward({
      ownHotkey: deps.signer.address,
      history: deps.history,
      ...common,
      callerOf: (d) => resultCallers.take(d),
    }),
    verify: resultCallers.verify,
    blacklist: rankingResultBlacklist(deps.metagraph, deps.blacklist.minerStakeThreshold),
  });
  axon.attach(ChunkSynapseDef, {
    forward: createChunkForward({ signer: deps.signer, log: deps.log, metrics: deps.metrics }),
    blacklist: chunkBlacklist(deps.metagraph, deps.blacklist),
    priority: stakePriority(deps.metagraph),
  });
  return axon;
}
