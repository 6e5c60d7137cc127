import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsIpFilter } from './aws-ip-filter.js';

// A local stand-in for https://ip-ranges.amazonaws.com/ip-ranges.json (same document shape).
let doc: unknown = {
  syncToken: '1',
  prefixes: [
    { ip_prefix: '3.5.0.0/19', region: 'us-east-1', service: 'AMAZON', network_border_group: 'us-east-1' },
    { ip_prefix: '13.32.0.0/15', region: 'eu-west-1', service: 'AMAZON', network_border_group: 'eu-west-1' },
  ],
  ipv6_prefixes: [{ ipv6_prefix: '2600:1f18::/33', region: 'us-east-1', service: 'AMAZON' }],
};
let hits = 0;
const server = createServer((_req, res) => {
  hits++;
  if (doc === null) {
    res.writeHead(500).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ip-ranges.json`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const fetchRanges = async () => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
};

describe('AWS IP filter', () => {
  it('allows only IPv4 clients inside us-east-1 prefixes (IPv4-mapped IPv6 included)', async () => {
    const allow = createAwsIpFilter({ fetchRanges });
    expect(await allow('3.5.1.2')).toBe(true);
    expect(await allow('::ffff:3.5.31.255')).toBe(true);
    expect(await allow('3.5.32.0')).toBe(false);
    expect(await allow('13.32.0.1')).toBe(false);
    expect(await allow('2600:1f18::1')).toBe(false);
  });

  it('refreshes at most every 300 s and keeps the last good list when a refresh fails', async () => {
    let t = 0;
    hits = 0;
    const errors: unknown[] = [];
    const allow = createAwsIpFilter({ fetchRanges, nowMs: () => t, onError: (e) => errors.push(e) });
    expect(await allow('3.5.1.2')).toBe(true);
    t = 299_000;
    expect(await allow('3.5.1.2')).toBe(true);
    expect(hits).toBe(1);
    doc = null;
    t = 300_000;
    expect(await allow('3.5.1.2')).toBe(true);
    expect(hits).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('refuses everyone until a list was loaded once', async () => {
    doc = null;
    const allow = createAwsIpFilter({ fetchRanges, onError: () => {} });
    expect(await allow('3.5.1.2')).toBe(false);
  });
});
