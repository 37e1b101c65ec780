import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createJsBackend } from '@rlhf/backend-js';
import { DataFileError, readRecords } from '@rlhf/core/node';
import { expectTypedError } from '@rlhf/core/testing';
import { runRewardCommand } from '@rlhf/reward/node';
import { runSftCommand } from '@rlhf/sft/node';
import { describe, it } from 'vitest';
import { loadStories260K } from '../__fixtures__/data.js';
import { runDpoCommand } from './run-dpo-command.js';

const backend = createJsBackend();
const dir = mkdtempSync(join(tmpdir(), 'rlhf-data-bad-'));
let n = 0;
/** Writes a data file (text or bytes) and returns its path. */
const file = (content: string | Uint8Array, ext = 'jsonl') => {
  const path = join(dir, `d${n++}.${ext}`);
  writeFileSync(path, content);
  return path;
};
const jsonl = (...records: unknown[]) =>
  file(records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n'));
const good = { prompt: 'Lily saw a cat.', chosen: ' She smiled.', rejected: ' She cried.' };
const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));
const opts = { kich_thuoc_batch: 2, gradient_accumulation: 1, max_seq_length: 32 };
const dpo = (data: string) => () => runDpoCommand({ model: loadStories260K(backend), data, options: opts });
const reward = (data: string) => () => runRewardCommand({ model: loadStories260K(backend), data, options: opts });
const sft = (data: string) => () => runSftCommand({ model: loadStories260K(backend), data, options: opts });

describe('data files (API): encoding and syntax, naming the file and the line', () => {
  it('utf-8: an invalid byte on line 3 of a JSONL file', async () => {
    const path = file(bytes(`${JSON.stringify(good)}\n${JSON.stringify(good)}\n{"prompt": "caf`, [0xe9], '"}\n'));
    await expectTypedError(() => readRecords(path), {
      type: DataFileError,
      code: 'DATA_FILE_INVALID',
      mentions: [path, 'line 3', 'UTF-8'],
    });
  });
  it('utf-8: an invalid byte on line 2 of a JSON array file', async () => {
    const path = file(bytes('[\n{"text": "a', [0xff], '"}\n]'), 'json');
    await expectTypedError(() => readRecords(path), { type: DataFileError, mentions: [path, 'line 2', 'UTF-8'] });
  });
  it('utf-8: an invalid byte inside a gzip-compressed JSONL file', async () => {
    const path = file(gzipSync(bytes('{"text": "ok"}\n{"text": "', [0xc3, 0x28], '"}\n')), 'jsonl.gz');
    await expectTypedError(() => readRecords(path), { type: DataFileError, mentions: [path, 'line 2', 'UTF-8'] });
  });
  it('utf-8: a sequence cut at the end of the file', async () => {
    const path = file(bytes('{"text": "ok"}\n{"text": "', [0xe2, 0x82]));
    await expectTypedError(() => readRecords(path), { type: DataFileError, mentions: [path, 'line 2', 'UTF-8'] });
  });
  it('utf-8: an overlong encoding of "/" (0xC0 0xAF)', async () => {
    const path = file(bytes('{"text": "', [0xc0, 0xaf], '"}\n'));
    await expectTypedError(() => readRecords(path), { type: DataFileError, mentions: [path, 'line 1', 'UTF-8'] });
  });
  it('utf-8: a UTF-16 surrogate encoded as UTF-8 (0xED 0xA0 0x80)', async () => {
    const path = file(bytes('\n\n\n{"text": "', [0xed, 0xa0, 0x80], '"}\n'));
    await expectTypedError(() => readRecords(path), { type: DataFileError, mentions: [path, 'line 4', 'UTF-8'] });
  });
  it('utf-8: Latin-1 text passed to rlhf dpo names the line', async () => {
    const path = file(
      bytes(`${JSON.stringify(good)}\n{"prompt": "na`, [0xef], 've", "chosen": " a", "rejected": " b"}\n'),
    );
    await expectTypedError(dpo(path), { type: DataFileError, mentions: [path, 'line 2', 'UTF-8'] });
  });
  it('json: a syntax error on line 2 of a JSONL file', async () => {
    const path = jsonl(good, '{"prompt": "x", "chosen": }');
    await expectTypedError(() => readRecords(path), {
      type: DataFileError,
      mentions: [path, 'line 2', 'not valid JSON'],
    });
  });
  it('json: a syntax error inside a JSON array file names its line', async () => {
    const path = file('[\n  {"text": "a"},\n  {"text": "b",}\n]', 'json');
    await expectTypedError(() => readRecords(path), {
      type: DataFileError,
      mentions: [path, 'line 3', 'not valid JSON'],
    });
  });
  it('json: a .json file holding a number, not records', async () => {
    const path = file('42', 'json');
    await expectTypedError(() => readRecords(path), { type: DataFileError, mentions: [path, 'JSON array'] });
  });
  it('json: an object holding two arrays (which one is the data?)', async () => {
    const path = file('{"train": [], "test": []}', 'json');
    await expectTypedError(() => readRecords(path), { type: DataFileError, mentions: [path, 'JSON array'] });
  });
  it('fs: the data file does not exist (ENOENT)', async () => {
    const path = join(dir, 'missing.jsonl');
    await expectTypedError(() => readRecords(path), { type: DataFileError, mentions: [path, 'ENOENT'] });
  });
  it('fs: the data path is a directory (EISDIR)', async () => {
    const path = join(dir, 'a-folder.jsonl');
    mkdirSync(path);
    await expectTypedError(() => readRecords(path), { type: DataFileError, mentions: [path, 'EISDIR'] });
  });
  it('fs: the data path lies under a file (ENOTDIR)', async () => {
    const path = join(jsonl(good), 'x.jsonl');
    await expectTypedError(() => readRecords(path), { type: DataFileError, mentions: [path, 'ENOTDIR'] });
  });
  it('gzip: a damaged gzip file', async () => {
    const path = file(Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3]), 'jsonl.gz');
    await expectTypedError(() => readRecords(path), { type: DataFileError, mentions: [path, 'cannot be read'] });
  });
});

