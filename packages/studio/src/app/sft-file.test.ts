import { DataFileError } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { readSftFile, SftFileError } from './sft-file.js';

const blob = (text: string) => new Blob([text]);

describe('readSftFile', () => {
  it('reads every SFT format the trainer reads, from JSONL or a JSON array', async () => {
    const lines = [
      { text: 'Once upon a time.' },
      { prompt: 'Q', completion: ' A' },
      {
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'hello' },
        ],
      },
      { input_ids: [1, 2, 3] },
    ];
    expect(await readSftFile(blob(lines.map((l) => JSON.stringify(l)).join('\n')), 'data.jsonl')).toEqual(lines);
    expect(await readSftFile(blob(JSON.stringify(lines)), 'data.json')).toEqual(lines);
  });

  it('names the line of a record in no SFT format, and of a line that is not JSON', async () => {
    const bad = await readSftFile(blob('{"text":"a"}\n\n{"answer":"b"}\n'), 'upload.jsonl').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(SftFileError);
    expect((bad as SftFileError).line).toBe(3);
    expect((bad as SftFileError).message).toMatch(/^upload\.jsonl line 3: the record .*expected/);
    const ids = await readSftFile(blob('{"input_ids":[]}'), 'ids.jsonl').catch((e: unknown) => e);
    expect((ids as Error).message).toBe('ids.jsonl line 1: "input_ids" must be a non-empty list of integer token ids.');
    const broken = await readSftFile(blob('{"text":"a"}\n{"text": oops}'), 'pasted.jsonl').catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(DataFileError);
    expect((broken as Error).message).toMatch(/^pasted\.jsonl line 2 is not valid JSON/);
    await expect(readSftFile(blob(''), 'empty.jsonl')).rejects.toThrow('empty.jsonl line 1: there are no records');
  });
});
