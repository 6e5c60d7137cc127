import { describe, expect, it } from 'vitest';
import { NonceCache } from './nonce-cache.js';

describe('NonceCache', () => {
  it('expires an entry ttl seconds after its last update', () => {
    let now = 0;
    const cache = new NonceCache({ ttlS: 10, maxKeys: 10, nowMs: () => now });
    cache.set('a', 5n);
    now = 9_000;
    expect(cache.get('a')).toBe(5n);
    cache.set('a', 6n);
    now = 18_000;
    expect(cache.get('a')).toBe(6n);
    now = 19_001;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently updated key beyond capacity and reports pressure', () => {
    const evicted: string[] = [];
    const cache = new NonceCache({ ttlS: 900, maxKeys: 2, nowMs: () => 0, onPressure: (k) => evicted.push(k) });
    cache.set('a', 1n);
    cache.set('b', 1n);
    cache.set('a', 2n);
    cache.set('c', 1n);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(2n);
    expect(cache.size).toBe(2);
    expect(evicted).toEqual(['b']);
  });
});
