import { DojoError } from '@dojo-ts/protocol';

/** Error codes of the lab. */
export type LabErrorCode =
  | 'DOJO_LAB_CONFIG_INVALID'
  | 'DOJO_LAB_STEP_FAILED'
  | 'DOJO_LAB_DATA_INVALID'
  | 'DOJO_LAB_WANDB_UNAVAILABLE';

/** Base class of lab errors. */
export class LabError extends DojoError {
  override name = 'LabError';
  declare readonly code: LabErrorCode;
  constructor(
    code: LabErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

/** A config (YAML or component args) that does not match the schema: unknown key, missing key, bad value. */
export class LabConfigError extends LabError {
  override name = 'LabConfigError';
  constructor(message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super('DOJO_LAB_CONFIG_INVALID', message, options);
  }
}
