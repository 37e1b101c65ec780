import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from './test-support/cli-harness.js';

const data = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));

const cli = (argv: string[]) => runCliCaptured(argv);

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string);
}

describe('rlhf convert llama2c / rlhf generate', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'rlhf-cli-')), 'stories260K');

  it('converts stories260K and generates its published greedy 200 tokens and text', async () => {
    const conv = await cli([
      'convert',
      'llama2c',
      '--model',
      join(data, 'stories260K.bin'),
      '--tokenizer',
      join(data, 'tok512.bin'),
      '--out',
      dir,
      '--json',
    ]);
    expect(conv.stderr).toBe('');
    expect(conv.code).toBe(0);
    expect(lastJson(conv.stdout)).toEqual({ out: dir, parameters: 260_032 });
    for (const extra of [[], ['--no-cache']]) {
      const gen = await cli([
        'generate',
        '--model',
        dir,
        '--max-new-tokens',
        '200',
        '--temperature',
        '0',
        '--backend',
        'js',
        '--json',
        ...extra,
      ]);
      expect(gen.code).toBe(0);
      const result = lastJson(gen.stdout);
      const expectedIds = readFileSync(join(data, 'greedy_200_tokens.txt'), 'utf8').trim().split(/\s+/).map(Number);
      expect(result.prompt_ids).toEqual([1]);
      expect(result.generated_ids).toEqual(expectedIds);
      expect(result.text).toBe(readFileSync(join(data, 'greedy_200_text.txt'), 'utf8'));
    }
  });

  it('errors are one sentence on stderr with a non-zero exit code', async () => {
    const missing = await cli(['generate', '--model', join(dir, 'nope'), '--json']);
    expect(missing.code).toBe(1);
    // Without --backend, the one line before the error says which backend was chosen (the fastest installed).
    const [notice, ...errors] = missing.stderr.split('\n').filter(Boolean);
    expect(notice).toMatch(/^rlhf: using backend onnxruntime, the fastest installed/);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^rlhf: Missing file .*config\.json.* \[MODEL_FILE_MISSING\]$/);
    const unknown = await cli(['generate', '--model', dir, '--tempreature', '0']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown flag --tempreature/);
    const badNumber = await cli(['generate', '--model', dir, '--max-new-tokens', 'many']);
    expect(badNumber.stderr).toMatch(/--max-new-tokens expects a number, got 'many'/);
    const unknownBackend = await cli(['generate', '--model', dir, '--backend', 'cuda']);
    expect(unknownBackend.stderr).toMatch(/Backend "cuda" is not a known backend; expected one of: js, onnxruntime/);
  });
});
