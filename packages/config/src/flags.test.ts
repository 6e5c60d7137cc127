import { DojoError } from '@dojo-ts/protocol';
import { describe, expect, it } from 'vitest';
import { FlagValueError } from './errors.js';
import {
  buildProgram,
  coerceFlag,
  commanderMessage,
  envName,
  envNames,
  type FlagDialect,
  type FlagSpec,
  flagHelp,
  helpText,
  parseArgv,
  readFlags,
  readSecret,
  resolveFlags,
  wantsHelp,
} from './flags.js';

const FLAGS: readonly FlagSpec[] = [
  { flag: 'axon.port', type: 'int', def: 9599, min: 1, max: 65535, help: 'axon port', envAliases: ['BT_AXON_PORT'] },
  { flag: 'audit.fraction', type: 'float', def: 0.1, min: 0, max: 1, help: 'share re-scored' },
  { flag: 'hf.offline', type: 'bool', def: false, help: 'local files only' },
  { flag: 'logging.level', type: 'enum', def: 'info', choices: ['debug', 'info'], help: '' },
  { flag: 'seed', type: 'string', def: null, help: '' },
];
const spec = (flag: string): FlagSpec => FLAGS.find((s) => s.flag === flag) as FlagSpec;
const program = { name: 'demo', description: 'demo program', flags: FLAGS };

class AppError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
  }
}
const VALIDATOR_STYLE: FlagDialect = {
  makeError: (where, message) => new AppError(where, message),
  errorsName: 'flag',
  boolExpected: 'a boolean',
  rangeShowsValue: false,
  helpListsAliases: false,
  helpTidy: 'trim',
};

describe('envName', () => {
  it('maps a dotted flag to its DOJO_ twin', () => {
    expect(envName('neuron.sample_size')).toBe('DOJO_NEURON_SAMPLE_SIZE');
    expect(envNames(spec('axon.port'))).toEqual(['DOJO_AXON_PORT', 'BT_AXON_PORT']);
  });
});

describe('resolveFlags precedence', () => {
  it('takes the flag over the env twin over the alias over the default', () => {
    const env = { DOJO_AXON_PORT: '2000', BT_AXON_PORT: '3000' };
    expect(resolveFlags(FLAGS, { 'axon.port': '1000' }, env)['axon.port']).toBe(1000);
    expect(resolveFlags(FLAGS, {}, env)['axon.port']).toBe(2000);
    expect(resolveFlags(FLAGS, {}, { BT_AXON_PORT: '3000' })['axon.port']).toBe(3000);
    expect(resolveFlags(FLAGS, {}, {})['axon.port']).toBe(9599);
  });

  it('treats an empty env value as unset and falls through to the next name', () => {
    expect(resolveFlags(FLAGS, {}, { DOJO_AXON_PORT: '', BT_AXON_PORT: '3000' })['axon.port']).toBe(3000);
    expect(resolveFlags(FLAGS, {}, { DOJO_SEED: '' }).seed).toBeNull();
  });

  it('returns every flag, defaults included', () => {
    expect(resolveFlags(FLAGS, { 'hf.offline': true }, {})).toEqual({
      'axon.port': 9599,
      'audit.fraction': 0.1,
      'hf.offline': true,
      'logging.level': 'info',
      seed: null,
    });
  });
});

