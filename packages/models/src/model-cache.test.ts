import { describe, expect, it } from 'vitest';
import { ModelCache } from './model-cache.js';

function fake(name: string, disposed: string[]) {
  return { name, dispose: async () => void disposed.push(name) };
}

describe('ModelCache', () => {
  it('loads each name once and shares concurrent loads', async () => {
    const cache = new ModelCache<ReturnType<typeof fake>>(2);
    let loads = 0;
    const load = async () => {
      loads++;
      return fake('a', []);
    };
    const [x, y] = await Promise.all([cache.get('a', load), cache.get('a', load)]);
    expect(x).toBe(y);
    expect(loads).toBe(1);
  });

  it('evicts and disposes the least recently used model beyond maxSize', async () => {
    const disposed: string[] = [];
    const cache = new ModelCache<ReturnType<typeof fake>>(2);
    await cache.get('a', async () => fake('a', disposed));
    await cache.get('b', async () => fake('b', disposed));
    await cache.get('a', async () => fake('a2', disposed)); // hit: a becomes most recent
    await cache.get('c', async () => fake('c', disposed));
    await new Promise((r) => setImmediate(r));
    expect(disposed).toEqual(['b']);
    expect(cache.size).toBe(2);
    expect((await cache.get('a', async () => fake('a3', disposed))).name).toBe('a');
  });

  it('does not cache a failed load', async () => {
    const cache = new ModelCache<ReturnType<typeof fake>>(2);
    await expect(cache.get('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await cache.get('a', async () => fake('ok', []))).name).toBe('ok');
  });

  it('rejects a size below 1', () => {
    expect(() => new ModelCache(0)).toThrow(/positive integer/);
  });
});
