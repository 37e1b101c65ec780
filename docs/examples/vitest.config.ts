import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.js';

// Runs the guides' examples (run-snippets.test.ts) with the same source aliases as `pnpm test`:
// pnpm exec vitest run --config docs/examples/vitest.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: root.resolve,
  test: {
    include: ['docs/examples/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
