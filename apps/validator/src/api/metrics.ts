/** Prometheus metrics of the validator (prom-client, one registry per process). */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** The validator's metrics. */
export interface ValidatorMetrics {
  registry: Registry;
  requestsSent: Counter;
  validReplies: Counter;
  requestsScored: Counter<'outcome'>;
  mturkResponses: Counter<'status'>;
  chunkRounds: Counter<'outcome'>;
  weightsSet: Counter<'ok'>;
  loopErrors: Counter<'loop'>;
  pendingRequests: Gauge;
}

/**
 * Creates the registry and metrics.
 * @param pending - reads the number of pending requests when scraped
 * @param defaults - also collect Node process metrics. @defaultValue true
 */
export function createMetrics(pending: () => Promise<number>, defaults = true): ValidatorMetrics {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry, prefix: 'dojo_validator_' });
  const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    requestsSent: counter('dojo_validator_requests_sent_total', 'RankingRequests saved with at least one valid reply'),
    validReplies: counter('dojo_validator_valid_replies_total', 'valid miner replies stored'),
    requestsScored: counter('dojo_validator_requests_scored_total', 'deadline jobs by outcome', ['outcome']),
    mturkResponses: counter('dojo_validator_mturk_responses_total', 'MTurkResponses by answer status', ['status']),
    chunkRounds: counter('dojo_validator_chunk_rounds_total', 'chunking rounds by outcome', ['outcome']),
    weightsSet: counter('dojo_validator_weights_set_total', 'weight emissions by result', ['ok']),
    loopErrors: counter('dojo_validator_loop_errors_total', 'iterations that threw (logged, loop continued)', ['loop']),
    pendingRequests: new Gauge({
      name: 'dojo_validator_pending_requests',
      help: 'requests waiting for their deadline',
      registers: [registry],
      async collect() {
        this.set(await pending());
      },
    }),
  };
}
