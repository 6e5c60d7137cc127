import {
  bodyHashFor,
  decodeHeaders,
  emptyTerminalInfo,
  encodeHeaders,
  getSynapseDefinition,
  PROTOCOL_VERSION,
  parseJson,
  parseSynapseBody,
  pythonStr,
  type Synapse,
  type SynapseDefinition,
  stringifyJson,
  type TerminalInfo,
} from '@dojo-ts/protocol';
import { Agent, type Dispatcher, request } from 'undici';
import { v1 as uuidv1 } from 'uuid';
import { UnknownSynapseDefinitionError } from '../errors.js';
import type { Signer } from '../signer.js';
import { KeyedLimiter } from './keyed-limiter.js';
import { createNonceClock, signSynapse, wallClockNs } from './sign.js';

/** Where an axon listens and who it is: the metagraph `AxonInfo` fields the dendrite needs. */
export interface AxonTarget {
  ip: string;
  port: number;
  /** ss58 hotkey of the axon; the signature is bound to it. */
  hotkey: string;
}

/** Options of {@link Dendrite}. */
export interface DendriteOptions {
  /** Own external IP sent as `dendrite.ip`; a target with this IP is dialled on 127.0.0.1. @defaultValue '127.0.0.1' */
  externalIp?: string;
  /** Requests in flight per target hotkey (more can be rejected as out-of-order nonces). @defaultValue 1 */
  maxInflightPerTarget?: number;
  /** Largest accepted response body in bytes; larger fails with 422. @defaultValue 8 MiB */
  maxResponseBytes?: number;
  /** undici dispatcher; by default an `Agent` owned (and closed) by the dendrite. */
  dispatcher?: Dispatcher;
  /** Wall clock in ns for nonces. @defaultValue Date.now() based */
  nowNs?: () => bigint;
}

/** Options of one call or fan-out. */
export interface QueryOptions {
  /** Total time per request, seconds; also the `timeout` field and header. @defaultValue the synapse's `timeout` (12) */
  timeoutS?: number;
  /** Definition of the synapse; looked up by `synapse.name` in the registry when omitted. */
  def?: SynapseDefinition;
}

const MiB = 1024 * 1024;

class RequestTimeoutError extends Error {
  override name = 'TimeoutError';
}

class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
}

/** Maps a transport error to the upstream `(status_code, status_message)` (wire.md §13). */
function failure(err: unknown, local: Synapse, name: string, timeoutS: number): [number, string] {
  const e = err as { name?: string; code?: string; message?: string };
  if (
    e?.name === 'TimeoutError' ||
    e?.name === 'AbortError' ||
    e?.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    e?.code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return [408, `Request timeout after ${pythonStr(timeoutS, { kind: 'float' })} seconds`];
  }
  const code = e?.code ?? '';
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'].includes(code)
  ) {
    return [503, `Service unavailable at ${local.axon.ip}:${local.axon.port}/${name}`];
  }
  if (['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED'].includes(code)) {
    return [503, `Service unavailable: server disconnected: ${e.message ?? code}`];
  }
  return [422, `Failed to parse response: ${e?.message ?? String(err)}`];
}

