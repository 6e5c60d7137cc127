export { type CreatedKey, type CreateKeyOptions, createColdkey, createHotkey, createWallet } from './create-wallet.js';
export {
  KeyfileDecryptError,
  KeyfileExistsError,
  KeyfileFormatError,
  KeyfileNotFoundError,
  PasswordRequiredError,
  UnsupportedLegacyKeyfileError,
  WalletKeyMismatchError,
} from './errors.js';
export { decryptKeyfileData, encryptKeyfileData, type KeyfileEncryption, keyfileEncryption } from './keyfile-crypto.js';
export {
  addressOfKeyfile,
  type FullKeyfileData,
  type KeyfileData,
  keyfileDataFromMnemonic,
  keyringPairFromKeyfile,
  parseKeyfileJson,
  SS58_PREFIX,
} from './keypair-json.js';
export { listWallets, type WalletSummary } from './list-wallets.js';
export { loadColdkeyPair, loadColdkeyPub, loadHotkeyAddress, loadHotkeyPair, readKeyfile } from './load-wallet.js';
export { coldkeyPasswordFromEnv } from './password-env.js';
export { resolveWalletRoot, type WalletLocation, type WalletPaths, walletPaths } from './wallet-paths.js';
