import type {
  ProviderInterface,
  ProviderInterfaceCallback,
  ProviderInterfaceEmitCb,
  ProviderInterfaceEmitted,
} from '@polkadot/rpc-provider/types';
import { ReplayMissError } from '../errors.js';

/** One recorded answer: `{result}`, `{error}`, or `{cycle: [...]}` (successive calls get successive answers). */
export type RecordedAnswer = { result?: unknown; error?: unknown; cycle?: RecordedAnswer[] };

/** `{ rpc_method: { JSON-encoded params array: answer } }`, the layout of `finney-rpc-recordings.json` scenarios. */
export type RecordedExchanges = Record<string, Record<string, RecordedAnswer>>;

/** Methods the node treats as the same RPC (substrate aliases). */
const ALIASES: Record<string, string> = {
  chain_getHead: 'chain_getBlockHash',
  state_getStorageAt: 'state_getStorage',
  chain_getFinalisedHead: 'chain_getFinalizedHead',
};

function normaliseParam(p: unknown): unknown {
  if (typeof p === 'string' && /^(0x)?[0-9a-fA-F]*$/.test(p) && (p.startsWith('0x') || p.length % 2 === 0)) {
    // Hex strings: Python recorded some without 0x; compare case-insensitively.
    return p.replace(/^0x/, '').toLowerCase();
  }
  return p;
}

/** Canonical lookup key for a request: method alias resolved, hex normalised, trailing nulls dropped. */
export function replayKey(method: string, params: unknown[]): string {
  const m = ALIASES[method] ?? method;
  const ps = params.map(normaliseParam);
  while (ps.length > 0 && (ps[ps.length - 1] === null || ps[ps.length - 1] === undefined)) ps.pop();
  return `${m} ${JSON.stringify(ps)}`;
}

/**
 * A `@polkadot/api` provider that answers JSON-RPC requests from recorded exchanges only (spec chain.md §14). A request
 * that is not in the recording rejects with `ReplayMissError`; there is never a network fallback. It reports no
 * subscription support, so `@polkadot/api` does not open runtime-version or health subscriptions.
 */
export class ReplayProvider implements ProviderInterface {
  readonly hasSubscriptions = false;
  readonly isClonable = false;
  #connected = false;
  readonly #table = new Map<string, RecordedAnswer>();
  readonly #counters = new Map<string, number>();
  readonly #listeners = new Map<ProviderInterfaceEmitted, Set<ProviderInterfaceEmitCb>>();
  /** Every request served, in order (`method params`), for assertions. */
  readonly log: string[] = [];
  /** Requests that were not in the recording. */
  readonly misses: string[] = [];

  /**
   * @param exchanges - recorded exchanges; later sources override earlier ones for the same request.
   */
  constructor(...exchanges: RecordedExchanges[]) {
    for (const source of exchanges) {
      for (const [method, byParams] of Object.entries(source)) {
        for (const [paramsJson, answer] of Object.entries(byParams)) {
          const params = JSON.parse(paramsJson) as unknown[];
          this.#table.set(replayKey(method, params), answer);
        }
      }
    }
    // Like WsProvider, connect on construction so ApiPromise starts at once.
    this.#connected = true;
  }

  get isConnected(): boolean {
    return this.#connected;
  }

  clone(): ProviderInterface {
    throw new Error('ReplayProvider cannot be cloned');
  }

  async connect(): Promise<void> {
    this.#connected = true;
    queueMicrotask(() => this.#emit('connected'));
  }

  async disconnect(): Promise<void> {
    this.#connected = false;
    this.#emit('disconnected');
  }

  on(type: ProviderInterfaceEmitted, sub: ProviderInterfaceEmitCb): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(sub);
    return () => set.delete(sub);
  }

  #emit(type: ProviderInterfaceEmitted, value?: unknown): void {
    for (const cb of this.#listeners.get(type) ?? []) cb(value);
  }

  // biome-ignore lint/suspicious/noExplicitAny: matches ProviderInterface.send
  async send<T = any>(method: string, params: unknown[]): Promise<T> {
    const key = replayKey(method, params);
    this.log.push(key);
    const answer = this.#table.get(key);
    if (!answer) {
      this.misses.push(key);
      throw new ReplayMissError(`request not in the recording: ${key.slice(0, 300)}`, { details: { method } });
    }
    let chosen = answer;
    if (answer.cycle && answer.cycle.length > 0) {
      const i = this.#counters.get(key) ?? 0;
      this.#counters.set(key, i + 1);
      chosen = answer.cycle[i % answer.cycle.length] as RecordedAnswer;
    }
    if (chosen.error !== undefined) {
      const e = chosen.error as { code?: number; message?: string };
      throw new Error(`${e.code ?? ''}: ${e.message ?? JSON.stringify(chosen.error)}`);
    }
    return chosen.result as T;
  }

  async subscribe(_type: string, method: string): Promise<number | string> {
    throw new ReplayMissError(`subscriptions are not replayed: ${method}`);
  }

  async unsubscribe(): Promise<boolean> {
    return false;
  }
}

/**
 * Runs `cb` on a provider error; kept for symmetry with WsProvider users.
 * @internal
 */
export type ReplayCallback = ProviderInterfaceCallback;
