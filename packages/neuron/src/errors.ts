import { DojoError, type DojoErrorOptions } from '@dojo-ts/protocol';

/** Invalid axon or dendrite options (for example a nonce TTL below the replay-safety bound); fix the configuration. */
export class NeuronConfigError extends DojoError {
  override name = 'NeuronConfigError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_NEURON_CONFIG', message, options);
  }
}

/** Request verification failed (nonce or signature); the axon answers 401 `Not Verified with error: ...`. */
export class NotVerifiedError extends DojoError {
  override name = 'NotVerifiedError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_NEURON_NOT_VERIFIED', message, options);
  }
}

/** A request waited longer than its timeout for a handler slot; the axon answers 408 `Response timeout after: Xs`. */
export class PriorityTimeoutError extends DojoError {
  override name = 'PriorityTimeoutError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_NEURON_PRIORITY_TIMEOUT', message, options);
  }
}

/** The axon's waiting queue is full; it answers 503 and the caller should back off. */
export class AxonBusyError extends DojoError {
  override name = 'AxonBusyError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_NEURON_AXON_BUSY', message, options);
  }
}

/** The synapse given to the dendrite has no registered definition; pass `def` or register the synapse. */
export class UnknownSynapseDefinitionError extends DojoError {
  override name = 'UnknownSynapseDefinitionError';
  constructor(synapseName: string) {
    super('DOJO_NEURON_UNKNOWN_SYNAPSE', `no synapse definition for '${synapseName}'`, { details: { synapseName } });
  }
}
