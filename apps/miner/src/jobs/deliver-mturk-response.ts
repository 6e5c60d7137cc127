import type { AxonTarget, Dendrite } from '@dojo-ts/neuron';
import { type AWSCredentials, MTurkResponseDef } from '@dojo-ts/protocol';
import type { DeliveryResult, MTurkResponseJob } from './mturk-response-queue.js';

/** What a delivery needs. */
export interface DeliverDeps {
  dendrite: Pick<Dendrite, 'call'>;
  /** The validator's axon from the current metagraph, or null when the hotkey is gone. */
  resolveValidator: (hotkey: string) => AxonTarget | null;
  /** STS credentials for the validator (null when no role is configured). */
  credentials: () => Promise<AWSCredentials | null>;
  /** `MTurkResponse` timeout, seconds (60). */
  timeoutS: number;
}

/**
 * Builds the delivery function: an `MTurkResponse` (scoring_method `aws_mturk`, STS credentials) sent through the
 * dendrite to the validator that asked.
 *
 * @param deps - dendrite, metagraph lookup, credentials and timeout.
 * @returns `(job) => {status, message}`; 410 when the validator left the metagraph, the dendrite status otherwise.
 */
export function createDeliverMTurkResponse(deps: DeliverDeps): (job: MTurkResponseJob) => Promise<DeliveryResult> {
  return async (job) => {
    const target = deps.resolveValidator(job.validator_hotkey);
    if (target === null)
      return { status: 410, message: `validator ${job.validator_hotkey} is no longer in the metagraph` };
    if (target.ip === '0.0.0.0')
      return { status: 503, message: `validator ${job.validator_hotkey} is not serving an axon` };
    let aws_credentials: AWSCredentials | null;
    try {
      aws_credentials = await deps.credentials();
    } catch (err) {
      return { status: 503, message: `STS AssumeRole failed: ${(err as Error).message}` };
    }
    const synapse = MTurkResponseDef.create({
      request_id: job.request_id,
      mturk_hit_id: job.hit_id,
      completion_id_to_score: job.completion_id_to_score,
      aws_credentials,
      scoring_method: 'aws_mturk',
    });
    const out = await deps.dendrite.call(target, synapse, { timeoutS: deps.timeoutS, def: MTurkResponseDef });
    return { status: out.dendrite.status_code ?? 500, message: out.dendrite.status_message };
  };
}
