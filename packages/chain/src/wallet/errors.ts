import type { DojoErrorOptions } from '@dojo-ts/protocol';
import { ChainError } from '../errors.js';

/** A keyfile is missing (wrong `--wallet.path`, `--wallet.name` or `--wallet.hotkey`). */
export class KeyfileNotFoundError extends ChainError {
  override name = 'KeyfileNotFoundError';
  constructor(path: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_WALLET_NOT_FOUND', `keyfile not found: ${path}`, {
      ...options,
      details: { path, ...options.details },
    });
  }
}

/** A keyfile does not hold a usable keypair JSON (or public key text). */
export class KeyfileFormatError extends ChainError {
  override name = 'KeyfileFormatError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_WALLET_BAD_KEYFILE', message, options);
  }
}

/** A `$NACL` keyfile did not decrypt: wrong password or corrupted file. */
export class KeyfileDecryptError extends ChainError {
  override name = 'KeyfileDecryptError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_WALLET_DECRYPT', message, options);
  }
}

/** An Ansible-Vault or legacy Fernet keyfile (pre-2023 btcli); re-encrypt it with a current btcli first (§12.4). */
export class UnsupportedLegacyKeyfileError extends ChainError {
  override name = 'UnsupportedLegacyKeyfileError';
  readonly format: 'ansible-vault' | 'fernet';
  constructor(format: 'ansible-vault' | 'fernet', options: DojoErrorOptions = {}) {
    super(
      'DOJO_CHAIN_WALLET_LEGACY_KEYFILE',
      `UnsupportedLegacyKeyfile: ${format} keyfiles are not supported; re-encrypt it with a current btcli (\`btcli wallet update\`) to the $NACL format`,
      { ...options, details: { format, ...options.details } },
    );
    this.format = format;
  }
}

/** The address derived from a keyfile's secret differs from the file's `ss58Address` (§12.2 `WalletKeyMismatch`). */
export class WalletKeyMismatchError extends ChainError {
  override name = 'WalletKeyMismatchError';
  constructor(expected: string, derived: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_WALLET_KEY_MISMATCH', `WalletKeyMismatch: file says ${expected}, secret derives ${derived}`, {
      ...options,
      details: { expected, derived, ...options.details },
    });
  }
}

/** Refused to overwrite an existing keyfile (pass `overwrite: true` / `--overwrite`). */
export class KeyfileExistsError extends ChainError {
  override name = 'KeyfileExistsError';
  constructor(path: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_WALLET_EXISTS', `keyfile already exists: ${path}`, {
      ...options,
      details: { path, ...options.details },
    });
  }
}

/** No password available for an encrypted keyfile (no prompt possible and no password env var). */
export class PasswordRequiredError extends ChainError {
  override name = 'PasswordRequiredError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CHAIN_WALLET_PASSWORD_REQUIRED', message, options);
  }
}