describe('coerceFlag errors name the flag', () => {
  it('names --flag for argv values and the env var for env values', () => {
    expect(() => coerceFlag(spec('axon.port'), 'x', 'flag')).toThrow("--axon.port: expected an integer, got 'x'");
    expect(() => resolveFlags(FLAGS, {}, { BT_AXON_PORT: '1.5' })).toThrow(
      "BT_AXON_PORT (env): expected an integer, got '1.5'",
    );
  });

  it('throws FlagValueError (a DojoError) by default', () => {
    const err = (() => {
      try {
        coerceFlag(spec('audit.fraction'), '2', 'flag');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FlagValueError);
    expect(err).toBeInstanceOf(DojoError);
    expect((err as FlagValueError).code).toBe('DOJO_CONFIG_FLAG_VALUE');
    expect((err as FlagValueError).message).toBe('--audit.fraction: must be <= 1, got 2');
  });

  it('rejects bad booleans, numbers, bounds and choices', () => {
    expect(coerceFlag(spec('hf.offline'), 'YES', 'flag')).toBe(true);
    expect(coerceFlag(spec('hf.offline'), '0', 'flag')).toBe(false);
    expect(() => coerceFlag(spec('hf.offline'), 'maybe', 'flag')).toThrow(
      "--hf.offline: expected true or false, got 'maybe'",
    );
    expect(() => coerceFlag(spec('audit.fraction'), ' ', 'flag')).toThrow("expected a number, got ' '");
    expect(() => coerceFlag(spec('audit.fraction'), 'Infinity', 'flag')).toThrow('expected a number');
    expect(() => coerceFlag(spec('axon.port'), '0', 'flag')).toThrow('--axon.port: must be >= 1, got 0');
    expect(() => coerceFlag(spec('logging.level'), 'loud', 'flag')).toThrow(
      "--logging.level: must be one of debug, info, got 'loud'",
    );
  });

  it('uses the dialect wording and error factory', () => {
    const d = VALIDATOR_STYLE;
    expect(() => coerceFlag(spec('hf.offline'), 'maybe', 'DOJO_HF_OFFLINE', d)).toThrow(
      "hf.offline: expected a boolean, got 'maybe'",
    );
    expect(() => coerceFlag(spec('axon.port'), '70000', 'flag', d)).toThrow(AppError);
    expect(() => coerceFlag(spec('axon.port'), '70000', 'flag', d)).toThrow(/^axon\.port: must be <= 65535$/);
  });
});

describe('help text', () => {
  it('lists help, choices, default and env names for each flag', () => {
    expect(flagHelp(spec('axon.port'))).toBe('axon port (default 9599); env DOJO_AXON_PORT | BT_AXON_PORT');
    expect(flagHelp(spec('logging.level'))).toBe(' [debug|info] (default info); env DOJO_LOGGING_LEVEL');
    expect(flagHelp(spec('seed'))).toBe('env DOJO_SEED');
  });

  it('follows the dialect: twin only, trimmed', () => {
    expect(flagHelp(spec('axon.port'), VALIDATOR_STYLE)).toBe('axon port (default 9599); env DOJO_AXON_PORT');
    expect(flagHelp(spec('logging.level'), VALIDATOR_STYLE)).toBe(
      '[debug|info] (default info); env DOJO_LOGGING_LEVEL',
    );
    expect(flagHelp(spec('seed'), VALIDATOR_STYLE)).toBe('; env DOJO_SEED');
  });

  it('prints the usage, every flag and the footer', () => {
    const text = helpText(program, 'Secrets (env only): X_TOKEN');
    expect(text.startsWith('Usage: demo [options]\n\ndemo program\n')).toBe(true);
    expect(text).toContain('--axon.port <value>');
    expect(text).toContain('--hf.offline ');
    expect(text).not.toContain('--hf.offline <value>');
    expect(text).not.toContain('--help');
    expect(text.endsWith('\n\nSecrets (env only): X_TOKEN\n')).toBe(true);
  });
});

describe('parseArgv', () => {
  it('returns raw option values keyed by dotted flag', () => {
    expect(parseArgv(buildProgram(program), ['--axon.port', '80', '--hf.offline'])).toEqual({
      'axon.port': '80',
      'hf.offline': true,
    });
  });

  it('throws instead of exiting on an unknown flag or an extra argument', () => {
    for (const argv of [['--nope'], ['extra'], ['--axon.port']]) {
      let caught: unknown;
      try {
        parseArgv(buildProgram(program), argv);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeDefined();
      expect(commanderMessage(caught)).not.toMatch(/^error: /);
    }
    expect(commanderMessage(new Error('x'))).toBe('Error: x');
  });
});

describe('readFlags', () => {
  it('parses argv and resolves env and defaults in one step', () => {
    const flags = readFlags(program, ['--hf.offline'], { DOJO_AXON_PORT: '9600' }, (m) => new Error(m));
    expect(flags).toMatchObject({ 'axon.port': 9600, 'hf.offline': true, seed: null });
  });

  it('hands a refused argv to the caller with the cause', () => {
    const argvError = (message: string, cause: unknown): Error =>
      new AppError('argv', `${message} (cause ${typeof cause})`);
    expect(() => readFlags(program, ['--nope'], {}, argvError)).toThrow(
      /^argv: unknown option '--nope' \(cause object\)$/,
    );
  });

  it('applies the program dialect to value errors', () => {
    const p = { ...program, dialect: VALIDATOR_STYLE };
    expect(() => readFlags(p, [], { DOJO_HF_OFFLINE: 'maybe' }, (m) => new Error(m))).toThrow(
      "hf.offline: expected a boolean, got 'maybe'",
    );
  });
});

describe('wantsHelp and readSecret', () => {
  it('spots --help or -h anywhere in argv', () => {
    expect(wantsHelp(['--axon.port', '1', '-h'])).toBe(true);
    expect(wantsHelp(['--help'])).toBe(true);
    expect(wantsHelp(['--axon.port', '1'])).toBe(false);
  });

  it('treats an empty secret as unset', () => {
    expect(readSecret({ HF_TOKEN: 'abc' }, 'HF_TOKEN')).toBe('abc');
    expect(readSecret({ HF_TOKEN: '' }, 'HF_TOKEN')).toBeNull();
    expect(readSecret({}, 'HF_TOKEN')).toBeNull();
  });
});
