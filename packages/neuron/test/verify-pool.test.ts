import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('verification on worker threads (verifyThreads)', () => {
  it('accepts a valid request and rejects a wrong signature and a replay, like the inline path', async () => {
    const script = fileURLToPath(new URL('./pool-check.ts', import.meta.url));
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
      cwd,
      timeout: 60_000,
    });
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '[]')).toEqual([200, 401, 401]);
  }, 70_000);
});
