import { DojoError } from '@dojo-ts/protocol';

/** The SNS event or the MTurk notification inside it is not what MTurk publishes. */
export class InvalidNotificationError extends DojoError {
  override name = 'InvalidNotificationError';
  constructor(message: string, details?: Record<string, unknown>) {
    super('DOJO_FORWARDER_INVALID_NOTIFICATION', message, details ? { details } : {});
  }
}

/** The forwarder is missing a setting (target URL, secret source, MTurk endpoint). */
export class ForwarderConfigError extends DojoError {
  override name = 'ForwarderConfigError';
  constructor(message: string) {
    super('DOJO_FORWARDER_CONFIG', message);
  }
}

/** The miner could not be reached or answered 5xx: thrown so that SNS retries the delivery. */
export class ForwardFailedError extends DojoError {
  override name = 'ForwardFailedError';
  constructor(message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super('DOJO_FORWARDER_FORWARD_FAILED', message, options);
  }
}
