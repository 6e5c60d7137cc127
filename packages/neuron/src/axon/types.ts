import type { HeaderSynapse, Synapse, SynapseDefinition } from '@dojo-ts/protocol';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
// Imported for the {@link PriorityTimeoutError} reference in the TSDoc below.
import type { PriorityTimeoutError } from '../errors.js';
import type { Signer } from '../signer.js';
import type { BlacklistFn } from './blacklist.js';

/** Options of {@link buildAxon}; every limit is bounded and has the wire.md default. */
export interface AxonOptions {
  /** The axon's own hotkey: verification messages use its address, error replies carry its signature (§9.2). */
  signer: Signer;
  /** IP published on chain (informational here). @defaultValue '0.0.0.0' */
  externalIp?: string;
  /** Port published on chain and default for {@link Axon.listen}. @defaultValue 8091 */
  externalPort?: number;
  /** Largest accepted request body in bytes; larger gets 413. @defaultValue 8 MiB (wire.md §11) */
  bodyLimitBytes?: number;
  /** Handlers running at once (`axon.max_concurrent`). @defaultValue 16 */
  maxConcurrent?: number;
  /** Requests waiting for a handler slot before new ones get 503. @defaultValue 1024 */
  maxQueued?: number;
  /** Nonce memory TTL in seconds; must be >= maxFutureSkewS + 4 + maxWindowTimeoutS. @defaultValue 900 */
  nonceTtlS?: number;
  /** Nonce memory capacity in `(hotkey, uuid)` keys. @defaultValue 100000 */
  nonceCacheMaxKeys?: number;
  /** Largest accepted nonce distance into the future, seconds. @defaultValue 300 */
  maxFutureSkewS?: number;
  /** Cap on the header timeout that widens the first-nonce window, seconds. @defaultValue 120 */
  maxWindowTimeoutS?: number;
  /** Sign error replies with the axon hotkey (upstream does; costs one sr25519 signature per error). @defaultValue true */
  signErrorResponses?: boolean;
  /** Wall clock in ns (tests inject one). @defaultValue `process.hrtime`-free `Date.now()`-based clock */
  nowNs?: () => bigint;
  /**
   * Worker threads (piscina) for sr25519 verification; 0 verifies inline on the event loop. On the 2-core bench
   * machine inline was faster (see README). @defaultValue 0
   */
  verifyThreads?: number;
  /** fastify logger: `false`, `true`, pino options, or a logger instance. @defaultValue false */
  logger?: boolean | Record<string, unknown> | FastifyBaseLogger;
}

/** The hooks of one synapse route (wire.md §11). */
export interface SynapseHooks<F extends object = Record<string, unknown>> {
  /** The handler: receives the body-parsed synapse and returns it (mutated) as the reply. */
  forward: (synapse: Synapse<F>) => Synapse<F> | Promise<Synapse<F>>;
  /** Runs first, on the unverified header synapse; `[true, reason]` answers 403. */
  blacklist?: BlacklistFn;
  /** Higher values get a free handler slot first; a thrown {@link PriorityTimeoutError} answers 408. */
  priority?: (synapse: HeaderSynapse) => number | Promise<number>;
  /** Replaces the default verification (§10.2) for this route; throw to answer 401. */
  verify?: (synapse: HeaderSynapse) => void | Promise<void>;
}

/** A built axon: a fastify instance with synapse routes; only {@link Axon.listen} binds a port. */
export interface Axon {
  /** The wrapped fastify instance (use `inject()` in tests). */
  readonly fastify: FastifyInstance;
  /** ss58 hotkey of the axon. */
  readonly hotkey: string;
  /** uuid1 of this axon instance (`axon.uuid`). */
  readonly uuid: string;
  readonly externalIp: string;
  readonly externalPort: number;
  /** Registers `def` (GET and POST `/{def.name}`); attaching `SynapseDef` replaces the default `/Synapse` echo. */
  attach<F extends object>(def: SynapseDefinition<F>, hooks: SynapseHooks<F>): Axon;
  /** Binds and listens; returns the address (e.g. `http://127.0.0.1:8091`). @defaultValue host '0.0.0.0', port externalPort */
  listen(options?: { host?: string; port?: number }): Promise<string>;
  /** Stops accepting requests and resolves when in-flight requests have finished. */
  close(): Promise<void>;
}
