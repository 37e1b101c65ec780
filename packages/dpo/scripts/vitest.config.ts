import { defineConfig } from 'vitest/config';
import base from '../../../vitest.config.js';

// The longer DPO learnable-property run, outside CI:
//   pnpm vitest run --config packages/dpo/scripts/vitest.config.ts
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['packages/dpo/scripts/**/*.run.ts'], testTimeout: 3_600_000 },
});
