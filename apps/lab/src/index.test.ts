import { describe, expect, it } from 'vitest';
import * as lab from './index.js';

describe('public exports', () => {
  it('are exactly the documented list', () => {
    expect(Object.keys(lab).sort()).toEqual(
      [
        'BaseGatingModel',
        'BaseRewardModel',
        'COMPONENT_ARGS',
        'ConstantGatingModel',
        'ConstantRewardModel',
        'ConstantValue',
        'CustomRewardModel',
        'DummyDendritePool',
        'DummyMetagraph',
        'DummyRewardModel',
        'DummySubtensor',
        'FrozenRandomValue',
        'GradientBoostingRegressor',
        'HuggingFaceRewardModel',
        'LabConfigError',
        'LabError',
        'LongestMessageGatingModel',
        'MaskedGatingModel',
        'Neuron',
        'RandomGatingModel',
        'RandomRewardModel',
        'RandomValue',
        'SCALAR_FEATURES',
        'STEPS',
        'SequentialGatingModel',
        'StepValue',
        'Stream',
        'VALIDATOR_DEFAULTS',
        'byteTokenize',
        'feature',
        'gatingLoss',
        'loadConfig',
        'loadTokenizer',
        'loadResultFiles',
        'meanAbsoluteError',
        'pca',
        'r2Score',
        'renderReport',
        'resolveConfig',
        'runAnalysisStep',
        'runLab',
        'runModelStep',
        'shuffle',
      ].sort(),
    );
  });
});
