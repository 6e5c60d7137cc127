import { randomBytes, randomUUID } from 'node:crypto';
import Fastify, { type FastifyReply } from 'fastify';

/** Options of {@link startStsServer}. */
export interface StsServerOptions {
  /** Bind host. @defaultValue '127.0.0.1' */
  host?: string;
  /** Bind port; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** Role ARNs that may be assumed; others get `AccessDenied`. @defaultValue any well-formed role ARN */
  allowedRoleArns?: readonly string[];
  /** Clock. @defaultValue () => new Date() */
  now?: () => Date;
}

/** Credentials the server handed out (the test side can check what a validator received). */
export interface IssuedCredentials {
  roleArn: string;
  roleSessionName: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** A running local STS endpoint. */
export interface StsServer {
  /** `http://127.0.0.1:<port>`: pass it as the STS client's `endpoint`. */
  readonly endpoint: string;
  /** Credentials issued so far (bounded to the last 1000). */
  readonly issued: readonly IssuedCredentials[];
  close(): Promise<void>;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,64}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function stsError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  const xml =
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message.replace(/[<>&]/g, '')}</Message></Error>` +
    `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  return reply.code(status).header('content-type', 'text/xml').send(xml);
}

function token(prefix: string, bytes: number): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/**
 * Starts a local AWS STS endpoint speaking the awsQuery protocol (form-encoded `Action=AssumeRole`, XML answers) so the
 * real `@aws-sdk/client-sts` can obtain the temporary credentials an `aws_mturk` miner hands to validators. A SigV4
 * `Authorization` header must be present; it is not verified.
 *
 * @param options - bind address, allowed roles, clock.
 * @returns the running server.
 * @example
 * const sts = await startStsServer();
 * const client = new STSClient({ region: 'us-east-1', endpoint: sts.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
 */
export async function startStsServer(options: StsServerOptions = {}): Promise<StsServer> {
  const now = options.now ?? (() => new Date());
  const issued: IssuedCredentials[] = [];
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  app.post('/', async (req, reply) => {
    const auth = req.headers.authorization;
    if (typeof auth !== 'string' || !auth.startsWith('AWS4-HMAC-SHA256 Credential=')) {
      return stsError(reply, 403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    }
    const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
    if (form.get('Action') !== 'AssumeRole')
      return stsError(reply, 400, 'InvalidAction', `Could not find operation ${form.get('Action')}`);
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    const duration = Number(form.get('DurationSeconds') ?? '3600');
    if (!ROLE_ARN.test(roleArn)) return stsError(reply, 400, 'ValidationError', `RoleArn ${roleArn} is not a role ARN`);
    if (!SESSION_NAME.test(sessionName)) return stsError(reply, 400, 'ValidationError', 'RoleSessionName is invalid');
    if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
      return stsError(reply, 400, 'ValidationError', 'DurationSeconds must be between 900 and 43200');
    }
    if (options.allowedRoleArns && !options.allowedRoleArns.includes(roleArn)) {
      return stsError(reply, 403, 'AccessDenied', `not authorized to perform sts:AssumeRole on resource ${roleArn}`);
    }
    const creds: IssuedCredentials = {
      roleArn,
      roleSessionName: sessionName,
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: token('', 30),
      sessionToken: token('FwoGZXIvYXdzE', 96),
      expiration: new Date(Math.floor(now().getTime() / 1000) * 1000 + duration * 1000),
    };
    issued.push(creds);
    if (issued.length > 1000) issued.shift();
    const account = roleArn.split(':')[4];
    const roleName = roleArn.split('/').at(-1);
    const xml =
      `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult>` +
      `<AssumedRoleUser><AssumedRoleId>AROA${randomBytes(8).toString('hex').toUpperCase()}:${sessionName}</AssumedRoleId>` +
      `<Arn>arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}</Arn></AssumedRoleUser>` +
      `<Credentials><AccessKeyId>${creds.accessKeyId}</AccessKeyId><SecretAccessKey>${creds.secretAccessKey}</SecretAccessKey>` +
      `<SessionToken>${creds.sessionToken}</SessionToken><Expiration>${creds.expiration.toISOString().replace('.000Z', 'Z')}</Expiration></Credentials>` +
      `</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
    return reply.code(200).header('content-type', 'text/xml').send(xml);
  });

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`, issued, close: () => app.close() };
}
