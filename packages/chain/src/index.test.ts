import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public exports', () => {
  it('exports exactly the documented runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'ChainConnectionError',
        'ChainDecodeError',
        'ChainError',
        'InvalidAxonError',
        'InvalidNetworkError',
        'InvalidWeightsError',
        'NotRegisteredError',
        'ReplayMissError',
        'TimelockError',
        'UnknownSignedExtensionError',
        'UnsupportedSubnetError',
        'buildMetagraph',
        'ipFromString',
        'ipToString',
        // wallets
        'addressOfKeyfile',
        'coldkeyPasswordFromEnv',
        'createColdkey',
        'createHotkey',
        'createWallet',
        'decryptKeyfileData',
        'encryptKeyfileData',
        'KeyfileDecryptError',
        'keyfileDataFromMnemonic',
        'keyfileEncryption',
        'KeyfileExistsError',
        'KeyfileFormatError',
        'KeyfileNotFoundError',
        'keyringPairFromKeyfile',
        'listWallets',
        'loadColdkeyPair',
        'loadColdkeyPub',
        'loadHotkeyAddress',
        'loadHotkeyPair',
        'parseKeyfileJson',
        'PasswordRequiredError',
        'readKeyfile',
        'resolveWalletRoot',
        'SS58_PREFIX',
        'UnsupportedLegacyKeyfileError',
        'WalletKeyMismatchError',
        'walletPaths',
      ].sort(),
    );
  });
});
