export { envName, FLAGS, helpText, loadConfig, type ValidatorConfig, type ValidatorSecrets } from './config.js';
export { ChunkRoundAbortedError, ConfigError, DatasetError, MTurkVerificationError, StoreError } from './errors.js';
export { type StoreKeys, storeKeys } from './store/keys.js';
