import { describe, expect, it } from 'vitest';
import { DojoError } from './errors.js';

describe('DojoError', () => {
  it('carries code, details and cause, and walks to the root cause', () => {
    const root = new Error('socket closed');
    const mid = new DojoError('DOJO_TEST_MID', 'mid', { cause: root });
    const top = new DojoError('DOJO_TEST_TOP', 'top', { cause: mid, details: { a: 1 } });
    expect(top.code).toBe('DOJO_TEST_TOP');
    expect(top.details).toEqual({ a: 1 });
    expect(top.walk()).toBe(root);
    expect(top.walk((e) => e instanceof DojoError && e.code === 'DOJO_TEST_MID')).toBe(mid);
    expect(top).toBeInstanceOf(Error);
  });
});
