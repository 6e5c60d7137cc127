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
