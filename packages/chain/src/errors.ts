import { DojoError, type DojoErrorOptions } from '@dojo-ts/protocol';

/** Base class of every `@dojo-ts/chain` error (codes `DOJO_CHAIN_*`). */
export class ChainError extends DojoError {
  override name = 'ChainError';
}

/** The runtime declares a signed extension that carries data and is not in the known table (spec chain.md §4.2). */
export class UnknownSignedExtensionError extends ChainError {
  override name = 'UnknownSignedExtensionError';
  readonly extension: string;
  constructor(extension: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_UNKNOWN_SIGNED_EXTENSION', `UnknownSignedExtension(${extension})`, {
      ...options,
      details: { extension, ...options.details },
    });
    this.extension = extension;
  }
}

/** A network name or endpoint URL that cannot be used. */
export class InvalidNetworkError extends ChainError {
  override name = 'InvalidNetworkError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_INVALID_NETWORK', message, options);
  }
}

/** Connecting to the chain or a chain RPC failed. */
export class ChainConnectionError extends ChainError {
  override name = 'ChainConnectionError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_CONNECTION', message, options);
  }
}

/** Bytes from the chain could not be decoded (truncated or malformed SCALE). */
export class ChainDecodeError extends ChainError {
  override name = 'ChainDecodeError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_DECODE', message, options);
  }
}

/** Invalid weights or uids passed to the weight functions (negative, length mismatch, non-finite). */
export class InvalidWeightsError extends ChainError {
  override name = 'InvalidWeightsError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_INVALID_WEIGHTS', message, options);
  }
}

/** Invalid `serveAxon` parameters (loopback IP, port 0, bad IP type, unparsable address). */
export class InvalidAxonError extends ChainError {
  override name = 'InvalidAxonError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_INVALID_AXON', message, options);
  }
}

/** The hotkey is not registered on the subnet. */
export class NotRegisteredError extends ChainError {
  override name = 'NotRegisteredError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_NOT_REGISTERED', message, options);
  }
}

/** Timelock encryption / decryption failed (bad key, bad ciphertext, wrong round signature). */
export class TimelockError extends ChainError {
  override name = 'TimelockError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_TIMELOCK', message, options);
  }
}

/** A replayed JSON-RPC request is not in the recording (replay provider, tests only). */
export class ReplayMissError extends ChainError {
  override name = 'ReplayMissError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_REPLAY_MISS', message, options);
  }
}

/** The subnet uses a weight-setting scheme Dojo TS does not emit (e.g. old hash commit-reveal). */
export class UnsupportedSubnetError extends ChainError {
  override name = 'UnsupportedSubnetError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_UNSUPPORTED', message, options);
  }
}

/** `serveAxonWithRetry` gave up after its attempts. */
export class ServeAxonFailedError extends ChainError {
  override name = 'ServeAxonFailedError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_SERVE_FAILED', message, options);
  }
}
