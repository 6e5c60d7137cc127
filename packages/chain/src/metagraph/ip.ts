import { InvalidAxonError } from '../errors.js';

const U32_MAX = 0xffffffffn;

/**
 * Renders an on-chain u128 IP as text (§5.4): values ≤ 0xFFFFFFFF as dotted IPv4 (big-endian octets), larger as IPv6.
 * @param ip - the u128 value.
 * @returns `1.2.3.4` or compressed IPv6 text; `0.0.0.0` for 0.
 */
export function ipToString(ip: bigint): string {
  if (ip <= U32_MAX) {
    const n = Number(ip);
    return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip >> BigInt(i * 16)) & 0xffffn));
  // Longest run of ≥ 2 zero groups becomes '::' (RFC 5952).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/**
 * Parses IPv4 / IPv6 text into the on-chain u128 integer and its type.
 * @param text - `1.2.3.4` or an IPv6 address (`::` allowed, no zone id).
 * @returns `{ ip, ipType }`.
 * @throws InvalidAxonError when the text is not an IP address.
 */
export function ipFromString(text: string): { ip: bigint; ipType: 4 | 6 } {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    let ip = 0n;
    for (let i = 1; i <= 4; i++) {
      const o = Number(v4[i]);
      if (o > 255) throw new InvalidAxonError(`invalid IPv4 address: ${text}`);
      ip = (ip << 8n) | BigInt(o);
    }
    return { ip, ipType: 4 };
  }
  if (!/^[0-9a-fA-F:]+$/.test(text) || !text.includes(':')) throw new InvalidAxonError(`invalid IP address: ${text}`);
  const parts = text.split('::');
  if (parts.length > 2) throw new InvalidAxonError(`invalid IPv6 address: ${text}`);
  const head = parts[0] ? parts[0].split(':') : [];
  const tail = parts.length === 2 && parts[1] ? parts[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((parts.length === 1 && missing !== 0) || (parts.length === 2 && missing < 1)) {
    throw new InvalidAxonError(`invalid IPv6 address: ${text}`);
  }
  const groups = [...head, ...new Array<string>(parts.length === 2 ? missing : 0).fill('0'), ...tail];
  let ip = 0n;
  for (const g of groups) {
    if (g.length === 0 || g.length > 4) throw new InvalidAxonError(`invalid IPv6 address: ${text}`);
    ip = (ip << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return { ip, ipType: 6 };
}
