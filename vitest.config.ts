import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from their TypeScript sources, so `pnpm test` needs no build step.
const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));
const alias = readdirSync(packagesDir).flatMap((dir) => [
  { find: new RegExp(`^@rlhf/${dir}/testing$`), replacement: `${packagesDir}${dir}/src/testing/index.ts` },
  { find: new RegExp(`^@rlhf/${dir}/node$`), replacement: `${packagesDir}${dir}/src/node.ts` },
  { find: new RegExp(`^@rlhf/${dir}$`), replacement: `${packagesDir}${dir}/src/index.ts` },
]);

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'benchmarks/src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
