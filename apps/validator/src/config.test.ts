import { describe, expect, it } from 'vitest';
import { envName, helpText, loadConfig, redactedConfig } from './config.js';
import { ConfigError } from './errors.js';

const load = (argv: string[], env: Record<string, string> = {}) => {
  const c = loadConfig(argv, env);
  if ('help' in c) throw new Error('unexpected help');
  return c;
};

describe('loadConfig', () => {
  it('uses the spec defaults', () => {
    const c = load([]);
    expect(c.flags['neuron.sample_size']).toBe(10);
    expect(c.flags['neuron.query_interval_s']).toBe(24);
    expect(c.flags['scoring.deadline_s']).toBe(28800);
    expect(c.flags['api.port']).toBe(1888);
    expect(c.flags['chunking.interval_s']).toBe(35);
    expect(c.flags['weights.ranking_share']).toBe(0.5);
    expect(c.flags['weights.chunking_share']).toBe(0.5);
    expect(c.flags['neuron.epoch_length']).toBe(100);
    expect(c.flags['validator.role']).toBe('all');
    expect(c.flags['mturk.environment']).toBe('production');
    expect(c.flags['task.chunk_size']).toBe(4096);
    expect(c.flags['task.time_soft_max']).toBe(5);
    expect(Object.isFrozen(c.flags)).toBe(true);
  });

  it('takes a flag before its env twin before the default', () => {
    expect(envName('neuron.sample_size')).toBe('DOJO_NEURON_SAMPLE_SIZE');
    expect(load([], { DOJO_NEURON_SAMPLE_SIZE: '4' }).flags['neuron.sample_size']).toBe(4);
    expect(load(['--neuron.sample_size', '6'], { DOJO_NEURON_SAMPLE_SIZE: '4' }).flags['neuron.sample_size']).toBe(6);
    expect(load(['--neuron.axon_off']).flags['neuron.axon_off']).toBe(true);
    expect(load([], { DOJO_NEURON_AXON_OFF: 'true' }).flags['neuron.axon_off']).toBe(true);
    expect(load([], { REDIS_URL: 'redis://a:1' }).flags['redis.url']).toBe('redis://a:1');
    expect(load([], { REDIS_URL: 'redis://a:1', DOJO_REDIS_URL: 'redis://b:2' }).flags['redis.url']).toBe(
      'redis://b:2',
    );
  });

  it('rejects bad values with a ConfigError naming the flag', () => {
    expect(() => load(['--neuron.sample_size', 'ten'])).toThrow(ConfigError);
    expect(() => load(['--neuron.sample_size', 'ten'])).toThrow(/--neuron.sample_size/);
    expect(() => load(['--validator.role', 'boss'])).toThrow(/validator.role: must be one of all, loop, worker/);
    expect(() => load(['--api.port', '9500', '--axon.port', '9500'])).toThrow(/must differ/);
    expect(() => load(['--weights.ranking_share', '0', '--weights.chunking_share', '0'])).toThrow(ConfigError);
    expect(() => load(['--no-such-flag', '1'])).toThrow(ConfigError);
    expect(() => load(['--api.enable_reward_route'])).toThrow(/DOJO_API_TOKEN/);
  });

  it('reads secrets from env only and redacts them when printed', () => {
    const c = load(['--api.enable_reward_route', '--redis.url', 'redis://user:pw@host:1'], {
      DOJO_API_TOKEN: 'tok',
      OPENAI_API_KEY: 'sk-x',
    });
    expect(c.secrets.apiToken).toBe('tok');
    const printed = JSON.stringify(redactedConfig(c));
    expect(printed).not.toContain('tok"');
    expect(printed).not.toContain('sk-x');
    expect(printed).not.toContain('pw@');
  });

  it('answers --help with the flag list', () => {
    expect(loadConfig(['--help'], {})).toEqual({ help: true });
    const text = helpText();
    expect(text).toContain('--neuron.query_interval_s');
    expect(text).toContain('DOJO_SCORING_DEADLINE_S');
  });
});
