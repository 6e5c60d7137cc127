import { DojoError } from '@dojo-ts/protocol';

/** Error codes of the demo. */
export type DemoErrorCode =
  | 'DOJO_DEMO_PROCESS_FAILED'
  | 'DOJO_DEMO_REDIS_UNAVAILABLE'
  | 'DOJO_DEMO_TIMEOUT'
  | 'DOJO_DEMO_CHECK_FAILED';

/** Base class of demo errors. */
export class DemoError extends DojoError {
  override name = 'DemoError';
  declare readonly code: DemoErrorCode;
  constructor(
    code: DemoErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

/** A child process could not start, exited early or never became ready. */
export class DemoProcessError extends DemoError {
  override name = 'DemoProcessError';
  constructor(process: string, message: string) {
    super('DOJO_DEMO_PROCESS_FAILED', `${process}: ${message}`, { details: { process } });
  }
}

/** No Redis answers and none could be started. */
export class RedisUnavailableError extends DemoError {
  override name = 'RedisUnavailableError';
  constructor(message: string, cause?: unknown) {
    super('DOJO_DEMO_REDIS_UNAVAILABLE', message, { cause });
  }
}

/** The run did not reach its goals within `--max_s`. */
export class DemoTimeoutError extends DemoError {
  override name = 'DemoTimeoutError';
  constructor(message: string, details: Record<string, unknown>) {
    super('DOJO_DEMO_TIMEOUT', message, { details });
  }
}
