import { InvalidVersionError } from './errors.js';

/**
 * bittensor's `version_as_int`: `major·1_000_000 + minor·1_000 + patch`.
 *
 * @param version - `major.minor.patch`, each part below 1000.
 * @returns The version integer.
 * @throws {InvalidVersionError} on anything else.
 * @example versionAsInt('7.4.0') // => 7004000
 */
export function versionAsInt(version: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(version);
  if (m === null) throw new InvalidVersionError(version);
  return Number(m[1]) * 1_000_000 + Number(m[2]) * 1_000 + Number(m[3]);
}