function mergeTerminal(into: TerminalInfo, from: TerminalInfo): TerminalInfo {
  const out = { ...into };
  for (const key of Object.keys(from) as Array<keyof TerminalInfo>) {
    const v = from[key];
    if (v !== null && v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

/**
 * The HTTP dendrite (wire.md §6, §13): signs each request with its hotkey, one uuid1 per instance, strictly
 * increasing nanosecond nonces, at most `maxInflightPerTarget` requests per target, and a result per target that
 * never throws (failures carry `dendrite.status_code` 408/503/422/...).
 *
 * @example
 * const dendrite = new Dendrite(signer);
 * const [res] = await dendrite.query([{ ip: '127.0.0.1', port: 8091, hotkey }], SynapseDef.create({}), { timeoutS: 5 });
 * console.log(res.dendrite.status_code); // 200
 */
export class Dendrite {
  /** uuid1 of this dendrite instance (`dendrite.uuid`). */
  readonly uuid: string = uuidv1();
  readonly externalIp: string;
  private readonly signer: Signer;
  private readonly nextNonce: () => bigint;
  private readonly limiter: KeyedLimiter;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly maxResponseBytes: number;

  /**
   * @param signer - The dendrite's hotkey (a keyring pair or {@link createSr25519Signer}).
   * @param options - External IP, per-target limit, response size bound, dispatcher, clock.
   */
  constructor(signer: Signer, options: DendriteOptions = {}) {
    this.signer = signer;
    this.externalIp = options.externalIp ?? '127.0.0.1';
    this.nextNonce = createNonceClock(options.nowNs ?? wallClockNs);
    this.limiter = new KeyedLimiter(Math.max(1, options.maxInflightPerTarget ?? 1));
    this.maxResponseBytes = options.maxResponseBytes ?? 8 * MiB;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 10_000, connections: 8 });
  }

  /** ss58 hotkey of the dendrite. */
  get hotkey(): string {
    return this.signer.address;
  }

  /**
   * Sends `synapse` to every target concurrently; each gets its own signed copy.
   *
   * @param targets - Axons to query.
   * @param synapse - The request (not mutated).
   * @param options - Per-request timeout and an explicit definition.
   * @returns One synapse per target, in order; failed calls return the request copy with the error status.
   * @throws UnknownSynapseDefinitionError when the synapse has no definition (before any request is sent).
   */
  async query<F extends object>(
    targets: readonly AxonTarget[],
    synapse: Synapse<F>,
    options: QueryOptions = {},
  ): Promise<Array<Synapse<F>>> {
    const def = this.definitionOf(synapse, options.def);
    const timeoutS = options.timeoutS ?? synapse.timeout ?? def.defaultTimeoutS;
    // The body hash covers payload fields only, the same for every target: computed once per fan-out. A payload that
    // does not hash (mistyped field) is left to each call, which maps the error to its result.
    const hash = this.tryBodyHash(def, synapse);
    // Each call signs and dispatches synchronously up to the network write, so request i is on the wire while
    // request i+1 is being signed.
    return Promise.all(targets.map((t) => this.callWith(t, synapse, def, timeoutS, hash)));
  }

  /**
   * Sends `synapse` to one target.
   *
   * @param target - The axon.
   * @param synapse - The request (not mutated).
   * @param options - Timeout and definition.
   * @returns The response synapse (§13); never rejects for transport or protocol failures.
   * @throws UnknownSynapseDefinitionError when the synapse has no definition.
   */
  async call<F extends object>(
    target: AxonTarget,
    synapse: Synapse<F>,
    options: QueryOptions = {},
  ): Promise<Synapse<F>> {
    const def = this.definitionOf(synapse, options.def);
    const timeoutS = options.timeoutS ?? synapse.timeout ?? def.defaultTimeoutS;
    return this.callWith(target, synapse, def, timeoutS, this.tryBodyHash(def, synapse));
  }

  private tryBodyHash(def: SynapseDefinition, synapse: Synapse): string | undefined {
    try {
      return bodyHashFor(def, synapse as unknown as Record<string, unknown>);
    } catch {
      return undefined;
    }
  }

  private async callWith<F extends object>(
    target: AxonTarget,
    synapse: Synapse<F>,
    def: SynapseDefinition,
    timeoutS: number,
    hash: string | undefined,
  ): Promise<Synapse<F>> {
    const started = performance.now();
    const local = structuredClone(synapse) as Synapse;
    local.name = def.name;
    local.timeout = timeoutS;
    local.dendrite = {
      ...emptyTerminalInfo(),
      ip: this.externalIp,
      version: PROTOCOL_VERSION,
      uuid: this.uuid,
      hotkey: this.hotkey,
    };
    local.axon = { ...emptyTerminalInfo(), ip: target.ip, port: target.port, hotkey: target.hotkey };
    // A cleared timer rather than AbortSignal.timeout(): the latter keeps firing (and allocating) after the call ended.
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new RequestTimeoutError(`timeout after ${timeoutS}s`)),
      Math.max(1, Math.round(timeoutS * 1000)),
    );
    const signal = controller.signal;
    let release: (() => void) | undefined;
    let result: Synapse;
    try {
      release = this.limiter.tryAcquire(target.hotkey) ?? (await this.limiter.acquire(target.hotkey, signal));
      result = await this.send(def, local, target, signal, hash);
    } catch (err) {
      const [code, message] = failure(err, local, def.name, timeoutS);
      result = local;
      result.dendrite = { ...result.dendrite, status_code: code, status_message: message };
    } finally {
      clearTimeout(timer);
      release?.();
    }
    result.dendrite = { ...result.dendrite, process_time: (performance.now() - started) / 1000 };
    return result as Synapse<F>;
  }

  /** Closes the owned HTTP agent (a passed-in dispatcher is left open). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private definitionOf(synapse: Synapse, def?: SynapseDefinition): SynapseDefinition {
    const found = def ?? getSynapseDefinition(synapse.name);
    if (!found) throw new UnknownSynapseDefinitionError(synapse.name);
    return found;
  }

  private async send(
    def: SynapseDefinition,
    local: Synapse,
    target: AxonTarget,
    signal: AbortSignal,
    precomputedHash: string | undefined,
  ): Promise<Synapse> {
    local.dendrite.nonce = this.nextNonce();
    const hash = signSynapse(this.signer, def, local, precomputedHash);
    // total_size / header_size are informational (wire.md §16): byte lengths of the body and of the header set.
    local.header_size = 0;
    local.total_size = 0;
    local.total_size = Buffer.byteLength(stringifyJson(local));
    const headers = encodeHeaders(def, local, { bodyHash: hash });
    local.header_size = Object.entries(headers).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v), 0);
    headers['header_size'] = String(local.header_size);
    const body = stringifyJson(local);
    const host = target.ip === this.externalIp ? '127.0.0.1' : target.ip;
    const origin = host.includes(':') ? `http://[${host}]:${target.port}` : `http://${host}:${target.port}`;
    const res = await request(`${origin}/${def.name}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
      signal,
      dispatcher: this.dispatcher,
    });
    const text = await this.readBounded(res.body);
    // From here on failures are parse failures (422) applied to a copy, so `local` stays the request on error.
    const out: Synapse = { ...local, dendrite: { ...local.dendrite }, axon: { ...local.axon } };
    const contentType = String(res.headers['content-type'] ?? '');
    if (!contentType.toLowerCase().startsWith('application/json')) throw new Error(`content-type '${contentType}'`);
    if (res.statusCode === 200) {
      const parsed = parseSynapseBody(def, text);
      if (!parsed.ok) throw new Error(`${parsed.field}: ${parsed.reason}`);
      for (const [key, value] of Object.entries(parsed.synapse)) (out as Record<string, unknown>)[key] = value;
      out.dendrite = { ...emptyTerminalInfo(), ...(parsed.synapse.dendrite ?? {}) };
      out.axon = { ...emptyTerminalInfo(), ...(parsed.synapse.axon ?? {}) };
    } else {
      const json = parseJson(text) as { message?: unknown } | null;
      const message =
        json && typeof json === 'object' && !Array.isArray(json) ? (json as { message?: unknown }).message : undefined;
      out.axon = {
        ...out.axon,
        status_code: res.statusCode,
        status_message: typeof message === 'string' ? message : null,
      };
    }
    const fromHeaders = decodeHeaders(res.headers as Record<string, string | string[] | undefined>);
    out.dendrite = mergeTerminal(out.dendrite, fromHeaders.dendrite);
    out.axon = mergeTerminal(out.axon, fromHeaders.axon);
    out.dendrite = { ...out.dendrite, status_code: out.axon.status_code, status_message: out.axon.status_message };
    return out;
  }

  private async readBounded(body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown }): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > this.maxResponseBytes) {
        body.destroy(new ResponseTooLargeError(`response larger than ${this.maxResponseBytes} bytes`));
        throw new ResponseTooLargeError(`response larger than ${this.maxResponseBytes} bytes`);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

/** True when the call succeeded (`dendrite.status_code == 200`). */
export const isSuccess = (s: Synapse): boolean => s.dendrite.status_code === 200;
/** True when the call timed out (408). */
export const isTimeout = (s: Synapse): boolean => s.dendrite.status_code === 408;
/** True when the axon blacklisted the caller (403). */
export const isBlacklist = (s: Synapse): boolean => s.dendrite.status_code === 403;
/** True when the axon rejected the signature or nonce (401). */
export const failedVerification = (s: Synapse): boolean => s.dendrite.status_code === 401;
/** True for any outcome other than 200. */
export const isFailure = (s: Synapse): boolean => s.dendrite.status_code !== 200;
