import Fastify, { type FastifyReply } from 'fastify';
import { buildNotification, type MTurkNotification } from './mturk-notification.js';
import { MTurkApiError, MTurkState, type StoredAssignment, type StoredHit } from './mturk-state.js';

/** Options of {@link startMTurkServer}. */
export interface MTurkServerOptions {
  /** Bind host. @defaultValue '127.0.0.1' */
  host?: string;
  /** Bind port; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** HITs kept in memory; the oldest is evicted beyond it. @defaultValue 10000 */
  maxHits?: number;
  /** Notifications buffered for {@link MTurkServer.nextNotification}; the oldest is dropped beyond it. @defaultValue 1000 */
  maxQueuedNotifications?: number;
  /** `GetAccountBalance.AvailableBalance`. @defaultValue '10000.00' */
  availableBalance?: string;
  /** AWS account id put in notifications' `SourceAccount`. @defaultValue '123456789012' */
  sourceAccount?: string;
  /** Requester customer id put in notifications' `CustomerId`. @defaultValue 'A1LOCALREQUESTER' */
  customerId?: string;
  /** Clock. @defaultValue () => new Date() */
  now?: () => Date;
}

/** A running local MTurk requester endpoint with simulated workers. */
export interface MTurkServer {
  /** `http://127.0.0.1:<port>`: pass it as the MTurk client's `endpoint`. */
  readonly endpoint: string;
  /** Operations received, in order (`CreateHIT`, `GetHIT`, ...), bounded to the last 1000. */
  readonly calls: readonly string[];
  /** A HIT by id (the live object), or undefined. */
  getHit(hitId: string): Readonly<StoredHit> | undefined;
  /** All HITs currently held. */
  listHits(): Readonly<StoredHit>[];
  /**
   * A simulated worker accepts and submits an assignment of `hitId`. Emits the `AssignmentSubmitted` notification when the
   * HIT type has active notification settings for that event.
   * @param answers - question identifier → value (non-strings are JSON-encoded into `FreeText`).
   * @throws MTurkApiError when the HIT is unknown, not assignable, or the worker already submitted it.
   */
  submitAssignment(hitId: string, workerId: string, answers: Readonly<Record<string, unknown>>): StoredAssignment;
  /** Registers a notification hook; returns an unsubscribe function. */
  onNotification(cb: (n: MTurkNotification) => void): () => void;
  /** Resolves with the next queued notification (oldest first), waiting up to `timeoutMs` (default 5000). */
  nextNotification(timeoutMs?: number): Promise<MTurkNotification>;
  /** Notifications dropped because the queue was full. */
  readonly droppedNotifications: number;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'MTurkRequesterServiceV20170117.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

// awsJson1_1 renders timestamps as epoch seconds.
function toWire(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

function sendError(
  reply: FastifyReply,
  status: number,
  type: string,
  message: string,
  turkErrorCode?: string,
): FastifyReply {
  return reply
    .code(status)
    .header('content-type', CONTENT_TYPE)
    .header('x-amzn-requestid', crypto.randomUUID())
    .send(toWire({ __type: type, Message: message, ...(turkErrorCode ? { TurkErrorCode: turkErrorCode } : {}) }));
}

/**
 * Starts a local server speaking the MTurk requester JSON protocol (`X-Amz-Target: MTurkRequesterServiceV20170117.<Op>`,
 * `application/x-amz-json-1.1`, errors `{__type, Message}`) for CreateHIT, GetHIT, ListAssignmentsForHIT,
 * UpdateNotificationSettings, GetAccountBalance, GetAssignment and ApproveAssignment, with simulated workers.
 * A SigV4 `Authorization` header must be present; it is not verified.
 *
 * @param options - bind address, bounds, balance and clock.
 * @returns the running server; call `close()` when done.
 * @example
 * const mturk = await startMTurkServer();
 * const client = new MTurkClient({ region: 'us-east-1', endpoint: mturk.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
 */
export async function startMTurkServer(options: MTurkServerOptions = {}): Promise<MTurkServer> {
  const now = options.now ?? (() => new Date());
  const state = new MTurkState(options.maxHits ?? 10_000, now);
  const maxQueued = options.maxQueuedNotifications ?? 1000;
  const queue: MTurkNotification[] = [];
  const waiters: Array<(n: MTurkNotification) => void> = [];
  const hooks = new Set<(n: MTurkNotification) => void>();
  const calls: string[] = [];
  let dropped = 0;

  const publish = (n: MTurkNotification): void => {
    for (const hook of hooks) {
      try {
        hook(n);
      } catch {
        // A failing test hook must not break the simulated worker.
      }
    }
    const waiter = waiters.shift();
    if (waiter) {
      waiter(n);
      return;
    }
    queue.push(n);
    if (queue.length > maxQueued) {
      queue.shift();
      dropped++;
    }
  };

  const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
  app.addContentTypeParser(CONTENT_TYPE, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    CreateHIT: (input) => ({ HIT: state.createHit(input) }),
    GetHIT: (input) => ({ HIT: state.getHit(input.HITId) }),
    ListAssignmentsForHIT: (input) => state.listAssignments(input),
    UpdateNotificationSettings: (input) => {
      state.updateNotificationSettings(input);
      return {};
    },
    GetAccountBalance: () => ({ AvailableBalance: options.availableBalance ?? '10000.00', OnHoldBalance: '0.00' }),
    GetAssignment: (input) => state.getAssignment(input.AssignmentId),
    ApproveAssignment: (input) => {
      state.approve(input.AssignmentId);
      return {};
    },
  };

  app.post('/', async (req, reply) => {
    const target = req.headers['x-amz-target'];
    const auth = req.headers.authorization;
    if (typeof auth !== 'string' || !auth.startsWith('AWS4-HMAC-SHA256 Credential=') || !req.headers['x-amz-date']) {
      return sendError(reply, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
      return sendError(reply, 400, 'UnknownOperationException', 'Missing or unknown X-Amz-Target');
    }
    const op = target.slice(TARGET_PREFIX.length);
    const handler = operations[op];
    if (!handler) return sendError(reply, 400, 'UnknownOperationException', `Operation ${op} is not supported`);
    let input: unknown;
    try {
      input = JSON.parse(typeof req.body === 'string' && req.body.length > 0 ? req.body : '{}');
    } catch {
      return sendError(reply, 400, 'SerializationException', 'Request body is not valid JSON');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return sendError(reply, 400, 'SerializationException', 'Request body must be a JSON object');
    }
    calls.push(op);
    if (calls.length > 1000) calls.shift();
    try {
      const out = handler(input as Record<string, unknown>);
      return reply
        .code(200)
        .header('content-type', CONTENT_TYPE)
        .header('x-amzn-requestid', crypto.randomUUID())
        .send(toWire(out));
    } catch (err) {
      if (err instanceof MTurkApiError) return sendError(reply, 400, err.type, err.message, err.turkErrorCode);
      return sendError(reply, 500, 'ServiceFault', 'Internal error');
    }
  });

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`,
    calls,
    getHit: (hitId) => state.hits.get(hitId),
    listHits: () => [...state.hits.values()],
    submitAssignment(hitId, workerId, answers) {
      const { assignment, event } = state.submit(hitId, workerId, answers);
      const hit = state.getHit(hitId);
      const settings = state.notificationSettings.get(hit.HITTypeId);
      if (settings?.Active && settings.EventTypes.includes('AssignmentSubmitted')) {
        publish(
          buildNotification({
            destination: settings.Destination,
            transport: settings.Transport,
            version: settings.Version,
            events: [event],
            sourceAccount: options.sourceAccount ?? '123456789012',
            customerId: options.customerId ?? 'A1LOCALREQUESTER',
            now: now(),
          }),
        );
      }
      return assignment;
    },
    onNotification(cb) {
      hooks.add(cb);
      return () => hooks.delete(cb);
    },
    nextNotification(timeoutMs = 5000) {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const waiter = (n: MTurkNotification): void => {
          clearTimeout(timer);
          resolve(n);
        };
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`no MTurk notification within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    get droppedNotifications() {
      return dropped;
    },
    close: () => app.close(),
  };
}
