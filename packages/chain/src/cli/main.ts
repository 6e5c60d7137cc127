/**
 * `dojo-ts` command line: `wallet new-coldkey | new-hotkey | list | show`, `chain metagraph` and
 * `localchain create-subnet | register | status`.
 * Run from source by bin/dojo-ts.js; the only place the CLI reads argv and sets the exit code.
 */
import { DojoError } from '@dojo-ts/protocol';
import { Command } from 'commander';

const program = new Command('dojo-ts')
  .description('Dojo TS tools: btcli-compatible wallets and chain inspection')
  .showHelpAfterError();
// Load only the group that runs: `chain` pulls in @polkadot/api, which wallet commands do not need.
const group = process.argv[2];
if (group === undefined || group === 'wallet' || group.startsWith('-') || group === 'help') {
  program.addCommand((await import('./wallet-command.js')).walletCommand());
}
if (group === undefined || group === 'chain' || group.startsWith('-') || group === 'help') {
  program.addCommand((await import('./chain-command.js')).chainCommand());
}
if (group === undefined || group === 'localchain' || group.startsWith('-') || group === 'help') {
  program.addCommand((await import('./localchain-command.js')).localchainCommand());
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Coded errors are expected user mistakes: print the message, not a stack trace.
  process.stderr.write(`error: ${err instanceof DojoError ? `${err.message} (${err.code})` : String(err)}\n`);
  process.exitCode = 1;
}
