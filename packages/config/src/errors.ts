import { DojoError, type DojoErrorOptions } from '@dojo-ts/protocol';

/** A flag or env value does not validate; thrown when the caller gives no `makeError` of its own. */
export class FlagValueError extends DojoError {
  override name = 'FlagValueError';
  readonly where: string;
  constructor(where: string, message: string, options: DojoErrorOptions = {}) {
    super('DOJO_CONFIG_FLAG_VALUE', `${where}: ${message}`, { ...options, details: { where } });
    this.where = where;
  }
}
