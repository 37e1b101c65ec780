import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from './test-support/cli-harness.js';

const data = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));

describe('rlhf generate --backend webgpu', () => {
  it('reproduces the published stories260K greedy 200 tokens and text (Dawn on the CPU here)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rlhf-cli-webgpu-')), 'stories260K');
    const conv = await runCliCaptured([
      'convert',
      'llama2c',
      '--model',
      join(data, 'stories260K.bin'),
      '--tokenizer',
      join(data, 'tok512.bin'),
      '--out',
      dir,
    ]);
    expect(conv.code).toBe(0);
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
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    const lines = gen.stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1] as string) as Record<string, unknown>;
    const expectedIds = readFileSync(join(data, 'greedy_200_tokens.txt'), 'utf8').trim().split(/\s+/).map(Number);
    expect(result.generated_ids).toEqual(expectedIds);
    expect(result.text).toBe(readFileSync(join(data, 'greedy_200_text.txt'), 'utf8'));
  });
});
