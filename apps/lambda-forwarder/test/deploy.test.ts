import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const deploy = (args: string[]) =>
  execFileSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(root, 'scripts', 'deploy.ts'), ...args],
    {
      cwd: root,
      encoding: 'utf8',
      // No credentials at all: a dry run must not need (or try) any AWS call.
      env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );

describe('npm run deploy -- --dry-run', () => {
  it('bundles, prints the upload, resources and parameters, and calls nothing', () => {
    const out = deploy([
      '--dry-run',
      '--target-url',
      'http://203.0.113.5:1888/api/human_feedback/callback',
      '--bucket',
      'b',
      '--environment',
      'sandbox',
    ]);
    expect(out).toMatch(/upload {3}s3:\/\/b\/dojo-ts\/lambda-forwarder\/[0-9a-f]{16}\.zip/);
    expect(out).toMatch(/Forwarder +AWS::Lambda::Function/);
    expect(out).toContain('MTurkEnvironment=sandbox');
    expect(out).toContain('dry run: no AWS call made');
  });

  it('refuses a target that is not the miner callback route', () => {
    expect(() => deploy(['--dry-run', '--target-url', 'http://x/other', '--bucket', 'b'])).toThrow(/human_feedback/);
  });
});
