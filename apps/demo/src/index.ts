export { DemoError, DemoProcessError, DemoTimeoutError, RedisUnavailableError } from './errors.js';
export {
  type ForwarderHandler,
  type HumanLoopStats,
  hitCids,
  loadBundledForwarder,
  startHumanLoop,
} from './human-loop.js';
export { type HistoryRecord, type Observed, Observer, validatorBase } from './observe.js';
export { type DemoRedis, deleteByPrefix, ensureRedis, freePort, pingRedis } from './redis.js';
export {
  barChart,
  buildSummary,
  type DemoSummary,
  lineChart,
  type MinerSummary,
  renderHtml,
  type SummaryInput,
} from './report.js';
export { DEMO_MINERS, type DemoOptions, runDemo } from './run-demo.js';
export { formatLogLine, isAlive, type Managed, Supervisor, type SupervisorOptions } from './supervisor.js';
