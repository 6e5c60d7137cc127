import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public API', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'ACCURACY_INTERVAL_MS',
        'ACCURACY_RESET_INTERVAL_MS',
        'METHOD_RANGE',
        'SCORING_METHOD_PRIORITY',
        'ScoringInputError',
        'accuracyKey',
        'accuracyMultiplier',
        'auditVerdict',
        'averageRanks',
        'batchAccuracy',
        'buildRankings',
        'checkChunks',
        'chosenPosition',
        'codePointLength',
        'compactText',
        'consensus',
        'createAccuracyState',
        'dedupeResponses',
        'defaultChunkQty',
        'ema',
        'getRewards',
        'globalRanks',
        'hfPairOutcome',
        'keysToEvaluate',
        'mulberry32',
        'normalizeScore',
        'normalizeWeights',
        'pearson',
        'pickGroup',
        'planBatches',
        'prepareDocument',
        'rankResponses',
        'rankWeights',
        'recordAccuracy',
        'resetAccuracyIfDue',
        'resyncRankScores',
        'resyncScores',
        'rewardV1',
        'rewardV11',
        'rewardsFromScores',
        'runAccuracy',
        'sample',
        'selectForAudit',
        'sentTokenize',
        'softmax',
        'spearman',
        'timePenalty',
        'tokenize',
        'tournamentGroups',
        'updateRankScores',
        'wordTokenize',
      ].sort(),
    );
  });

  it('ScoringInputError is a DojoError with a code', () => {
    const e = new api.ScoringInputError('DOJO_SCORING_INVALID_INPUT', 'x');
    expect(e.name).toBe('ScoringInputError');
    expect(e.code).toBe('DOJO_SCORING_INVALID_INPUT');
  });
});