describe('preference data (API): records the trainers cannot use, naming file, line and key', () => {
  it('dpo: a record without "rejected"', async () => {
    const path = jsonl(good, { prompt: 'a', chosen: ' b' });
    await expectTypedError(dpo(path), { type: DataFileError, mentions: [path, 'line 2', 'rejected'] });
  });
  it('dpo: "chosen" is a number', async () => {
    const path = jsonl(good, good, { prompt: 'a', chosen: 7, rejected: ' c' });
    await expectTypedError(dpo(path), { type: DataFileError, mentions: [path, 'line 3', 'chosen'] });
  });
  it('dpo: an empty rejected reply (as in HH-RLHF) without --skip_invalid', async () => {
    const path = jsonl(good, { prompt: 'a', chosen: ' b', rejected: '' });
    await expectTypedError(dpo(path), { type: DataFileError, mentions: [path, 'line 2', 'rejected', 'empty'] });
  });
  it('dpo: "prompt" is null', async () => {
    const path = jsonl({ prompt: null, chosen: ' b', rejected: ' c' });
    await expectTypedError(dpo(path), { type: DataFileError, mentions: [path, 'line 1', 'prompt'] });
  });
  it('dpo: a line that is a JSON string, not a record', async () => {
    const path = jsonl(good, '"just text"');
    await expectTypedError(dpo(path), { type: DataFileError, mentions: [path, 'line 2'] });
  });
  it('dpo: pre-tokenised ids outside the vocabulary', async () => {
    const path = jsonl({ prompt_input_ids: [1, 2], chosen_input_ids: [3, 99999], rejected_input_ids: [4] });
    await expectTypedError(dpo(path), { type: DataFileError, mentions: [path, 'line 1', '99999'] });
  });
  it('dpo: an empty data file', async () => {
    const path = file('');
    await expectTypedError(dpo(path), { type: DataFileError, mentions: [path, 'empty'] });
  });
  it('reward: a record without "chosen"', async () => {
    const path = jsonl(good, good, { prompt: 'a', rejected: ' c' });
    await expectTypedError(reward(path), { type: DataFileError, mentions: [path, 'line 3', 'chosen'] });
  });
  it('reward: "margin" is a string', async () => {
    const path = jsonl(good, { ...good, margin: 'big' });
    await expectTypedError(reward(path), { type: DataFileError, mentions: [path, 'line 2', 'margin'] });
  });
  it('reward: an empty chosen reply', async () => {
    const path = jsonl({ prompt: 'a', chosen: '', rejected: ' c' }, good);
    await expectTypedError(reward(path), { type: DataFileError, mentions: [path, 'line 1', 'chosen'] });
  });
});

describe('SFT data (API): records the trainer cannot use, naming file and line', () => {
  it('sft: a record with none of the known keys', async () => {
    const path = jsonl({ text: 'ok' }, { question: 'q', answer: 'a' });
    await expectTypedError(sft(path), { type: DataFileError, mentions: [path, 'line 2'] });
  });
  it('sft: "completion" is a number', async () => {
    const path = jsonl({ prompt: 'a', completion: 5 });
    await expectTypedError(sft(path), { type: DataFileError, mentions: [path, 'line 1', 'completion'] });
  });
  it('sft: "text" is an array of numbers', async () => {
    const path = jsonl({ text: 'fine' }, { text: 'fine' }, { text: [1, 2] });
    await expectTypedError(sft(path), { type: DataFileError, mentions: [path, 'line 3', 'text'] });
  });
});

describe('empty data files (API)', () => {
  it('reward: an empty data file', async () => {
    const path = file('\n\n');
    await expectTypedError(reward(path), { type: DataFileError, mentions: [path, 'empty'] });
  });
  it('sft: an empty data file', async () => {
    const path = file('');
    await expectTypedError(sft(path), { type: DataFileError, mentions: [path, 'empty'] });
  });
});
