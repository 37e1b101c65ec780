import { defineConfig } from 'vitest/config';
import base from '../../../vitest.config.js';

// Longer SFT runs on real data, outside CI:
//   pnpm vitest run --config packages/sft/scripts/vitest.config.ts
// (RUNS=alpaca,alpaca-lora,xquad picks runs). Each run prints one JSON line with its before/after
// validation loss and statistics; progress records go to stderr.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['packages/sft/scripts/**/*.run.ts'], testTimeout: 3_600_000 },
});
