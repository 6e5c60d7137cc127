import { BlockList, isIPv4 } from 'node:net';

/** Where AWS publishes its IP ranges. */
export const AWS_IP_RANGES_URL = 'https://ip-ranges.amazonaws.com/ip-ranges.json';

/** Options of {@link createAwsIpFilter}. */
export interface AwsIpFilterOptions {
  /** Returns the parsed `ip-ranges.json` document. */
  fetchRanges: () => Promise<unknown>;
  /** @defaultValue 'us-east-1' */
  region?: string;
  /** Minimum time between refreshes, seconds. @defaultValue 300 */
  refreshS?: number;
  nowMs?: () => number;
  onError?: (err: unknown) => void;
}

function buildList(doc: unknown, region: string): BlockList {
  const prefixes = (doc as { prefixes?: unknown } | null)?.prefixes;
  if (!Array.isArray(prefixes)) throw new Error('ip-ranges document has no prefixes list');
  const list = new BlockList();
  for (const p of prefixes as Array<{ ip_prefix?: unknown; region?: unknown }>) {
    if (p.region !== region || typeof p.ip_prefix !== 'string') continue;
    const [net, bits] = p.ip_prefix.split('/');
    if (net && isIPv4(net) && bits !== undefined) list.addSubnet(net, Number(bits), 'ipv4');
  }
  return list;
}

/**
 * The optional `--api.aws_ip_filter` (dojo.md §7 step 3): allows only client IPv4 addresses inside AWS prefixes of
 * `region`, refreshing the list at most every `refreshS`; a failed refresh keeps the last good list. IPv6 clients and
 * any client before the first successful load are refused.
 *
 * @param o - range source, region, refresh interval, clock.
 * @returns `(ip) => allowed`.
 */
export function createAwsIpFilter(o: AwsIpFilterOptions): (ip: string) => Promise<boolean> {
  const now = o.nowMs ?? Date.now;
  const region = o.region ?? 'us-east-1';
  let list: BlockList | null = null;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | null = null;
  const refresh = async () => {
    try {
      list = buildList(await o.fetchRanges(), region);
    } catch (err) {
      o.onError?.(err);
    } finally {
      loadedAt = now();
    }
  };
  return async (ip) => {
    if (now() - loadedAt >= (o.refreshS ?? 300) * 1000) {
      loading ??= refresh().finally(() => {
        loading = null;
      });
      await loading;
    }
    const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    return list !== null && isIPv4(v4) && list.check(v4, 'ipv4');
  };
}
