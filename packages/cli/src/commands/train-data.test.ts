import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertLlama2c } from '@rlhf/models';
import { writeHfDirectory } from '@rlhf/models/node';
import { describe, expect, it } from 'vitest';
import { expectCliError, runCliCaptured } from '../test-support/cli-harness.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'rlhf-cli-data-'));

describe('rlhf dpo / reward with a few bad rows; --overwrite', () => {
  it('--skip_invalid trains on the rest and warns about skipped and identical pairs; a finished --out needs --overwrite', async () => {
    const model = join(root, 'model');
    await writeHfDirectory(
      model,
      convertLlama2c(
        readFileSync(join(repo, 'data/models/stories260K/stories260K.bin')),
        readFileSync(join(repo, 'data/models/stories260K/tok512.bin')),
      ),
    );
    const data = join(root, 'hh.jsonl');
    const rows = [
      { prompt: 'Lily saw a cat.', chosen: ' She smiled.', rejected: ' She cried.' },
      { prompt: 'Tom had a ball.', chosen: ' He played.', rejected: ' He played.' },
      { prompt: 'The sun was up.', chosen: ' It was warm.', rejected: '' },
    ];
    writeFileSync(data, rows.map((r) => JSON.stringify(r)).join('\n'));
    const out = join(root, 'dpo');
    const argv = [
      'dpo',
      '--model',
      model,
      '--data',
      data,
      '--out',
      out,
      '--backend',
      'js',
      '--json',
      '--max_seq_length',
      '32',
      '--kich_thuoc_batch',
      '2',
    ];
    const first = await runCliCaptured([...argv, '--skip_invalid']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('--skip-invalid left out 1 invalid record(s)');
    expect(first.stderr).toContain('1 preference pair(s) have chosen == rejected');
    expect(JSON.parse(first.stdout.trim().split('\n').pop() as string).global_step).toBe(1);
    expect(JSON.parse(readFileSync(join(out, '.rlhf-output.json'), 'utf8')).status).toBe('finished');
    expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);

    expectCliError(await runCliCaptured([...argv, '--skip_invalid']), {
      code: 'OUTPUT_FOLDER_INVALID',
      mentions: [out, 'finished dpo run'],
    });
    const again = await runCliCaptured([...argv, '--skip_invalid', '--overwrite']);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(out, 'history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
