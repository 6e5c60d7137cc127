import { defineConfig } from 'vitest/config';

// "source" resolves workspace packages to their TypeScript sources, so tests never need a build first.
export default defineConfig({
  resolve: { conditions: ['source', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['source', 'node', 'import', 'default'] } },
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 20_000, hookTimeout: 30_000, pool: 'forks' },
});
