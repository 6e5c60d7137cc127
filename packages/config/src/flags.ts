/**
 * Bittensor-style dotted flags (`--axon.port`) with env twins (`DOJO_AXON_PORT`), shared by the miner and the validator.
 * Precedence: flag, then the env twin and its aliases (first non-empty), then the default. No I/O, no process access.
 */
import { Command, CommanderError } from 'commander';
import { FlagValueError } from './errors.js';

/** How a flag's raw text is coerced. */
export type FlagType = 'int' | 'float' | 'string' | 'bool' | 'enum';
/** A resolved flag value (`null` = unset, no default). */
export type FlagValue = string | number | boolean | null;

/** One row of an app's flag table. */
export interface FlagSpec {
  flag: string;
  type: FlagType;
  def: FlagValue;
  help: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** Further env names read after the `DOJO_` twin (bittensor's `BT_*`, the shared `REDIS_URL`). */
  envAliases?: readonly string[];
}

/**
 * App-specific wording. The defaults are the miner's; the validator keeps its historic messages through these knobs.
 */
export interface FlagDialect {
  /** Builds the error thrown for a bad value; default {@link FlagValueError}. */
  makeError?: (where: string, message: string) => Error;
  /** `source`: errors name `--flag` or `ENV_NAME (env)`; `flag`: errors name the bare dotted flag. Default `source`. */
  errorsName?: 'source' | 'flag';
  /** What a bad boolean should have been; default `true or false`. */
  boolExpected?: string;
  /** Whether min/max errors append `, got <n>`; default true. */
  rangeShowsValue?: boolean;
  /** Whether `--help` lists env aliases after the twin (`env DOJO_X | BT_X`); default true. */
  helpListsAliases?: boolean;
  /** `strip-semicolon`: drop a leading `; ` from a help line; `trim`: trim whitespace. Default `strip-semicolon`. */
  helpTidy?: 'strip-semicolon' | 'trim';
}

/** Raw option values as commander hands them over. */
export type RawOptions = Readonly<Record<string, string | boolean | undefined>>;
/** An environment map such as `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Maps a dotted flag to its env twin.
 *
 * @param flag - dotted flag name without dashes, e.g. `axon.port`.
 * @returns the env twin, e.g. `DOJO_AXON_PORT`.
 */
export function envName(flag: string): string {
  return `DOJO_${flag.replace(/[.]/g, '_').toUpperCase()}`;
}

/**
 * Lists the env names a flag is read from, in precedence order.
 *
 * @param spec - the flag's table row.
 * @returns the env twin followed by the aliases.
 */
export function envNames(spec: FlagSpec): string[] {
  return [envName(spec.flag), ...(spec.envAliases ?? [])];
}

/**
 * Coerces one raw value to the flag's type and checks its choices and bounds.
 *
 * @param spec - the flag's table row.
 * @param raw - text from argv or env (`true` for a bare boolean flag).
 * @param source - `flag` for argv, else the env name the value came from.
 * @param dialect - app wording of the errors.
 * @returns the typed value.
 * @throws the dialect's error (default FlagValueError) naming the flag or env var and the problem.
 */
export function coerceFlag(
  spec: FlagSpec,
  raw: string | boolean,
  source: string,
  dialect: FlagDialect = {},
): string | number | boolean {
  const where = dialect.errorsName === 'flag' ? spec.flag : source === 'flag' ? `--${spec.flag}` : `${source} (env)`;
  const fail = (message: string): Error =>
    dialect.makeError ? dialect.makeError(where, message) : new FlagValueError(where, message);
  if (spec.type === 'bool') {
    if (typeof raw === 'boolean') return raw;
    if (/^(1|true|yes)$/i.test(raw)) return true;
    if (/^(0|false|no)$/i.test(raw)) return false;
    throw fail(`expected ${dialect.boolExpected ?? 'true or false'}, got '${raw}'`);
  }
  const text = String(raw);
  if (spec.type === 'int' || spec.type === 'float') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || (spec.type === 'int' && !Number.isInteger(n))) {
      throw fail(`expected ${spec.type === 'int' ? 'an integer' : 'a number'}, got '${text}'`);
    }
    const got = dialect.rangeShowsValue === false ? '' : `, got ${n}`;
    if (spec.min !== undefined && n < spec.min) throw fail(`must be >= ${spec.min}${got}`);
    if (spec.max !== undefined && n > spec.max) throw fail(`must be <= ${spec.max}${got}`);
    return n;
  }
  if (spec.type === 'enum' && !spec.choices?.includes(text)) {
    throw fail(`must be one of ${spec.choices?.join(', ')}, got '${text}'`);
  }
  return text;
}

/**
 * Resolves every flag of a table: flag, then the first non-empty env twin or alias, then the default.
 *
 * @param specs - the app's flag table.
 * @param opts - parsed argv options keyed by dotted flag (commander's `opts()`).
 * @param env - environment.
 * @param dialect - app wording of the errors.
 * @returns every flag's typed value keyed by its dotted name.
 * @throws the dialect's error (default FlagValueError) for the first value that does not validate.
 */
