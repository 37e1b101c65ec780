import { defineConfig } from 'vitest/config';
import root from '../../../vitest.config.js';

// Longer runs that report figures (not part of `pnpm test`):
//   pnpm vitest run --config packages/reward/experiments/vitest.config.ts [name]
export default defineConfig({
  ...root,
  test: { ...root.test, include: ['packages/reward/experiments/**/*.experiment.ts'], testTimeout: 3_600_000 },
});
