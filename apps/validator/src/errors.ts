import { DojoError, type DojoErrorOptions } from '@dojo-ts/protocol';

/** A flag or env value does not validate; names the flag. */
export class ConfigError extends DojoError {
  override name = 'ConfigError';
  readonly flag: string;
  constructor(flag: string, message: string, options: DojoErrorOptions = {}) {
    super('DOJO_VALIDATOR_CONFIG', `--${flag.replace(/^--/, '')}: ${message}`, { ...options, details: { flag } });
    this.flag = flag;
  }
}

/** A dataset file, row or remote page cannot be read or has the wrong shape. */
export class DatasetError extends DojoError {
  override name = 'DatasetError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_VALIDATOR_DATASET', message, options);
  }
}

/** A stored request entry is malformed (never retried). */
export class StoreError extends DojoError {
  override name = 'StoreError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_VALIDATOR_STORE', message, options);
  }
}

/** An MTurkResponse failed verification (D12); `reason` is sent back to the miner. */
export class MTurkVerificationError extends DojoError {
  override name = 'MTurkVerificationError';
  readonly reason: string;
  constructor(reason: string, options: DojoErrorOptions = {}) {
    super('DOJO_VALIDATOR_MTURK_VERIFY', reason, { ...options, details: { reason } });
    this.reason = reason;
  }
}

/** The chunking round was aborted by a validator-side failure (embedder transport, missing key); no scores change. */
export class ChunkRoundAbortedError extends DojoError {
  override name = 'ChunkRoundAbortedError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_VALIDATOR_CHUNK_ROUND_ABORTED', message, options);
  }
}
