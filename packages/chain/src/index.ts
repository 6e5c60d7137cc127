export type {
  AxonInfo,
  Beacon,
  Chain,
  ChainEvent,
  ChainSigner,
  Hyperparams,
  Metagraph,
  NeuronLite,
  PrometheusInfo,
  ServeAxonParams,
  TxError,
  TxResult,
} from './chain.js';
export {
  type CreateApiOptions,
  createSubtensorApi,
  NETWORK_ENDPOINTS,
  type ResolvedNetwork,
  resolveNetwork,
} from './connect.js';
export {
  ChainConnectionError,
  ChainDecodeError,
  ChainError,
  InvalidAxonError,
  InvalidNetworkError,
  InvalidWeightsError,
  NotRegisteredError,
  ReplayMissError,
  ServeAxonFailedError,
  TimelockError,
  UnknownSignedExtensionError,
  UnsupportedSubnetError,
} from './errors.js';
export {
  applyGenesis,
  decodeWeightsTlockPayload,
  type Genesis,
  type GenesisNeuron,
  LOCAL_SUBNET_DEFAULTS,
  LocalChain,
  LocalChainError,
  type LocalChainOptions,
  type LocalSubnetParams,
  type RegisterNeuronParams,
  readGenesis,
  type WeightsTlockPayload,
} from './local-chain/index.js';
export { buildMetagraph, type SubnetStakes } from './metagraph/build-metagraph.js';
export { decodeNeuronsLite } from './metagraph/decode-neurons-lite.js';
export { ipFromString, ipToString } from './metagraph/ip.js';
export { ss58Encode } from './metagraph/ss58.js';
export { readSubnetStakes } from './metagraph/subnet-state.js';
export {
  FINNEY_GENESIS_HASH,
  loadSubtensorFixtures,
  type SubtensorFixtures,
  startupExchanges,
} from './replay/fixtures.js';
export { type RecordedAnswer, type RecordedExchanges, ReplayProvider, replayKey } from './replay/replay-provider.js';
export { type ValidatedAxon, validateServeAxon } from './subtensor/serve-axon.js';
export { type ServeRetryOptions, serveAxonWithRetry } from './subtensor/serve-with-retry.js';
export {
  declaredExtensions,
  KNOWN_SUBTENSOR_EXTENSIONS,
  subtensorSignedExtensions,
} from './subtensor/signed-extensions.js';
export { SubtensorChain, type SubtensorChainOptions } from './subtensor/subtensor-chain.js';
export { poolErrorFromRpc, txResultFromEvents } from './subtensor/tx-result.js';
export {
  buildTimelockedCommit,
  encodeWeightsTlockPayload,
  QUICKNET_BEACON,
  type RevealRoundInput,
  revealRound,
  SECURITY_BLOCK_OFFSET,
  type TimelockedCommit,
} from './timelock/commit.js';
export {
  localBeaconKeypair,
  parseTimelockCiphertext,
  QUICKNET,
  QUICKNET_DST,
  type RandomBytes,
  roundMessage,
  signRound,
  type TleCiphertext,
  timelockDecrypt,
  timelockEncrypt,
  verifyRoundSignature,
} from './timelock/timelock.js';
export {
  addressOfKeyfile,
  type CreatedKey,
  type CreateKeyOptions,
  coldkeyPasswordFromEnv,
  createColdkey,
  createHotkey,
  createWallet,
  decryptKeyfileData,
  encryptKeyfileData,
  type FullKeyfileData,
  type KeyfileData,
  KeyfileDecryptError,
  type KeyfileEncryption,
  KeyfileExistsError,
  KeyfileFormatError,
  KeyfileNotFoundError,
  keyfileDataFromMnemonic,
  keyfileEncryption,
  keyringPairFromKeyfile,
  listWallets,
  loadColdkeyPair,
  loadColdkeyPub,
  loadHotkeyAddress,
  loadHotkeyPair,
  PasswordRequiredError,
  parseKeyfileJson,
  readKeyfile,
  resolveWalletRoot,
  SS58_PREFIX,
  UnsupportedLegacyKeyfileError,
  WalletKeyMismatchError,
  type WalletLocation,
  type WalletPaths,
  type WalletSummary,
  walletPaths,
} from './wallet/index.js';
export {
  convertWeightsAndUidsForEmit,
  normalizeMaxWeight,
  processWeightsForNetuid,
  quantileLinear,
  roundHalfEven,
  U16_MAX,
} from './weights/process-weights.js';
