export { LocalChainError } from './errors.js';
export { applyGenesis, type Genesis, type GenesisNeuron, readGenesis } from './genesis.js';
export { LocalChain, type LocalChainOptions, type RegisterNeuronParams } from './local-chain.js';
export { LOCAL_SUBNET_DEFAULTS, type LocalSubnetParams } from './params.js';
export { decodeWeightsTlockPayload, type WeightsTlockPayload } from './tlock-payload.js';
