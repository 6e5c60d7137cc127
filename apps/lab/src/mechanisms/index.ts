export { runChunking } from './chunking.js';
export {
  CHUNKING_STRATEGY_ARGS,
  type ChunkingModel,
  DOJO_STRATEGY_ARGS,
  type DojoModel,
  type MechanismModel,
  type RuleSet,
  validateMechanismModel,
} from './config.js';
export { type MechanismResult, runDojo } from './dojo.js';
export {
  EXPLOITS_DIR,
  formatExploitTable,
  KNOWN_FINDINGS,
  loadScenario,
  loadScenarios,
  type RuleOutcome,
  type RunScenarioOptions,
  runScenario,
  type Scenario,
  type ScenarioOutcome,
  withExploitShare,
} from './exploits.js';
export { type MechanismContext, runMechanism } from './run.js';
export {
  formatReturnOnCost,
  type MinerStats,
  type StrategyReport,
  type StrategyRow,
  strategyReport,
} from './strategy-report.js';
export type { WeightsRecord } from './weights.js';
