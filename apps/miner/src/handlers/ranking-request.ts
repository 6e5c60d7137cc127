import type { ModelConfig, Rank, RankingRequest, Synapse, TerminalInfo } from '@dojo-ts/protocol';
import type { MinerScoringMethod } from '../config.js';
import type { MinerMetrics } from '../metrics.js';
import type { CreateRankingHitResult } from '../mturk/create-hit.js';
import { TimeoutError, withTimeout } from '../scorers/with-timeout.js';
import type { RoutingStore } from '../store/routing-store.js';
import type { Log } from './human-feedback.js';

/** A model scorer (`RewardModel` of @dojo-ts/models: `HfRewardModel`, `LlmJudge`). */
export interface Scorer {
  readonly id: string;
  /** cid → score in [0, 1]; completions without a score are simply absent. */
  score(prompt: string, completions: ReadonlyArray<{ cid: string; text: string }>): Promise<Record<string, number>>;
}

/** What the RankingRequest handler needs. */
export interface RankingDeps {
  method: MinerScoringMethod;
  /** What replies declare: HF `{provider: null, model_name}`; LLM `{provider, model_name}`; null for aws_mturk. */
  modelConfig: ModelConfig | null;
  /** hf_model / llm_api scorer. */
  scorer: Scorer | null;
  /** aws_mturk: creates the HIT for a request. */
  createHit:
    | ((request: {
        prompt: string;
        completions: Array<{ cid: string; text: string }>;
      }) => Promise<CreateRankingHitResult>)
    | null;
  /** aws_mturk routing tables (D14). */
  routing: RoutingStore | null;
  /** Scorer / HIT creation time limit, ms. */
  timeoutMs: number;
  /**
   * The verified caller of the request whose body carries this `dendrite` (see `VerifiedCallers`); null when the body's
   * hotkey was not the one that signed. When absent, the body's `dendrite.hotkey` is trusted.
   */
  callerOf?: (dendrite: TerminalInfo) => string | null;
  nowS: () => number;
  log: Log;
  metrics: MinerMetrics;
}

function failed(synapse: Synapse<RankingRequest>, status: number, message: string): Synapse<RankingRequest> {
  return { ...synapse, ranks: [], axon: { ...synapse.axon, status_code: status, status_message: message } };
}

/**
 * Builds the `RankingRequest` forward (dojo.md §4.3): `hf_model`/`llm_api` fill `ranks` (completion order, only cids the
 * scorer returned a finite score for), `scoring_method` and `model_config`; `aws_mturk` creates a HIT, records
 * `request_id → (validator, request)` and `hit → request_id`, and replies with `mturk_hit_id`. A scorer that throws or
 * exceeds `timeoutMs` gives a failed reply (500, or 408 on timeout) with a message; the process never crashes.
 *
 * @param deps - method, scorer or HIT creator, routing store, limits, logger, metrics.
 * @returns the forward hook for `RankingRequestDef`.
 */
export function createRankingForward(
  deps: RankingDeps,
): (s: Synapse<RankingRequest>) => Promise<Synapse<RankingRequest>> {
  return async (synapse) => {
    const started = performance.now();
    const method = deps.method;
    const completions = synapse.completions.map((c) => ({ cid: c.cid, text: c.text }));
    const caller = deps.callerOf ? deps.callerOf(synapse.dendrite) : synapse.dendrite.hotkey;
    try {
      if (method === 'aws_mturk') {
        if (!deps.createHit || !deps.routing) throw new Error('aws_mturk is not configured');
        if (caller === null) {
          deps.log.warn({ requestId: synapse.request_id }, 'body dendrite.hotkey differs from the verified caller');
          deps.metrics.requests.inc({ synapse: 'RankingRequest', outcome: 'failed' });
          return failed(synapse, 401, 'dendrite.hotkey in the body is not the verified caller');
        }
        // Recorded first (§4.3 step 1) so a fast worker's callback can always be routed.
        const routed = {
          validator_hotkey: caller,
          request_id: synapse.request_id,
          prompt: synapse.prompt,
          completions,
          epoch_timestamp: synapse.epoch_timestamp,
          received_at: deps.nowS(),
          hit_id: null,
        };
        await deps.routing.saveRequest(routed);
        const result = await withTimeout(
          deps.createHit({ prompt: synapse.prompt, completions }),
          deps.timeoutMs,
          'CreateHIT',
        );
        deps.metrics.hits.inc({ outcome: result.success ? 'created' : 'failed' });
        if (result.hitId) {
          await deps.routing.saveHit(result.hitId, synapse.request_id);
          await deps.routing.saveRequest({ ...routed, hit_id: result.hitId });
        }
        if (!result.success || !result.hitId) {
          const reason = result.error instanceof Error ? result.error.message : 'unknown error';
          deps.log.error({ requestId: synapse.request_id, hitId: result.hitId, reason }, 'HIT creation failed');
          deps.metrics.requests.inc({ synapse: 'RankingRequest', outcome: 'failed' });
          return { ...failed(synapse, 500, `HIT creation failed: ${reason}`), scoring_method: 'aws_mturk' };
        }
        deps.log.info(
          { requestId: synapse.request_id, hitId: result.hitId, preview: result.previewUrl },
          'HIT created',
        );
        deps.metrics.requests.inc({ synapse: 'RankingRequest', outcome: 'ok' });
        return { ...synapse, ranks: [], scoring_method: 'aws_mturk', model_config: null, mturk_hit_id: result.hitId };
      }
      if (!deps.scorer) throw new Error(`${method} scorer is not configured`);
      const scores = await withTimeout(
        deps.scorer.score(synapse.prompt, completions),
        deps.timeoutMs,
        `${method} scoring`,
      );
      const ranks: Rank[] = [];
      for (const c of completions) {
        const score = scores[c.cid];
        if (typeof score === 'number' && Number.isFinite(score)) ranks.push({ cid: c.cid, score });
      }
      deps.metrics.requests.inc({ synapse: 'RankingRequest', outcome: 'ok' });
      return { ...synapse, ranks, scoring_method: method, model_config: deps.modelConfig };
    } catch (err) {
      const timedOut = err instanceof TimeoutError;
      const reason = err instanceof Error ? err.message : String(err);
      deps.log.error({ requestId: synapse.request_id, method, reason }, 'RankingRequest scoring failed');
      deps.metrics.requests.inc({ synapse: 'RankingRequest', outcome: timedOut ? 'timeout' : 'failed' });
      return { ...failed(synapse, timedOut ? 408 : 500, `Scoring failed: ${reason}`), scoring_method: method };
    } finally {
      deps.metrics.scoringSeconds.observe({ method }, (performance.now() - started) / 1000);
    }
  };
}
