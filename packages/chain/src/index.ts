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
  ChainConnectionError,
  ChainDecodeError,
  ChainError,
  InvalidAxonError,
  InvalidNetworkError,
  InvalidWeightsError,
  NotRegisteredError,
  ReplayMissError,
  TimelockError,
  UnknownSignedExtensionError,
  UnsupportedSubnetError,
} from './errors.js';
export { buildMetagraph, type SubnetStakes } from './metagraph/build-metagraph.js';
export { ipFromString, ipToString } from './metagraph/ip.js';
