import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { convertStories260K, expectPublishedGreedy200, runCliCaptured } from './test-support/cli-harness.js';

describe('rlhf generate --backend webgpu', () => {
  it('reproduces the published stories260K greedy 200 tokens and text (Dawn on the CPU here)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rlhf-cli-webgpu-')), 'stories260K');
    await convertStories260K(dir);
    const gen = await runCliCaptured([
      'generate',
      '--model',
      dir,
      '--max-new-tokens',
      '200',
      '--temperature',
      '0',
      '--backend',
      'webgpu',
      '--json',
    ]);
    expectPublishedGreedy200(gen);
  });
});
