import { describe, expect, it } from 'vitest';
import { ipFromString, ipToString } from './ip.js';

describe('IP encoding (§5.4)', () => {
  it('renders 16909060 as 1.2.3.4 and back', () => {
    expect(ipToString(16909060n)).toBe('1.2.3.4');
    expect(ipFromString('1.2.3.4')).toEqual({ ip: 16909060n, ipType: 4 });
  });
  it('renders 0 as 0.0.0.0', () => {
    expect(ipToString(0n)).toBe('0.0.0.0');
  });
  it('renders the IPv6 vector 2001:db8::1', () => {
    const v = 42540766411282592856903984951653826561n;
    expect(ipToString(v)).toBe('2001:db8::1');
    expect(ipFromString('2001:db8::1')).toEqual({ ip: v, ipType: 6 });
  });
  it('rejects malformed addresses', () => {
    expect(() => ipFromString('1.2.3.256')).toThrow(/invalid/);
    expect(() => ipFromString('hello')).toThrow(/invalid/);
    expect(() => ipFromString('1::2::3')).toThrow(/invalid/);
  });
});
