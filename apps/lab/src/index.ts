export { feature, SCALAR_FEATURES } from './analysis/features.js';
export { type GbrOptions, GradientBoostingRegressor, meanAbsoluteError, r2Score, shuffle } from './analysis/gbr.js';
export { pca } from './analysis/linalg.js';
export { DummyMetagraph, DummySubtensor, type LabNeuron, type WeightsCall } from './components/chain.js';
export { DummyDendritePool, type PoolResponse, type QaRow } from './components/dendrite-pool.js';
export {
  BaseGatingModel,
  ConstantGatingModel,
  type GatingModel,
  LongestMessageGatingModel,
  MaskedGatingModel,
  RandomGatingModel,
  SequentialGatingModel,
} from './components/gating.js';
export { gatingLoss } from './components/lstm.js';
export {
  BaseRewardModel,
  ConstantRewardModel,
  CustomRewardModel,
  DummyRewardModel,
  HuggingFaceRewardModel,
  type LabRewardModel,
  RandomRewardModel,
} from './components/reward.js';
export { byteTokenize, loadTokenizer, type Tokenize } from './components/tokenizer.js';
export { HuggingFaceGatingModel, KNOWN_CONFIGS, transformerSizes } from './components/transformer-gating.js';
export { ConstantValue, FrozenRandomValue, RandomValue, StepValue, type ValueGenerator } from './components/values.js';
export { type LabConfig, loadConfig, resolveConfig } from './config.js';
export { LabConfigError, LabError, type LabErrorCode } from './errors.js';
export { renderReport } from './report/html.js';
export { Stream } from './rng.js';
export { type RunLabOptions, type RunLabResult, runLab, STEPS, type StepName } from './run/runner.js';
export { type AnalysisOutput, type Chart, loadResultFiles, runAnalysisStep } from './steps/analysis.js';
export { COMPONENT_ARGS, runModelStep } from './steps/model.js';
export { type LabEvent, Neuron, VALIDATOR_DEFAULTS } from './validator/neuron.js';
