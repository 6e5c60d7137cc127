import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The miner's Prometheus metrics, on their own registry. */
export interface MinerMetrics {
  registry: Registry;
  /** Synapse requests handled, by route and outcome (`ok`, `failed`, `timeout`). */
  requests: Counter<'synapse' | 'outcome'>;
  /** Scorer wall time by scoring method. */
  scoringSeconds: Histogram<'method'>;
  /** Human-feedback callbacks by outcome. */
  callbacks: Counter<'outcome'>;
  /** `MTurkResponse` deliveries by outcome (`delivered`, `retry`, `failed`). */
  mturkResponses: Counter<'outcome'>;
  /** HITs created, by success. */
  hits: Counter<'outcome'>;
  /** Deliveries waiting or retrying. */
  retryQueueDepth: Gauge;
}

/**
 * Creates the metrics (plus Node.js process defaults) on a fresh registry.
 *
 * @param withDefaults - also collect process metrics (off in tests that build many instances).
 * @param queueDepth - reads the delivery queue depth at scrape time (aws_mturk miners).
 * @returns the metrics.
 */
export function createMetrics(withDefaults = true, queueDepth?: () => Promise<number>): MinerMetrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry, prefix: 'dojo_miner_' });
  return {
    registry,
    requests: new Counter({
      name: 'dojo_miner_requests_total',
      help: 'Synapse requests handled',
      labelNames: ['synapse', 'outcome'],
      registers: [registry],
    }),
    scoringSeconds: new Histogram({
      name: 'dojo_miner_scoring_seconds',
      help: 'Scorer wall time',
      labelNames: ['method'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    callbacks: new Counter({
      name: 'dojo_miner_callbacks_total',
      help: 'Human-feedback callbacks',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    mturkResponses: new Counter({
      name: 'dojo_miner_mturk_responses_total',
      help: 'MTurkResponse deliveries',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    hits: new Counter({
      name: 'dojo_miner_hits_total',
      help: 'HITs created',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    retryQueueDepth: new Gauge({
      name: 'dojo_miner_retry_queue_depth',
      help: 'MTurkResponse deliveries pending',
      registers: [registry],
      // Read at scrape time, so the gauge is current without a timer.
      ...(queueDepth
        ? {
            async collect(this: Gauge) {
              this.set(await queueDepth().catch(() => -1));
            },
          }
        : {}),
    }),
  };
}
