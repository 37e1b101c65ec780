import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.js';

// Runs the guides' examples (run-snippets.test.ts) with the same source aliases as `pnpm test`:
// pnpm exec vitest run --config docs/examples/vitest.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: {
    ...root.resolve,
    // The TensorFlow.js example imports tfjs as its users do; in this workspace tfjs is installed for
    // @rlhf/backend-tfjs, so the guides resolve it from there.
    alias: [
      ...((root.resolve?.alias ?? []) as { find: RegExp | string; replacement: string }[]),
      ...['tfjs-core', 'tfjs-backend-wasm'].map((name) => ({
        find: new RegExp(`^@tensorflow/${name}$`),
        replacement: fileURLToPath(
          new URL(`../../packages/backend-tfjs/node_modules/@tensorflow/${name}`, import.meta.url),
        ),
      })),
    ],
  },
  test: {
    include: ['docs/examples/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
