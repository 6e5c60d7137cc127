// pm2 process file for Dojo TS (CommonJS: the root package.json has no "type").
//
//   pm2 start ecosystem.config.js --only validator      # the validator
//   pm2 start ecosystem.config.js --only miner          # one miner (.env.miner)
//   pm2 start ecosystem.config.js --only localchain     # LocalChain block producer (local networks only)
//   pm2 start ecosystem.config.js                       # all of the above (+ one miner-<name> per .env.miner.<name>)
//
// Each app reads its flags from env twins (`--axon.port` <-> DOJO_AXON_PORT) set in `.env` (shared) and its own file:
// `.env.validator`, `.env.miner`, `.env.miner.<name>`, `.env.localchain` (later files win; the real environment wins
// over all of them). Files are read when pm2 loads this file: after editing one, `pm2 delete <app> && pm2 start ...`
// (or `pm2 restart <app> --update-env`). Set DOJO_PM2_ENV_DIR to read the .env files from another folder.
// Logs go to logs/<app>.out.log and logs/<app>.err.log (gitignored); pm2 restarts a crashed app with exponential
// back-off (100 ms doubling up to 15 s), gives up after 10 restarts within min_uptime, and gives each app 30 s to shut
// down gracefully on stop/restart (SIGINT, then SIGKILL).
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;
const envDir = process.env.DOJO_PM2_ENV_DIR ? path.resolve(process.env.DOJO_PM2_ENV_DIR) : root;

/** Parses KEY=VALUE lines (comments, `export`, quotes) like dotenv, without needing node_modules. */
function parseEnvFile(file) {
  const out = {};
  let text;
  try {
    text = fs.readFileSync(path.join(envDir, file), 'utf8');
  } catch {
    return out;
  }
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)?\s*$/.exec(raw);
    if (!m) continue;
    let v = (m[2] || '').trim();
    if (/^(['"]).*\1$/.test(v)) v = v.slice(1, -1).replace(/\\n/g, v.startsWith('"') ? '\n' : '\\n');
    else v = v.replace(/\s+#.*$/, '');
    out[m[1]] = v;
  }
  return out;
}

/** `.env`, then the app's files, then the real environment (which wins). */
function envFor(...files) {
  const merged = Object.assign({}, parseEnvFile('.env'), ...files.map(parseEnvFile));
  for (const k of Object.keys(merged)) if (process.env[k] !== undefined) merged[k] = process.env[k];
  return merged;
}

const common = {
  cwd: root,
  interpreter: 'node',
  // run from TypeScript sources (tsx), resolving workspace packages to their sources
  interpreter_args: '--conditions=source --import tsx',
  exec_mode: 'fork',
  instances: 1,
  autorestart: true,
  exp_backoff_restart_delay: 100,
  max_restarts: 10,
  min_uptime: '30s',
  kill_timeout: 30_000,
  max_memory_restart: '2G',
  merge_logs: true,
  time: true,
};

const logs = (name) => ({
  out_file: path.join(root, 'logs', `${name}.out.log`),
  error_file: path.join(root, 'logs', `${name}.err.log`),
});

function miner(name, files) {
  return { ...common, ...logs(name), name, script: 'apps/miner/src/main.ts', env: envFor(...files) };
}

const localchainEnv = envFor('.env.localchain');
const localchainArgs = [];
if (localchainEnv.DOJO_LOCALCHAIN_GENESIS)
  localchainArgs.push('--localchain.genesis', localchainEnv.DOJO_LOCALCHAIN_GENESIS);
if (localchainEnv.DOJO_LOCALCHAIN_BLOCK_MS) localchainArgs.push('--block_ms', localchainEnv.DOJO_LOCALCHAIN_BLOCK_MS);
if (localchainEnv.DOJO_LOCALCHAIN_NAMESPACE)
  localchainArgs.push('--namespace', localchainEnv.DOJO_LOCALCHAIN_NAMESPACE);
if (localchainEnv.REDIS_URL) localchainArgs.push('--redis.url', localchainEnv.REDIS_URL);

const extraMiners = (() => {
  try {
    return fs
      .readdirSync(envDir)
      .filter((f) => /^\.env\.miner\.[A-Za-z0-9_-]+$/.test(f))
      .sort();
  } catch {
    return [];
  }
})();

// Scale-out: DOJO_PM2_VALIDATOR_WORKERS=N (in the environment or .env.validator) runs the validator as
// `--validator.role loop` plus N `validator-worker-<i>` processes (deadline and accuracy jobs) sharing its Redis and
// hotkey; each worker gets its own API port (1889, 1890, ...). Workers may also run on other machines (same .env files).
const validatorEnv = envFor('.env.validator');
const validatorWorkers = Math.max(
  0,
  Number.parseInt(process.env.DOJO_PM2_VALIDATOR_WORKERS || validatorEnv.DOJO_PM2_VALIDATOR_WORKERS || '0', 10) || 0,
);
const validatorApps = [
  {
    ...common,
    ...logs('validator'),
    name: 'validator',
    script: 'apps/validator/src/main.ts',
    args: validatorWorkers > 0 ? ['--validator.role', 'loop'] : [],
    env: validatorEnv,
  },
  ...Array.from({ length: validatorWorkers }, (_, i) => ({
    ...common,
    ...logs(`validator-worker-${i + 1}`),
    name: `validator-worker-${i + 1}`,
    script: 'apps/validator/src/main.ts',
    args: ['--validator.role', 'worker', '--api.port', String(1889 + i)],
    env: validatorEnv,
  })),
];

module.exports = {
  apps: [
    ...validatorApps,
    miner('miner', ['.env.miner']),
    ...extraMiners.map((f) => miner(`miner-${f.slice('.env.miner.'.length)}`, ['.env.miner', f])),
    {
      ...common,
      ...logs('localchain'),
      name: 'localchain',
      script: 'packages/chain/src/local-chain/producer-main.ts',
      args: localchainArgs,
      env: localchainEnv,
    },
  ],
};
