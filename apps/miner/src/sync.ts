import type { Chain, ChainSigner, Metagraph, ServeAxonParams, TxResult } from '@dojo-ts/chain';
import { NotRegisteredError, ServeAxonError } from './errors.js';
import type { Log } from './handlers/human-feedback.js';

/** Retry policy of {@link serveAxonWithRetries} (dojo.md §4.1: 10 attempts, back-off 6 s..24 s with jitter). */
export interface ServeRetryOptions {
  /** @defaultValue 10 */
  attempts?: number;
  /** @defaultValue 6000 */
  initialMs?: number;
  /** @defaultValue 24000 */
  maxMs?: number;
  /** Jitter source in [0, 1). @defaultValue Math.random */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Publishes the axon on chain, retrying failed or throwing attempts with exponential back-off and full jitter.
 *
 * @param chain - the chain.
 * @param signer - the miner hotkey pair.
 * @param netuid - subnet.
 * @param params - IP, port, version.
 * @param o - retry policy.
 * @returns the successful (or `skipped: 'unchanged'`) transaction result.
 * @throws ServeAxonError after the last attempt, with the last failure as cause.
 */
export async function serveAxonWithRetries(
  chain: Pick<Chain, 'serveAxon'>,
  signer: ChainSigner,
  netuid: number,
  params: ServeAxonParams,
  o: ServeRetryOptions & { log?: Log } = {},
): Promise<TxResult> {
  const attempts = o.attempts ?? 10;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = o.random ?? Math.random;
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await chain.serveAxon(signer, netuid, params);
      if (res.ok) return res;
      last = res.error;
      o.log?.warn({ attempt, error: res.error }, 'serve_axon failed');
    } catch (err) {
      last = err;
      o.log?.warn({ attempt, err: (err as Error).message }, 'serve_axon threw');
    }
    if (attempt < attempts) {
      const cap = Math.min(o.maxMs ?? 24_000, (o.initialMs ?? 6000) * 2 ** (attempt - 1));
      await sleep(Math.round((o.initialMs ?? 6000) / 2 + random() * (cap - (o.initialMs ?? 6000) / 2)));
    }
  }
  throw new ServeAxonError(`serve_axon failed after ${attempts} attempts: ${JSON.stringify(last) ?? String(last)}`, {
    cause: last,
  });
}

/**
 * Reads the metagraph and checks the hotkey is registered (dojo.md §4.1 step 1).
 *
 * @param chain - the chain.
 * @param netuid - subnet.
 * @param hotkey - the miner hotkey (ss58).
 * @returns the metagraph and the miner's uid.
 * @throws NotRegisteredError when the hotkey has no uid.
 */
export async function requireRegistered(
  chain: Pick<Chain, 'metagraph'>,
  netuid: number,
  hotkey: string,
): Promise<{ metagraph: Metagraph; uid: number }> {
  const metagraph = await chain.metagraph(netuid);
  const uid = metagraph.uidOf(hotkey);
  if (uid === null) throw new NotRegisteredError(hotkey, netuid);
  return { metagraph, uid };
}

/**
 * Keeps the metagraph fresh: `sync()` re-reads it once `epochLength` blocks passed since the last read. Miners never set
 * weights, so their own `last_update` never moves; counting from the last resync gives "every epoch".
 */
export class MetagraphSync {
  private metagraph: Metagraph;
  private syncedAtBlock: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(
    private readonly chain: Pick<Chain, 'metagraph' | 'currentBlock'>,
    private readonly netuid: number,
    private readonly hotkey: string,
    private readonly epochLength: number,
    initial: Metagraph,
    private readonly log: Log,
  ) {
    this.metagraph = initial;
    this.syncedAtBlock = initial.block;
  }

  /** The latest metagraph. */
  get current(): Metagraph {
    return this.metagraph;
  }

  /** Resyncs when due; logs (never throws) on chain errors or when the hotkey was deregistered. */
  async sync(): Promise<boolean> {
    try {
      const block = await this.chain.currentBlock();
      if (block - this.syncedAtBlock < this.epochLength) return false;
      const next = await this.chain.metagraph(this.netuid);
      this.metagraph = next;
      this.syncedAtBlock = block;
      if (next.uidOf(this.hotkey) === null)
        this.log.error({ hotkey: this.hotkey }, 'miner hotkey is no longer registered');
      this.log.info({ block, n: next.n }, 'metagraph resynced');
      return true;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'metagraph sync failed; retrying next tick');
      return false;
    }
  }

  /** Runs `sync()` every `intervalMs` (12 s in production), never overlapping. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sync().then(
        () => {
          this.running = null;
        },
        () => {
          this.running = null;
        },
      );
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a running sync. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
