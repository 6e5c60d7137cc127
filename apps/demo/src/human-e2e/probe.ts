/**
 * Read-only probes of the human loop's state for the end-to-end test: the validator's request entries and results
 * stream (key layout of apps/validator/src/store/keys.ts), the miner's routing and feedback keys
 * (apps/miner/src/store/*), Prometheus counters, and a forwarder "SNS subscription" that hands each MTurk notification
 * to the bundled Lambda handler, one at a time and in order, recording what it answered.
 */
import type { MTurkNotification, MTurkServer, SnsLambdaEvent } from '@dojo-ts/local-services';
import type { Redis } from 'ioredis';
import type { ForwarderHandler } from '../human-loop.js';
import type { HistoryRecord } from '../observe.js';

/** One miner reply as the validator stores it. */
export interface ValidatorReply {
  hotkey: string;
  scoring_method: string;
  ranks: Array<{ cid: string; score: number }>;
  mturk_hit_id: string | null;
  verified?: boolean;
}

/** A pending request entry of the validator, with replies attached later merged in. */
export interface ValidatorEntry {
  request: { request_id: string; completions: Array<{ cid: string; text: string }> };
  queried_hotkeys: string[];
  responses: ValidatorReply[];
}

/**
 * Reads one pending request of the validator (null once scored or when unknown).
 * @param redis - connection.
 * @param base - the validator's key namespace.
 * @param requestId - request id.
 * @returns the entry with every stored reply (a later reply replaces the one written at creation).
 */
export async function validatorEntry(redis: Redis, base: string, requestId: string): Promise<ValidatorEntry | null> {
  const raw = await redis.get(`${base}req:${requestId}`);
  if (raw === null) return null;
  const extra = await redis.hgetall(`${base}req:${requestId}:x`);
  const stored = JSON.parse(raw) as ValidatorEntry;
  const byHotkey = new Map<string, ValidatorReply>();
  for (const r of stored.responses) byHotkey.set(r.hotkey, r);
  for (const [k, v] of Object.entries(extra)) if (k.startsWith('r:')) byHotkey.set(k.slice(2), JSON.parse(v));
  return { ...stored, responses: [...byHotkey.values()] };
}

/**
 * The validator's results stream (§8.4), oldest first.
 * @returns every history record written so far.
 */
export async function validatorHistory(redis: Redis, base: string): Promise<HistoryRecord[]> {
  const rows = await redis.xrange(`${base}history`, '-', '+');
  const out: HistoryRecord[] = [];
  for (const [, fields] of rows) {
    const json = fields[1];
    if (json !== undefined) out.push(JSON.parse(json) as HistoryRecord);
  }
  return out;
}

/** Keys under a prefix (SCAN; a test-sized keyspace). */
export async function keysUnder(redis: Redis, pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out.sort();
}

/**
 * Sum of a Prometheus counter's samples whose labels include `labels` (0 when absent).
 * @param text - the `/metrics` exposition text.
 * @param name - metric name, e.g. `dojo_miner_callbacks_total`.
 * @param labels - label values to match.
 * @returns the summed value.
 */
export function counterValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const got: Record<string, string> = {};
    for (const kv of (m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) got[kv[1] as string] = kv[2] as string;
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum += Number(m[4]);
  }
  return sum;
}

/** `GET url` → text. */
export async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  return res.text();
}

/** One invocation of the forwarder. */
export interface ForwarderDelivery {
  hitId: string;
  event: SnsLambdaEvent;
  statusCode: number | null;
  assignments: number | null;
  /** Message of the last failed attempt, null once an attempt succeeded. */
  error: string | null;
  /** Handler invocations for this delivery (SNS-style retries after a thrown invocation). */
  attempts: number;
}

/**
 * An SNS → Lambda subscription in the test process: every `AssignmentSubmitted` notification of `mturk` invokes the
 * bundled handler (sequentially, like reserved concurrency 1; a thrown invocation is retried like SNS would);
 * `redeliver` invokes it again with an earlier event.
 */
export class ForwarderSubscription {
  readonly deliveries: ForwarderDelivery[] = [];
  readonly notifications: MTurkNotification[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    mturk: MTurkServer,
    private readonly handler: ForwarderHandler,
    private readonly maxAttempts = 3,
  ) {
    this.unsubscribe = mturk.onNotification((n) => {
      this.notifications.push(n);
      void this.enqueue(n.snsEvent);
    });
  }

  /**
   * Delivers an SNS event (again), after every delivery queued before it.
   * @returns what the handler answered.
   */
  redeliver(event: SnsLambdaEvent): Promise<ForwarderDelivery> {
    return this.enqueue(event);
  }

  /** Resolves once every queued delivery finished. */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
  }

  /** Stops listening and waits for the deliveries in flight. */
  async close(): Promise<void> {
    this.unsubscribe();
    await this.idle();
  }

  private enqueue(event: SnsLambdaEvent): Promise<ForwarderDelivery> {
    const run = async (): Promise<ForwarderDelivery> => {
      const msg = JSON.parse(event.Records[0]?.Sns.Message ?? '{}') as { Events?: Array<{ HITId?: string }> };
      const d: ForwarderDelivery = {
        hitId: msg.Events?.[0]?.HITId ?? '',
        event,
        statusCode: null,
        assignments: null,
        error: null,
        attempts: 0,
      };
      // a thrown invocation (miner unreachable or 5xx) is retried as SNS would, a few times with a pause
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        d.attempts = attempt;
        try {
          const res = await this.handler(event);
          d.statusCode = res.statusCode;
          d.assignments = res.assignments ?? null;
          d.error = null;
          break;
        } catch (err) {
          d.error = (err as Error).message;
          if (attempt < this.maxAttempts) await new Promise((r) => setTimeout(r, 1000 * attempt));
        }
      }
      this.deliveries.push(d);
      return d;
    };
    const p = this.chain.then(run);
    this.chain = p.then(
      () => {},
      () => {},
    );
    return p;
  }
}
