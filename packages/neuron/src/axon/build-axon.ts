import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  axonSignatureMessage,
  decodeHeaders,
  emptyTerminalInfo,
  type HeaderSynapse,
  PROTOCOL_VERSION,
  parseSynapseBody,
  pythonStr,
  type Synapse,
  SynapseDef,
  type SynapseDefinition,
  stringifyJson,
} from '@dojo-ts/protocol';
import Fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import { v1 as uuidv1 } from 'uuid';
import { sr25519Ready } from '../crypto/sr25519.js';
import { PriorityTimeoutError } from '../errors.js';
import { NonceCache } from './nonce-cache.js';
import { PriorityGate } from './priority.js';
import { headerSynapseAsSynapse, pyNameList, responseHeaders, safeHeaders } from './respond.js';
import type { Axon, AxonOptions, SynapseHooks } from './types.js';
import { assertVerifyLimits, createDefaultVerify } from './verify.js';
import { createVerifyPool } from './verify-pool.js';

interface Route {
  def: SynapseDefinition;
  hooks: SynapseHooks;
}

interface RequestState {
  def: SynapseDefinition;
  hooks: SynapseHooks;
  hs: HeaderSynapse;
}

const MiB = 1024 * 1024;
async function readBounded(stream: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const epochNs = (): bigint => BigInt(Date.now()) * 1_000_000n;
const STATE = 'dojoState';
const timeoutText = (timeoutS: number): string => `Response timeout after: ${pythonStr(timeoutS, { kind: 'float' })}s`;

/** The hash-field values of a synapse when all are primitives (a snapshot that in-place mutation cannot change). */
function primitiveHashFields(def: SynapseDefinition, synapse: Synapse): unknown[] | null {
  const values: unknown[] = [];
  for (const field of def.requiredHashFields) {
    const v = (synapse as unknown as Record<string, unknown>)[field];
    if ((typeof v === 'object' && v !== null) || typeof v === 'function') return null;
    values.push(v);
  }
  return values;
}

/** True when `reply` holds exactly the snapshot's primitive values in its hash fields. */
function sameHashFields(def: SynapseDefinition, snapshot: readonly unknown[] | null, reply: Synapse): boolean {
  if (snapshot === null) return false;
  const fields = def.requiredHashFields;
  for (let i = 0; i < fields.length; i++) {
    if (!Object.is((reply as unknown as Record<string, unknown>)[fields[i] as string], snapshot[i])) return false;
  }
  return true;
}

/**
 * Builds a Dojo TS axon: the bittensor pipeline parse headers → blacklist → verify → priority → body hash → body
 * validation → handler, with the statuses and `{message}` bodies of wire.md §11 and the response headers of §12.
 *
 * @param options - Signer, limits and network identity.
 * @returns An {@link Axon}; nothing listens until `listen()`.
 * @throws NeuronConfigError when the nonce TTL is below the replay-safety bound or a limit is invalid.
 * @example
 * const axon = buildAxon({ signer }).attach(ChunkSynapseDef, { forward: (s) => ({ ...s, chunks: [] }) });
 * const res = await axon.fastify.inject({ method: 'POST', url: '/Synapse' });
 */
export function buildAxon(options: AxonOptions): Axon {
  const limits = {
    nonceTtlS: options.nonceTtlS ?? 900,
    maxFutureSkewS: options.maxFutureSkewS ?? 300,
    maxWindowTimeoutS: options.maxWindowTimeoutS ?? 120,
  };
  assertVerifyLimits(limits);
  const signer = options.signer;
  const nowNs = options.nowNs ?? epochNs;
  const signErrors = options.signErrorResponses ?? true;
  const axonUuid = uuidv1();
  const loggerOption = options.logger ?? false;
  const bodyLimit = options.bodyLimitBytes ?? 8 * MiB;
  const isLoggerInstance =
    typeof loggerOption === 'object' && typeof (loggerOption as FastifyBaseLogger).child === 'function';
  const app = Fastify({
    ...(isLoggerInstance
      ? { loggerInstance: loggerOption as FastifyBaseLogger }
      : { logger: loggerOption as boolean | Record<string, unknown> }),
    bodyLimit,
    exposeHeadRoutes: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  let lastPressureWarnMs = 0;
  const nonces = new NonceCache({
    ttlS: limits.nonceTtlS,
    maxKeys: options.nonceCacheMaxKeys ?? 100_000,
    // The default clock is Date.now() in ns: read it in ms directly (no BigInt round trip per nonce lookup).
    nowMs: options.nowNs ? () => Number(nowNs() / 1_000_000n) : Date.now,
    onPressure: () => {
      const now = Date.now();
      if (now - lastPressureWarnMs > 10_000) {
        lastPressureWarnMs = now;
        app.log.warn('nonce cache under pressure: evicted an entry younger than its TTL');
      }
    },
  });
  const pool = (options.verifyThreads ?? 0) > 0 ? createVerifyPool(options.verifyThreads ?? 1) : undefined;
  const defaultVerify = createDefaultVerify({
    ...limits,
    ownHotkey: signer.address,
    nonces,
    nowNs,
    ...(pool ? { verifySignature: pool.verify } : {}),
  });
  const gate = new PriorityGate(options.maxConcurrent ?? 16, options.maxQueued ?? 1024);
  const routes = new Map<string, Route>();
  // Per-request state lives on the fastify request (a decorated slot, so every request has the same shape).
  app.decorateRequest(STATE, null);
  const stateOf = (request: object): RequestState | undefined =>
    (request as { [STATE]?: RequestState | null })[STATE] ?? undefined;

  const internalError = (reason: string, err?: unknown): string => {
    const message = `Internal Server Error #${randomUUID()}`;
    app.log.error({ err, reason }, message);
    return message;
  };

  const sendError = (reply: FastifyReply, status: number, message: string, state?: RequestState): FastifyReply => {
    const name = state?.def.name ?? 'Synapse';
    const hs = state?.hs ?? emptyHeaderSynapse(name);
    hs.axon.status_code = status;
    hs.axon.status_message = message;
    if (signErrors && hs.axon.nonce !== null) {
      try {
        const msg = axonSignatureMessage({
          nonce: hs.axon.nonce,
          dendriteHotkey: hs.dendrite.hotkey ?? 'None',
          axonHotkey: hs.axon.hotkey ?? 'None',
          uuid: axonUuid,
        });
        hs.axon.signature = `0x${Buffer.from(signer.sign(new TextEncoder().encode(msg))).toString('hex')}`;
      } catch (err) {
        app.log.warn({ err }, 'could not sign the error reply');
      }
    }
    const def = state?.def ?? SynapseDef;
    let headers: Record<string, string>;
    try {
      headers = responseHeaders(def, headerSynapseAsSynapse(state?.def, hs, name));
    } catch {
      headers = safeHeaders({ bt_header_axon_status_code: String(status), bt_header_axon_status_message: message });
    }
    if (closing) headers['connection'] = 'close';
    return reply.code(status).headers(headers).type('application/json').send(JSON.stringify({ message }));
  };

  const emptyHeaderSynapse = (name: string): HeaderSynapse => ({
    name,
    timeout: null,
    total_size: null,
    header_size: null,
    computed_body_hash: '',
    dendrite: emptyTerminalInfo(),
    axon: { ...emptyTerminalInfo(), version: PROTOCOL_VERSION, uuid: axonUuid, nonce: nowNs(), hotkey: signer.address },
    inputObj: {},
  });

  let closing = false;
  app.addHook('onReady', async () => {
    await sr25519Ready();
  });
  // Node closes only idle keep-alive sockets on close(); asking clients to drop the connection after each in-flight
  // reply lets close() finish as soon as those replies are sent.
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onClose', async () => {
    await pool?.destroy();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  // Route-level onRequest hook (one per synapse route, so no route lookup through `request.routeOptions`).
  const onRequest = (name: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const route = routes.get(name);
    if (!route) return;
    let hs: HeaderSynapse;
    try {
      hs = decodeHeaders(request.headers);
    } catch (err) {
      return sendError(reply, 500, internalError('headers do not parse into a synapse', err), {
        ...route,
        hs: emptyHeaderSynapse(name),
      });
    }
    hs.name = name;
    // decodeHeaders returns fresh TerminalInfo objects with every field present: fill them in place.
    hs.axon.version = PROTOCOL_VERSION;
    hs.axon.uuid = axonUuid;
    hs.axon.nonce = nowNs();
    hs.axon.status_code = 100;
    hs.dendrite.ip = request.socket.remoteAddress ?? null;
    hs.dendrite.port = request.socket.remotePort ?? null;
    const state: RequestState = { def: route.def, hooks: route.hooks, hs };
    (request as unknown as { [STATE]: RequestState })[STATE] = state;

    if (route.hooks.blacklist) {
      let verdict: readonly [boolean, string];
      try {
        verdict = await route.hooks.blacklist(hs);
      } catch (err) {
        return sendError(reply, 500, internalError('blacklist function failed', err), state);
      }
      if (verdict[0]) return sendError(reply, 403, `Forbidden. Key is blacklisted: ${verdict[1]}.`, state);
    }
    try {
      await (route.hooks.verify ?? defaultVerify)(hs);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return sendError(reply, 401, `Not Verified with error: ${reason}`, state);
    }
    const timeoutS = hs.timeout !== null && Number.isFinite(hs.timeout) ? hs.timeout : 12;
    let priority = 0;
    if (route.hooks.priority) {
      try {
        priority = Number(await route.hooks.priority(hs));
        if (Number.isNaN(priority)) priority = 0;
      } catch (err) {
        if (err instanceof PriorityTimeoutError) return sendError(reply, 408, timeoutText(timeoutS), state);
        return sendError(reply, 500, internalError('priority function failed', err), state);
      }
    }
    // A free slot is taken synchronously; only a full gate waits (in priority order).
    const free = gate.tryAcquire();
    if (free) {
      reply.raw.on('close', free);
      return;
    }
    try {
      const release = await gate.acquire(priority, timeoutS * 1000);
      reply.raw.on('close', release);
    } catch (err) {
      if (err instanceof PriorityTimeoutError) return sendError(reply, 408, timeoutText(timeoutS), state);
      return sendError(reply, 503, err instanceof Error ? err.message : 'axon busy', state);
    }
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const state = stateOf(request);
    if (!state) return sendError(reply, 500, internalError('request state missing'));
    let text: string;
    if (typeof request.body === 'string') text = request.body;
    else if (request.raw.method === 'GET') {
      // fastify never parses GET bodies; Python axons accept them, so read the stream ourselves (bounded).
      const raw = await readBounded(request.raw, bodyLimit);
      if (raw === null) return sendError(reply, 413, `Request body is too large (limit ${bodyLimit} bytes)`, state);
      text = raw;
    } else text = '';
    const parsed = parseSynapseBody(state.def, text);
    if (!parsed.ok) return sendError(reply, 422, `${parsed.field}: ${parsed.reason}`, state);
    if (parsed.bodyHash !== state.hs.computed_body_hash) {
      return sendError(reply, 500, internalError('body hash does not match computed_body_hash'), state);
    }
    const hashSnapshot = primitiveHashFields(state.def, parsed.synapse);
    const started = performance.now();
    let out: Synapse;
    try {
      out = await state.hooks.forward(parsed.synapse);
    } catch (err) {
      return sendError(reply, 500, internalError('forward handler failed', err), state);
    }
    if (!out || typeof out !== 'object')
      return sendError(reply, 500, internalError('forward returned no synapse'), state);
    const axon = { ...emptyTerminalInfo(), ...(out.axon ?? {}) };
    axon.status_code ??= 200;
    if (axon.status_code === 200 && !axon.status_message) axon.status_message = 'Success';
    axon.process_time = (performance.now() - started) / 1000;
    const reply200 = { ...out, name: state.def.name, axon };
    const status =
      Number.isInteger(axon.status_code) && axon.status_code >= 200 && axon.status_code <= 599 ? axon.status_code : 500;
    let body: string;
    try {
      body = stringifyJson(reply200);
    } catch (err) {
      return sendError(reply, 500, internalError('reply does not serialise', err), state);
    }
    // The request's body hash still holds when every hash field is the same primitive value (the common handler
    // returns `{ ...s, extra }`); objects could have been mutated in place, so they are hashed again.
    const headers = responseHeaders(
      state.def,
      reply200,
      sameHashFields(state.def, hashSnapshot, reply200) ? parsed.bodyHash : undefined,
    );
    if (closing) headers['connection'] = 'close';
    // The body is a prebuilt JSON string: fastify sends it as is (no serializer).
    return reply.code(status).headers(headers).type('application/json').send(body);
  };

  app.setNotFoundHandler((request, reply) => {
    const name = (request.url.split('?')[0] ?? '').split('/')[1] ?? '';
    if (name === '')
      return sendError(
        reply,
        400,
        `Improperly formatted request. Could not parse synapse name from path '${request.url}'.`,
      );
    return sendError(
      reply,
      404,
      `Synapse name '${name}' not found. Available synapses ${pyNameList([...routes.keys()])}`,
    );
  });

  app.setErrorHandler((err: { statusCode?: number; message?: string }, request, reply) => {
    const state = stateOf(request);
    const code = err.statusCode;
    if (code !== undefined && code >= 400 && code < 500)
      return sendError(reply, code, err.message ?? 'Bad Request', state);
    return sendError(reply, 500, internalError('unhandled error', err), state);
  });

  const attachRoute = (def: SynapseDefinition, hooks: SynapseHooks) => {
    const known = routes.has(def.name);
    routes.set(def.name, { def, hooks });
    if (known) return;
    app.route({
      method: ['GET', 'POST'],
      url: `/${def.name}`,
      config: { synapseName: def.name },
      onRequest: onRequest(def.name),
      handler: handle,
    });
  };
  attachRoute(SynapseDef, { forward: (s) => s });

  const axon: Axon = {
    fastify: app,
    hotkey: signer.address,
    uuid: axonUuid,
    externalIp: options.externalIp ?? '0.0.0.0',
    externalPort: options.externalPort ?? 8091,
    attach(def, hooks) {
      attachRoute(def as unknown as SynapseDefinition, hooks as unknown as SynapseHooks);
      return axon;
    },
    listen: (listenOptions = {}) =>
      app.listen({ host: listenOptions.host ?? '0.0.0.0', port: listenOptions.port ?? axon.externalPort }),
    close: () => app.close(),
  };
  return axon;
}
