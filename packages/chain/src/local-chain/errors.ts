import type { DojoErrorOptions } from '@dojo-ts/protocol';
import { ChainError } from '../errors.js';

/** A LocalChain admin call or option that cannot be applied (unknown subnet, full subnet, bad option). */
export class LocalChainError extends ChainError {
  override name = 'LocalChainError';
  /** Short reason: `SubnetNotFound`, `SubnetFull`, `NotRegistered`, `InvalidOption`, `InvalidGenesis`. */
  readonly reason: string;
  constructor(reason: string, message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_LOCAL', message, { ...options, details: { reason, ...options.details } });
    this.reason = reason;
  }
}
