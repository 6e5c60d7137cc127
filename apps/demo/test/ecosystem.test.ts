/**
 * The pm2 ecosystem file at the repository root: app names, entry points, `.env` layering (shared file, app file,
 * real environment wins), per-file extra miners, LocalChain producer flags, restart policy and log files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FILE = join(ROOT, 'ecosystem.config.js');
const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'dojo-ecosystem-'));

interface App {
  name: string;
  script: string;
  args?: string[];
  env: Record<string, string>;
  interpreter: string;
  interpreter_args: string;
  exp_backoff_restart_delay: number;
  max_restarts: number;
  kill_timeout: number;
  out_file: string;
  error_file: string;
}

function load(env: Record<string, string>): App[] {
  const saved = { ...process.env };
  // only what the test sets: the runner's own DOJO_*/REDIS_URL must not leak into the expectations
  for (const k of Object.keys(process.env)) if (/^(DOJO_|REDIS_URL$)/.test(k)) delete process.env[k];
  Object.assign(process.env, { DOJO_PM2_ENV_DIR: dir, ...env });
  try {
    delete require.cache[require.resolve(FILE)];
    return (require(FILE) as { apps: App[] }).apps;
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ecosystem.config.js', () => {
  it('defines validator, miner, one miner per .env.miner.<name> and the LocalChain producer, run from sources', () => {
    writeFileSync(join(dir, '.env'), 'DOJO_NETUID=7\nREDIS_URL=redis://127.0.0.1:6380\n');
    writeFileSync(join(dir, '.env.validator'), '# comment\nexport DOJO_API_PORT=1999\nDOJO_WALLET_NAME="val"\n');
    writeFileSync(join(dir, '.env.miner'), 'DOJO_SCORING_METHOD=hf_model\nDOJO_AXON_PORT=9000\n');
    writeFileSync(join(dir, '.env.miner.second'), 'DOJO_AXON_PORT=9001 # second axon\n');
    writeFileSync(join(dir, '.env.localchain'), 'DOJO_LOCALCHAIN_GENESIS=/g.yaml\nDOJO_LOCALCHAIN_BLOCK_MS=1000\n');
    const apps = load({ DOJO_WALLET_NAME: 'from-real-env' });
    expect(apps.map((a) => a.name)).toEqual(['validator', 'miner', 'miner-second', 'localchain']);
    const by = Object.fromEntries(apps.map((a) => [a.name, a]));
    expect(by.validator?.script).toBe('apps/validator/src/main.ts');
    expect(by.miner?.script).toBe('apps/miner/src/main.ts');
    expect(by.localchain?.script).toBe('packages/chain/src/local-chain/producer-main.ts');
    expect(by.validator?.interpreter_args).toBe('--conditions=source --import tsx');
    // .env, then the app's file; the real environment wins
    expect(by.validator?.env).toMatchObject({
      DOJO_NETUID: '7',
      DOJO_API_PORT: '1999',
      DOJO_WALLET_NAME: 'from-real-env',
    });
    expect(by.miner?.env).toMatchObject({ DOJO_SCORING_METHOD: 'hf_model', DOJO_AXON_PORT: '9000' });
    expect(by['miner-second']?.env).toMatchObject({ DOJO_SCORING_METHOD: 'hf_model', DOJO_AXON_PORT: '9001' });
    expect(by.localchain?.args).toEqual([
      '--localchain.genesis',
      '/g.yaml',
      '--block_ms',
      '1000',
      '--redis.url',
      'redis://127.0.0.1:6380',
    ]);
    for (const a of apps) {
      expect(a.exp_backoff_restart_delay).toBeGreaterThan(0);
      expect(a.max_restarts).toBeGreaterThan(0);
      expect(a.kill_timeout).toBeGreaterThanOrEqual(10_000);
      expect(a.out_file).toBe(join(ROOT, 'logs', `${a.name}.out.log`));
      expect(a.error_file).toBe(join(ROOT, 'logs', `${a.name}.err.log`));
    }
  });

  it('works without any .env file', () => {
    rmSync(dir, { recursive: true, force: true });
    const apps = load({});
    expect(apps.map((a) => a.name)).toEqual(['validator', 'miner', 'localchain']);
    expect(apps.find((a) => a.name === 'localchain')?.args).toEqual([]);
  });
});
