import { Command, InvalidArgumentError } from 'commander';
import { createColdkey, createHotkey } from '../wallet/create-wallet.js';
import { PasswordRequiredError } from '../wallet/errors.js';
import { keyfileEncryption } from '../wallet/keyfile-crypto.js';
import { listWallets } from '../wallet/list-wallets.js';
import { loadColdkeyPub, loadHotkeyAddress, readKeyfile } from '../wallet/load-wallet.js';
import { type WalletLocation, walletPaths } from '../wallet/wallet-paths.js';
import { promptHidden } from './prompt.js';

/** What the wallet commands need from the outside world; tests inject them. */
export interface WalletCommandDeps {
  write?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  prompt?: (question: string) => Promise<string>;
}

interface LocationOpts {
  'wallet.name'?: string;
  'wallet.hotkey'?: string;
  'wallet.path'?: string;
}

function location(o: LocationOpts): WalletLocation {
  return { name: o['wallet.name'], hotkey: o['wallet.hotkey'], walletPath: o['wallet.path'] };
}

function words(value: string): 12 | 15 | 18 | 21 | 24 {
  const n = Number(value);
  if (![12, 15, 18, 21, 24].includes(n)) throw new InvalidArgumentError('must be 12, 15, 18, 21 or 24');
  return n as 12 | 15 | 18 | 21 | 24;
}

function withLocation(cmd: Command, hotkey: boolean): Command {
  cmd
    .option('--wallet.name <name>', 'wallet (coldkey) name', 'default')
    .option('--wallet.path <dir>', 'wallets root (default $BT_WALLET_PATH or ~/.bittensor/wallets)');
  if (hotkey) cmd.option('--wallet.hotkey <name>', 'hotkey name', 'default');
  return cmd;
}

function fromEnv(env: NodeJS.ProcessEnv, variable: string | undefined, what: string): string | undefined {
  if (variable === undefined) return undefined;
  const value = env[variable];
  if (value === undefined || value === '')
    throw new PasswordRequiredError(`${what} variable ${variable} is empty or unset`);
  return value;
}

const MNEMONIC_NOTE =
  'The mnemonic is stored in the key file only; pass --show-mnemonic to print it once for a paper backup.\n';

/**
 * The `dojo-ts wallet` command group: `new-coldkey`, `new-hotkey`, `list`, `show`. Secrets are never printed unless
 * `--show-mnemonic` asks for the new mnemonic; passwords come from a hidden prompt or `--password-env VAR`.
 * @param deps - output, environment and prompt (defaults: stdout, process.env, hidden TTY prompt).
 * @returns the commander command.
 */
export function walletCommand(deps: WalletCommandDeps = {}): Command {
  const write = deps.write ?? ((t: string) => process.stdout.write(t));
  const env = deps.env ?? process.env;
  const prompt = deps.prompt ?? promptHidden;
  const wallet = new Command('wallet').description('create and inspect btcli-compatible wallets');

  withLocation(
    wallet.command('new-coldkey').description('create a coldkey ($NACL-encrypted) and coldkeypub.txt'),
    false,
  )
    .option('--n-words <n>', 'mnemonic length', words, 12)
    .option('--password-env <VAR>', 'read the encryption password from this environment variable')
    .option('--no-password', 'write the coldkey unencrypted (not recommended)')
    .option('--mnemonic-env <VAR>', 'regenerate from the mnemonic in this environment variable')
    .option('--overwrite', 'replace an existing coldkey', false)
    .option('--show-mnemonic', 'print the new mnemonic once', false)
    .action(async (o: LocationOpts & Record<string, unknown>) => {
      let password: string | null = null;
      if (o.password !== false) {
        password = fromEnv(env, o.passwordEnv as string | undefined, 'password') ?? null;
        if (password === null) {
          password = await prompt('Coldkey password: ');
          if ((await prompt('Retype password: ')) !== password) throw new PasswordRequiredError('passwords differ');
        }
        if (password.length === 0) throw new PasswordRequiredError('an empty password is not allowed');
      }
      const made = await createColdkey(
        {
          ...location(o),
          words: o.nWords as 12,
          overwrite: o.overwrite === true,
          mnemonic: fromEnv(env, o.mnemonicEnv as string | undefined, 'mnemonic'),
        },
        password,
      );
      write(`coldkey ${made.ss58Address}\n${made.paths.map((p) => `  wrote ${p}\n`).join('')}`);
      write(
        password === null
          ? 'WARNING: the coldkey is not encrypted.\n'
          : 'encrypted with $NACL (Argon2i + XSalsa20-Poly1305)\n',
      );
      write(o.showMnemonic ? `mnemonic (write it down, never share it): ${made.mnemonic}\n` : MNEMONIC_NOTE);
    });

  withLocation(wallet.command('new-hotkey').description('create a plaintext hotkey (btcli default)'), true)
    .option('--n-words <n>', 'mnemonic length', words, 12)
    .option('--mnemonic-env <VAR>', 'regenerate from the mnemonic in this environment variable')
    .option('--overwrite', 'replace an existing hotkey', false)
    .option('--show-mnemonic', 'print the new mnemonic once', false)
    .action(async (o: LocationOpts & Record<string, unknown>) => {
      const made = await createHotkey({
        ...location(o),
        words: o.nWords as 12,
        overwrite: o.overwrite === true,
        mnemonic: fromEnv(env, o.mnemonicEnv as string | undefined, 'mnemonic'),
      });
      write(`hotkey ${made.ss58Address}\n${made.paths.map((p) => `  wrote ${p}\n`).join('')}`);
      write(o.showMnemonic ? `mnemonic (write it down, never share it): ${made.mnemonic}\n` : MNEMONIC_NOTE);
    });

  wallet
    .command('list')
    .description('list wallets and hotkeys with their public addresses')
    .option('--wallet.path <dir>', 'wallets root (default $BT_WALLET_PATH or ~/.bittensor/wallets)')
    .option('--json', 'print JSON', false)
    .action(async (o: LocationOpts & { json: boolean }) => {
      const wallets = await listWallets(o['wallet.path']);
      if (o.json) return write(`${JSON.stringify(wallets, null, 2)}\n`);
      if (wallets.length === 0) return write('no wallets\n');
      for (const w of wallets) {
        write(
          `${w.name}  coldkey ${w.coldkeyAddress ?? '(no coldkeypub.txt)'}  [${w.coldkeyEncryption ?? 'no coldkey'}]\n`,
        );
        for (const h of w.hotkeys) write(`  └─ ${h.name}  ${h.address ?? '(unreadable)'}\n`);
      }
    });

  withLocation(wallet.command('show').description("show a wallet's public addresses and files"), true)
    .option('--json', 'print JSON', false)
    .action(async (o: LocationOpts & { json: boolean }) => {
      const loc = location(o);
      const paths = walletPaths(loc, env);
      const coldkey = await loadColdkeyPub(loc).catch(() => null);
      const hotkey = await loadHotkeyAddress(loc).catch(() => null);
      const encryption = await readKeyfile(paths.coldkey).then(keyfileEncryption, () => null);
      const info = { name: loc.name, hotkeyName: loc.hotkey, coldkey, hotkey, coldkeyEncryption: encryption, paths };
      if (o.json) return write(`${JSON.stringify(info, null, 2)}\n`);
      write(`wallet ${loc.name} (${paths.dir})\n`);
      write(`  coldkey  ${coldkey ?? '(missing)'}  [${encryption ?? 'no coldkey file'}]\n`);
      write(`  hotkey   ${loc.hotkey}  ${hotkey ?? '(missing)'}\n`);
    });
  return wallet;
}
