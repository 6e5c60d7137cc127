import { PasswordRequiredError } from '../wallet/errors.js';

/**
 * Reads a line from the terminal without echoing it (for passwords).
 * @param question - prompt text, written to stderr.
 * @param input - a TTY stream (default stdin).
 * @returns the typed text.
 * @throws {PasswordRequiredError} when `input` is not a terminal, or on Ctrl-C.
 */
export function promptHidden(question: string, input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (!input.isTTY) {
    return Promise.reject(
      new PasswordRequiredError(
        'no terminal to ask for a password: pass --password-env <VAR> with the password in VAR',
      ),
    );
  }
  process.stderr.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = () => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(text);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new PasswordRequiredError('password entry cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    input.on('data', onData);
  });
}
