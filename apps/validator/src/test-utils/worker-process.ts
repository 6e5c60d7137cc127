/**
 * Test-only child process: the deadline worker exactly as main.ts wires it for `--validator.role worker`, with hooks
 * the crash tests drive through env: `DELAY_MS` (sleep inside the crash window before the transaction) and
 * `CRASH_AFTER_APPLIED` (SIGKILL itself right after the k-th committed transaction, before BullMQ completes the job).
 * Counts outcomes in `{PREFIX}:test:outcomes` (hash) so the test can see retries that found the marker.
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { startScoringWorker } from '../jobs/workers.js';
import { storeKeys } from '../store/keys.js';

const env = process.env;
const prefix = env.PREFIX as string;
const keys = storeKeys(prefix, Number(env.NETUID ?? '1'), env.HOTKEY as string);
const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const delayMs = Number(env.DELAY_MS ?? '0');
const crashAfter = Number(env.CRASH_AFTER_APPLIED ?? '0');
let applied = 0;
const log = pino({ level: env.LOG_LEVEL ?? 'silent' });

const worker = startScoringWorker(
  redis,
  keys.bullPrefix,
  {
    redis,
    keys,
    log,
    alpha: 0.3,
    historyMaxLen: 100_000,
    scoring: { humanBoost: 1.2, auditFraction: 0, minSpearman: 0.9, seed: 1 },
    beforeApply: async () => {
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    },
    afterApply: async (_id, outcome) => {
      await redis.hincrby(`${prefix}:test:outcomes`, outcome, 1);
      if (outcome === 'applied') {
        applied++;
        if (crashAfter > 0 && applied >= crashAfter) process.kill(process.pid, 'SIGKILL');
      }
    },
  },
  {
    concurrency: Number(env.CONCURRENCY ?? '4'),
    lockDurationMs: Number(env.LOCK_MS ?? '1000'),
    stalledIntervalMs: Number(env.STALLED_MS ?? '500'),
  },
);
worker.on('ready', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => {
  void worker.close().then(() => redis.quit().then(() => process.exit(0)));
});
