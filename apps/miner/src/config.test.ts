import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HF_MODEL,
  DEFAULT_LLM_MODEL,
  FLAGS,
  helpText,
  loadConfig,
  type MinerConfig,
  redactedConfig,
} from './config.js';
import { ConfigError } from './errors.js';

const MTURK_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_KEY: 'very-secret-aws-key',
  AWS_SNS_ARN_ID: 'arn:aws:sns:us-east-1:123456789012:mturk_sns_topic',
  DOJO_CALLBACK_SECRET: 'a-callback-secret-of-32-chars-xx',
};

function load(argv: string[], env: Record<string, string> = {}): MinerConfig {
  const c = loadConfig(['--subtensor.network', 'local', ...argv], env);
  if ('help' in c) throw new Error('unexpected help');
  return c;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults: hf_model gets the OpenAssistant model, ports 9599/1888, routing TTL max(deadline,3600)+3600', () => {
    const c = load(['--scoring_method', 'hf_model']);
    expect(c.modelName).toBe(DEFAULT_HF_MODEL);
    expect(c.axon.port).toBe(9599);
    expect(c.axon.externalPort).toBe(9599);
    expect(c.api.port).toBe(1888);
    expect(c.scoring.routingTtlS).toBe(28800 + 3600);
    expect(c.blacklist.minValidatorStake).toBe(20000);
    expect(c.redis.url).toBe('redis://127.0.0.1:6379');
    expect(Object.isFrozen(c) && Object.isFrozen(c.axon)).toBe(true);
  });

  it('precedence is flag, then env twin, then default', () => {
    expect(load(['--scoring_method', 'hf_model'], { DOJO_AXON_PORT: '9000' }).axon.port).toBe(9000);
    expect(load(['--scoring_method', 'hf_model', '--axon.port', '9100'], { DOJO_AXON_PORT: '9000' }).axon.port).toBe(
      9100,
    );
    expect(load([], { DOJO_SCORING_METHOD: 'hf_model' }).scoringMethod).toBe('hf_model');
  });

  it('bittensor env names (BT_AXON_PORT, BT_WALLET_PATH, ...) and REDIS_URL are read after the DOJO_ twin', () => {
    const c = load(['--scoring_method', 'hf_model'], {
      BT_AXON_PORT: '9001',
      BT_WALLET_PATH: '/w',
      REDIS_URL: 'redis://r:1',
    });
    expect([c.axon.port, c.wallet.path, c.redis.url]).toEqual([9001, '/w', 'redis://r:1']);
    expect(load(['--scoring_method', 'hf_model'], { BT_AXON_PORT: '9001', DOJO_AXON_PORT: '9002' }).axon.port).toBe(
      9002,
    );
    expect(errorOf(() => load(['--scoring_method', 'hf_model'], { BT_AXON_PORT: 'x' })).message).toBe(
      "BT_AXON_PORT (env): expected an integer, got 'x'",
    );
  });

  it('--blacklist.min_stake is an alias of --blacklist.min_validator_stake', () => {
    expect(load(['--scoring_method', 'hf_model', '--blacklist.min_stake', '5']).blacklist.minValidatorStake).toBe(5);
  });

  it('llm_api defaults to Mixtral on togetherai and requires the provider key from env', () => {
    const c = load(['--scoring_method', 'llm_api'], { TOGETHER_API_KEY: 'k' });
    expect(c.modelName).toBe(DEFAULT_LLM_MODEL);
    expect(c.llm.provider).toBe('togetherai');
    const e = errorOf(() =>
      load(['--scoring_method', 'llm_api', '--llm_provider', 'openai'], { TOGETHER_API_KEY: 'k' }),
    );
    expect(e.message).toMatch(/^OPENAI_API_KEY: is required for --scoring_method llm_api/);
  });

  it('aws_mturk requires the environment flag and each AWS/HMAC secret, naming the missing one', () => {
    expect(errorOf(() => load(['--scoring_method', 'aws_mturk'], MTURK_ENV)).message).toMatch(
      /^--aws_mturk_environment: is required/,
    );
    const argv = ['--scoring_method', 'aws_mturk', '--aws_mturk_environment', 'sandbox'];
    expect(load(argv, MTURK_ENV).secrets.awsSecretAccessKey).toBe('very-secret-aws-key');
    const { DOJO_CALLBACK_SECRET: _, ...noSecret } = MTURK_ENV;
    expect(errorOf(() => load(argv, noSecret)).flag).toBe('DOJO_CALLBACK_SECRET');
    expect(errorOf(() => load(argv, { ...MTURK_ENV, AWS_SNS_ARN_ID: 'arn:aws:sns:eu-west-1:1:t' })).flag).toBe(
      'AWS_SNS_ARN_ID',
    );
    expect(errorOf(() => load(argv, { ...MTURK_ENV, DOJO_CALLBACK_SECRET: 'short' })).message).toMatch(/at least 16/);
  });

  it('rejects bad values with a message naming the flag and the fix', () => {
    expect(errorOf(() => loadConfig(['--axon.external_ip', '1.2.3.4'], {})).message).toMatch(
      /^--scoring_method: is required: pass hf_model, llm_api or aws_mturk/,
    );
    expect(errorOf(() => load(['--scoring_method', 'magic'])).message).toBe(
      "--scoring_method: must be one of hf_model, llm_api, aws_mturk, got 'magic'",
    );
    expect(errorOf(() => load(['--scoring_method', 'hf_model', '--axon.port', 'x'])).message).toBe(
      "--axon.port: expected an integer, got 'x'",
    );
    expect(errorOf(() => load(['--scoring_method', 'hf_model'], { DOJO_AXON_PORT: '70000' })).message).toBe(
      'DOJO_AXON_PORT (env): must be <= 65535, got 70000',
    );
    expect(errorOf(() => load(['--scoring_method', 'hf_model', '--api.port', '9599'])).flag).toBe('--api.port');
    expect(errorOf(() => load(['--scoring_method', 'hf_model', '--subtensor.network', 'mars'])).flag).toBe(
      '--subtensor.network',
    );
    expect(errorOf(() => load(['--scoring_method', 'hf_model', '--axon.external_ip', '1.2.3'])).flag).toBe(
      '--axon.external_ip',
    );
    expect(errorOf(() => load(['--scoring_method', 'hf_model', '--no.such.flag', '1'])).message).toMatch(
      /unknown option/,
    );
  });

  it('a real network needs --axon.external_ip; LocalChain defaults it to 127.0.0.1', () => {
    expect(errorOf(() => loadConfig(['--scoring_method', 'hf_model'], {})).message).toMatch(
      /^--axon\.external_ip: is required on a real network/,
    );
    expect(load(['--scoring_method', 'hf_model']).axon.externalIp).toBe('127.0.0.1');
    const real = loadConfig(
      ['--scoring_method', 'hf_model', '--subtensor.network', 'test', '--axon.external_ip', '8.8.4.4'],
      {},
    );
    expect('help' in real ? null : real.axon.externalIp).toBe('8.8.4.4');
  });

  it('--help is reported, and the help text lists every flag with its env twin and the env-only secrets', () => {
    expect(loadConfig(['--help'], {})).toEqual({ help: true });
    const text = helpText();
    for (const spec of FLAGS) expect(text).toContain(`--${spec.flag}`);
    expect(text).toContain('DOJO_AXON_PORT');
    expect(text).toContain('(default 9599)');
    expect(text).toContain('DOJO_CALLBACK_SECRET');
  });

  it('the printed config never contains a secret value or URL credentials', () => {
    const c = load(
      ['--scoring_method', 'aws_mturk', '--aws_mturk_environment', 'sandbox', '--redis.url', 'redis://u:pw@h:1'],
      {
        ...MTURK_ENV,
        OPENAI_API_KEY: 'sk-live-123',
      },
    );
    const printed = JSON.stringify(redactedConfig(c));
    for (const v of [...Object.values(MTURK_ENV), 'sk-live-123', 'pw@']) expect(printed).not.toContain(v);
    expect(printed).toContain('"callbackSecret":"[redacted]"');
    expect(printed).toContain('"hfToken":"unset"');
  });
});
