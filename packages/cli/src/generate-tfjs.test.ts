import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBackend } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { convertStories260K, expectPublishedGreedy200, runCliCaptured } from './test-support/cli-harness.js';

describe('rlhf generate --backend tfjs', () => {
  it('reproduces the published greedy 200 tokens and text of stories260K (tfjs loads its wasm backend itself)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rlhf-cli-tfjs-')), 'stories260K');
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
      'tfjs',
      '--json',
    ]);
    const result = expectPublishedGreedy200(gen);
    expect(result.prompt_ids).toEqual([1]);
    // The CLI resolved (and core cached) the tfjs backend, on tfjs's wasm backend.
    const used = (await resolveBackend('tfjs')) as { name: string; tfjsBackend?: string };
    expect([used.name, used.tfjsBackend]).toEqual(['tfjs', 'wasm']);
  });
});
