export {
  ACCURACY_INTERVAL_MS,
  ACCURACY_RESET_INTERVAL_MS,
  type AccuracyState,
  accuracyKey,
  accuracyMultiplier,
  batchAccuracy,
  chosenPosition,
  createAccuracyState,
  hfPairOutcome,
  keysToEvaluate,
  type ModelConfigLike,
  type PlannedBatch,
  planBatches,
  recordAccuracy,
  resetAccuracyIfDue,
  runAccuracy,
} from './accuracy.js';
export { type AuditVerdict, auditVerdict, selectForAudit } from './audit.js';
export type { Embedder } from './chunking/embedder.js';
export { buildRankings, pickGroup, type TournamentGroup, tournamentGroups } from './chunking/groups.js';
export { globalRanks, rankResponses } from './chunking/rank.js';
export { rankWeights, type WeightRule } from './chunking/rank-weights.js';
export {
  type CheckedChunks,
  type ChunkFailure,
  type ChunkResponse,
  type ChunkTask,
  checkChunks,
  codePointLength,
  defaultChunkQty,
  type GetRewardsOptions,
  getRewards,
  type PreparedDocument,
  prepareDocument,
  type RewardV11Info,
  type RewardVariant,
  rewardV1,
  rewardV11,
  type Segment,
  timePenalty,
} from './chunking/reward.js';
export { resyncRankScores, updateRankScores } from './chunking/score-moving-average.js';
export { compactText, sentTokenize, type Tokens, tokenize, wordTokenize } from './chunking/tokenize.js';
export { type ConsensusOptions, type ConsensusResponse, type ConsensusResult, consensus } from './consensus.js';
export { ema, resyncScores, rewardsFromScores, type UidRewards } from './ema.js';
export { type ScoringErrorCode, ScoringInputError } from './errors.js';
export {
  dedupeResponses,
  METHOD_RANGE,
  normalizeScore,
  SCORING_METHOD_PRIORITY,
  type ScoringMethod,
} from './methods.js';
export { type NormalizedWeights, normalizeWeights } from './normalize-weights.js';
export { mulberry32, type Rng, sample } from './rng.js';
export { softmax } from './softmax.js';
export { averageRanks, pearson, spearman } from './spearman.js';
