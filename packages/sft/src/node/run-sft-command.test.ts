import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFileError, readRecords } from '@rlhf/core/node';
import { loadModel } from '@rlhf/models/node';
import { describe, expect, it } from 'vitest';
import { tinyLlama } from '../__fixtures__/models.js';
import { runSftCommand } from './run-sft-command.js';

const dir = () => mkdtempSync(join(tmpdir(), 'rlhf-sft-cmd-'));
const rec = (n: number) => ({ input_ids: Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 60)) });

describe('reading data files', () => {
  it('reads JSON arrays, { data: [...] } objects and JSONL, with the line of each record', async () => {
    const d = dir();
    writeFileSync(join(d, 'a.json'), '[\n  {"text": "a"},\n  {"text": "b ]} \\" ["}\n]\n');
    writeFileSync(join(d, 'b.json'), '{"version": 1, "data": [{"text": "x"}]}');
    writeFileSync(join(d, 'c.jsonl'), '{"text": "1"}\n\n{"text": "2"}\n');
    expect(await readRecords(join(d, 'a.json'))).toEqual({
      records: [{ text: 'a' }, { text: 'b ]} " [' }],
      lines: [2, 3],
    });
    expect((await readRecords(join(d, 'b.json'))).records).toEqual([{ text: 'x' }]);
    expect(await readRecords(join(d, 'c.jsonl'))).toEqual({ records: [{ text: '1' }, { text: '2' }], lines: [1, 3] });
  });

  it('names the file and line of a syntax error, and a missing file', async () => {
    const d = dir();
    writeFileSync(join(d, 'bad.jsonl'), '{"text": "1"}\n{"text": 2,,}\n');
    await expect(readRecords(join(d, 'bad.jsonl'))).rejects.toThrow(/bad\.jsonl line 2 is not valid JSON/);
    await expect(readRecords(join(d, 'none.json'))).rejects.toThrow(DataFileError);
  });
});

describe('runSftCommand (the core of `rlhf sft`)', () => {
  it('trains from JSONL, writes the history as JSONL and saves a loadable model', async () => {
    const d = dir();
    writeFileSync(join(d, 'train.jsonl'), Array.from({ length: 8 }, (_, i) => JSON.stringify(rec(5 + i))).join('\n'));
    writeFileSync(join(d, 'val.json'), JSON.stringify([rec(6), rec(9)]));
    const model = tinyLlama(1);
    const seen: number[] = [];
    const { result, stats } = await runSftCommand({
      model,
      data: join(d, 'train.jsonl'),
      val_data: join(d, 'val.json'),
      out: join(d, 'out'),
      history_file: join(d, 'logs', 'history.jsonl'),
      options: { so_vong: 2, kich_thuoc_batch: 2, gradient_accumulation: 2, logging_steps: 1, toc_do_hoc: 1e-2 },
      on_record: (r) => seen.push(r.step),
    });
    expect(result.global_step).toBe(4);
    expect(stats.train_records).toBe(8);
    const lines = readFileSync(join(d, 'logs', 'history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.kind}@${l.step}`)).toEqual([
      'train@1',
      'train@2',
      'eval@2',
      'train@3',
      'train@4',
      'eval@4',
    ]);
    expect(seen).toEqual([1, 2, 2, 3, 4, 4]);
    const saved = await loadModel(join(d, 'out'), { backend: model.backend });
    expect((await saved.stateDict()).get('lm_head.weight')?.data).toEqual(
      (await model.stateDict()).get('lm_head.weight')?.data,
    );
  });

  it('reports a bad record with its file and line, writing nothing', async () => {
    const d = dir();
    writeFileSync(
      join(d, 'train.jsonl'),
      `${JSON.stringify(rec(5))}\n\n${JSON.stringify({ question: 'Q?', answer: 'A' })}\n`,
    );
    const run = runSftCommand({
      model: tinyLlama(1),
      data: join(d, 'train.jsonl'),
      out: join(d, 'out'),
      options: { output_dir: join(d, 'ckpt') },
    });
    await expect(run).rejects.toThrow(DataFileError);
    await expect(run).rejects.toThrow(
      /train\.jsonl line 3 \(record 1\) has keys question, answer, which fit no SFT format/,
    );
    expect(existsSync(join(d, 'out'))).toBe(false);
    expect(existsSync(join(d, 'ckpt'))).toBe(false);
  });
});
