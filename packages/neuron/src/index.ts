export { allowHotkeys, type BlacklistFn } from './axon/blacklist.js';
export { buildAxon } from './axon/build-axon.js';
export { NonceCache, type NonceCacheOptions } from './axon/nonce-cache.js';
export { PriorityGate } from './axon/priority.js';
export type { Axon, AxonOptions, SynapseHooks } from './axon/types.js';
export {
  assertVerifyLimits,
  createDefaultVerify,
  type DefaultVerifyContext,
  minNonceTtlS,
  type VerifyLimits,
} from './axon/verify.js';
export { isSignatureHex, publicKeyOf, sr25519Ready, verifySr25519 } from './crypto/sr25519.js';
export {
  type AxonTarget,
  Dendrite,
  type DendriteOptions,
  failedVerification,
  isBlacklist,
  isFailure,
  isSuccess,
  isTimeout,
  type QueryOptions,
} from './dendrite/query.js';
export { createNonceClock, signSynapse, wallClockNs } from './dendrite/sign.js';
export {
  AxonBusyError,
  NeuronConfigError,
  NotVerifiedError,
  PriorityTimeoutError,
  UnknownSynapseDefinitionError,
} from './errors.js';
export { createSr25519Signer, type Signer, signerFromMnemonic } from './signer.js';
