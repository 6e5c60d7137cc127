import type { ServeAxonParams } from '../chain.js';
import { InvalidAxonError } from '../errors.js';
import { ipFromString, ipToString } from '../metagraph/ip.js';

/** Validated `serve_axon` arguments. */
export interface ValidatedAxon {
  ip: bigint;
  ipText: string;
  ipType: 4 | 6;
  port: number;
  protocol: number;
  version: number;
}

const U128_MAX = (1n << 128n) - 1n;

/**
 * Checks `serveAxon` parameters the way the chain does (§7.4), so a neuron gets a clear error instead of a pool
 * rejection: loopback (127.0.0.1, ::1), port 0, IP type mismatches and out-of-range values are refused.
 * @param p - parameters.
 * @returns the on-chain integer form.
 * @throws InvalidAxonError with a message naming the problem.
 */
export function validateServeAxon(p: ServeAxonParams): ValidatedAxon {
  const { ip, ipType } = ipFromString(p.ip);
  if (p.ipType !== undefined && p.ipType !== ipType) {
    throw new InvalidAxonError(`ipType ${p.ipType} does not match address ${p.ip}`);
  }
  if (ipType === 4 && ip === 0x7f000001n) {
    throw new InvalidAxonError('refusing to serve on 127.0.0.1: the chain rejects loopback; use your public IP');
  }
  if (ipType === 4 && ip >= 0xffffffffn) throw new InvalidAxonError(`invalid IPv4 address ${p.ip}`);
  if (ipType === 6 && (ip === 1n || ip === U128_MAX)) {
    throw new InvalidAxonError(`refusing to serve on ${p.ip}: the chain rejects it`);
  }
  if (!Number.isInteger(p.port) || p.port <= 0 || p.port > 65535) {
    throw new InvalidAxonError(`invalid port ${p.port}: must be 1..65535 (the chain rejects port 0)`);
  }
  const protocol = p.protocol ?? 4;
  if (!Number.isInteger(protocol) || protocol < 0 || protocol > 255) throw new InvalidAxonError('invalid protocol');
  if (!Number.isInteger(p.version) || p.version < 0 || p.version > 0xffffffff) {
    throw new InvalidAxonError(`invalid version ${p.version}`);
  }
  return { ip, ipText: ipToString(ip), ipType, port: p.port, protocol, version: p.version };
}
