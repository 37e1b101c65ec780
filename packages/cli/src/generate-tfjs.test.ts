import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { resolveBackend } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const data = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const chunks = { out: [] as string[], err: [] as string[] };
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _enc, done) {
        into.push(String(chunk));
        done();
      },
    });
  const code = await runCli(argv, { stdout: sink(chunks.out), stderr: sink(chunks.err) });
  return { code, stdout: chunks.out.join(''), stderr: chunks.err.join('') };
}

describe('rlhf generate --backend tfjs', () => {
  it('reproduces the published greedy 200 tokens and text of stories260K (tfjs loads its wasm backend itself)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rlhf-cli-tfjs-')), 'stories260K');
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
    expect(conv.code).toBe(0);
    const gen = await cli([
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
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    const lines = gen.stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1] as string) as Record<string, unknown>;
    const expectedIds = readFileSync(join(data, 'greedy_200_tokens.txt'), 'utf8').trim().split(/\s+/).map(Number);
    expect(result.prompt_ids).toEqual([1]);
    expect(result.generated_ids).toEqual(expectedIds);
    expect(result.text).toBe(readFileSync(join(data, 'greedy_200_text.txt'), 'utf8'));
    // The CLI resolved (and core cached) the tfjs backend, on tfjs's wasm backend.
    const used = (await resolveBackend('tfjs')) as { name: string; tfjsBackend?: string };
    expect([used.name, used.tfjsBackend]).toEqual(['tfjs', 'wasm']);
  });
});
