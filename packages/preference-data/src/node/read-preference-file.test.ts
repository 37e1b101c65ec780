import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DATA_DIR } from '../__fixtures__/data.js';
import { readPreferenceFile } from './read-preference-file.js';

describe('readPreferenceFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dpo-read-'));
  const records = [
    { prompt: 'a', chosen: 'b', rejected: 'c' },
    { prompt: 'd', chosen: 'e', rejected: 'f' },
  ];

  it('reads a JSON array, JSONL (blank lines skipped) and gzip of either; limit keeps the first records', async () => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify(records));
    writeFileSync(join(dir, 'a.jsonl'), `${records.map((r) => JSON.stringify(r)).join('\n\n')}\n`);
    writeFileSync(join(dir, 'a.jsonl.gz'), gzipSync(records.map((r) => JSON.stringify(r)).join('\n')));
    writeFileSync(join(dir, 'b.json.gz'), gzipSync(JSON.stringify(records)));
    for (const name of ['a.json', 'a.jsonl', 'a.jsonl.gz', 'b.json.gz'])
      expect((await readPreferenceFile(join(dir, name))).records).toEqual(records);
    expect(await readPreferenceFile(join(dir, 'a.jsonl'), { limit: 1 })).toEqual({
      records: records.slice(0, 1),
      lines: [1],
    });
    expect((await readPreferenceFile(join(dir, 'a.jsonl'))).lines).toEqual([1, 3]);
    expect((await readPreferenceFile(join(dir, 'a.json'))).lines).toEqual([1, 1]); // both records on line 1
  });

  it('the bundled datasets: 300 ShareGPT pairs, 2,312 HH-RLHF pairs', async () => {
    expect((await readPreferenceFile(`${DATA_DIR}datasets/llamafactory/dpo_en_demo.json`)).records).toHaveLength(300);
    expect((await readPreferenceFile(`${DATA_DIR}datasets/hh-rlhf/harmless-base_test.jsonl.gz`)).records).toHaveLength(
      2312,
    );
  });

  it('a bad line or a missing file: clear errors', async () => {
    writeFileSync(join(dir, 'bad.jsonl'), '{"prompt": "a", "chosen": "b", "rejected": "c"}\n{oops\n');
    await expect(readPreferenceFile(join(dir, 'bad.jsonl'))).rejects.toThrow(/^.*bad\.jsonl line 2 is not valid JSON/);
    await expect(readPreferenceFile(join(dir, 'missing.json'))).rejects.toThrow(
      /^.*missing\.json cannot be read: ENOENT/,
    );
  });
});