export function resolveFlags(
  specs: readonly FlagSpec[],
  opts: RawOptions,
  env: Env,
  dialect: FlagDialect = {},
): Record<string, FlagValue> {
  const out: Record<string, FlagValue> = {};
  for (const spec of specs) {
    const fromFlag = opts[spec.flag];
    const envKey = envNames(spec).find((k) => env[k] !== undefined && env[k] !== '');
    if (fromFlag !== undefined) out[spec.flag] = coerceFlag(spec, fromFlag, 'flag', dialect);
    else if (envKey !== undefined) out[spec.flag] = coerceFlag(spec, env[envKey] as string, envKey, dialect);
    else out[spec.flag] = spec.def;
  }
  return out;
}

/**
 * Formats one flag's `--help` line: help, choices, default and env names.
 *
 * @param spec - the flag's table row.
 * @param dialect - app help conventions.
 * @returns the description commander prints beside the flag.
 */
export function flagHelp(spec: FlagSpec, dialect: FlagDialect = {}): string {
  const def = spec.def === null ? '' : ` (default ${String(spec.def)})`;
  const choices = spec.choices ? ` [${spec.choices.join('|')}]` : '';
  const envs = dialect.helpListsAliases === false ? [envName(spec.flag)] : envNames(spec);
  const line = `${spec.help}${choices}${def}; env ${envs.join(' | ')}`;
  return dialect.helpTidy === 'trim' ? line.trim() : line.replace(/^; /, '');
}

/** What {@link buildProgram} needs. */
export interface ProgramOptions {
  name: string;
  description: string;
  flags: readonly FlagSpec[];
  dialect?: FlagDialect;
}

/**
 * Builds a silent commander program for a flag table: throws instead of exiting, no built-in help, no extra arguments.
 *
 * @param options - program name, description, flag table and help conventions.
 * @returns the program, ready for `parse(argv, {from: 'user'})` or `helpInformation()`.
 */
export function buildProgram(options: ProgramOptions): Command {
  const program = new Command(options.name)
    .description(options.description)
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} })
    .helpOption(false)
    .allowExcessArguments(false);
  for (const spec of options.flags) {
    program.option(spec.type === 'bool' ? `--${spec.flag}` : `--${spec.flag} <value>`, flagHelp(spec, options.dialect));
  }
  return program;
}

/**
 * Builds the `--help` text: every flag with its default and env names, then a trailing line.
 *
 * @param options - program name, description, flag table and help conventions.
 * @param footer - e.g. the env-only secrets line, printed after a blank line.
 * @returns the help text, ending in a newline.
 */
export function helpText(options: ProgramOptions, footer: string): string {
  return `${buildProgram(options).helpInformation()}\n${footer}\n`;
}

/**
 * Parses argv (without node and script) with a program from {@link buildProgram}.
 *
 * @param program - the program.
 * @param argv - command-line arguments.
 * @returns raw option values keyed by dotted flag.
 * @throws CommanderError for an unknown flag, a missing value or an excess argument (see {@link commanderMessage}).
 */
export function parseArgv(program: Command, argv: readonly string[]): RawOptions {
  program.parse([...argv], { from: 'user' });
  return program.opts<Record<string, string | boolean | undefined>>();
}

/**
 * Turns a parse failure into a message without commander's `error: ` prefix.
 *
 * @param err - what {@link parseArgv} threw.
 * @returns the message.
 */
export function commanderMessage(err: unknown): string {
  return err instanceof CommanderError ? err.message.replace(/^error: /, '') : String(err);
}

/**
 * Tells whether argv asks for the help text (`--help` or `-h` anywhere).
 *
 * @param argv - command-line arguments.
 * @returns true when the app should print {@link helpText} and exit.
 */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * Parses argv and resolves every flag of the program's table (flag, env twin/aliases, default).
 *
 * @param options - program name, description, flag table and dialect.
 * @param argv - command-line arguments (without node and script).
 * @param env - environment.
 * @param argvError - builds the error for an argv the parser refuses, from the message without `error: `.
 * @returns every flag's typed value keyed by its dotted name.
 * @throws argvError's error for an unknown flag, a missing value or an excess argument; the dialect's error for a bad value.
 */
export function readFlags(
  options: ProgramOptions,
  argv: readonly string[],
  env: Env,
  argvError: (message: string, cause: unknown) => Error,
): Record<string, FlagValue> {
  let opts: RawOptions;
  try {
    opts = parseArgv(buildProgram(options), argv);
  } catch (err) {
    throw argvError(commanderMessage(err), err);
  }
  return resolveFlags(options.flags, opts, env, options.dialect);
}

/**
 * Reads an env-only secret.
 *
 * @param env - environment.
 * @param name - variable name, e.g. `HF_TOKEN`.
 * @returns the value, or null when unset or empty.
 */
export function readSecret(env: Env, name: string): string | null {
  const v = env[name];
  return v === undefined || v === '' ? null : v;
}
