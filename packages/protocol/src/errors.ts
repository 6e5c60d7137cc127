/** Options accepted by every {@link DojoError}. */
export interface DojoErrorOptions {
  /** Structured context for logs and callers; never put secrets here. */
  details?: Record<string, unknown>;
  /** The error that caused this one. */
  cause?: unknown;
}

/**
 * Base class of every Dojo TS error: a stable `code` (`DOJO_<PACKAGE>_<WHAT>`), a short message,
 * optional structured `details` and a `cause` chain.
 *
 * @example
 * throw new DojoError('DOJO_PROTOCOL_BODY_HASH_MISMATCH', 'body hash does not match the header', { details: { route } });
 */
export class DojoError extends Error {
  override name = 'DojoError';
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: DojoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  /** Walks the `cause` chain and returns the deepest error, or the first one `fn` accepts. */
  walk(fn?: (err: unknown) => boolean): unknown {
    let current: unknown = this;
    for (let depth = 0; depth < 32; depth++) {
      if (fn?.(current)) return current;
      const next = (current as { cause?: unknown } | null)?.cause;
      if (next === undefined || next === null) return fn ? null : current;
      current = next;
    }
    return fn ? null : current;
  }
}
/** Thrown when request or response headers do not validate into a synapse (upstream `SynapseParsingError`, HTTP 500). */
export class SynapseParsingError extends DojoError {
  override name = 'SynapseParsingError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_PROTOCOL_SYNAPSE_PARSING', message, options);
  }
}

/** Thrown when a body or field value does not validate against the declared synapse field types (HTTP 422, W8). */
export class BodyValidationError extends DojoError {
  override name = 'BodyValidationError';
  /** Dotted path of the first bad field, e.g. `completions.0.text`. */
  readonly field: string;
  /** Why it is bad, e.g. `expected string`. */
  readonly reason: string;
  constructor(field: string, reason: string, options: Omit<DojoErrorOptions, 'details'> = {}) {
    super('DOJO_PROTOCOL_BODY_INVALID', `${field}: ${reason}`, { ...options, details: { field, reason } });
    this.field = field;
    this.reason = reason;
  }
}

/** Thrown when a synapse name is not in the registry. */
export class UnknownSynapseError extends DojoError {
  override name = 'UnknownSynapseError';
  constructor(synapseName: string) {
    super('DOJO_PROTOCOL_UNKNOWN_SYNAPSE', `unknown synapse '${synapseName}'`, { details: { synapseName } });
  }
}

/** Thrown when a version string is not `major.minor.patch` with parts below 1000. */
export class InvalidVersionError extends DojoError {
  override name = 'InvalidVersionError';
  constructor(version: string) {
    super('DOJO_PROTOCOL_INVALID_VERSION', `invalid version '${version}'`, { details: { version } });
  }
}
