import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR } from '../__fixtures__/data.js';
import { ModelFileError } from '../errors/model-file-error.js';
import { loadTokenizer } from './load-tokenizer.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rlhf-load-tokenizer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadTokenizer', () => {
  it('loads tokenizer.json and tokenizer_config.json from a directory', async () => {
    const tokenizer = await loadTokenizer(join(DATA_DIR, 'tokenizers/phi-3-mini'));
    expect(tokenizer.encode('Hello world')).toEqual([15043, 3186]);
    expect(tokenizer.eosTokenId).toBe(32000);
    expect(tokenizer.chatTemplate).toContain('<|assistant|>');
  });

  it('works without tokenizer_config.json', async () => {
    const only = join(dir, 'only-json');
    await mkdir(only);
    await copyFile(join(DATA_DIR, 'tokenizers/phi-3-mini/tokenizer.json'), join(only, 'tokenizer.json'));
    const tokenizer = await loadTokenizer(only);
    expect(tokenizer.encode('Hello world')).toEqual([15043, 3186]);
    expect(tokenizer.eosTokenId).toBeUndefined();
  });

  it('names the missing tokenizer.json in a typed error', async () => {
    const error = await loadTokenizer(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).code).toBe('MODEL_FILE_MISSING');
    expect((error as ModelFileError).path).toBe(join(dir, 'tokenizer.json'));
    expect((error as Error).message).toBe(
      `Missing file ${join(dir, 'tokenizer.json')}: it is needed to load the tokenizer.`,
    );
  });

  it('names a tokenizer.json that is not JSON', async () => {
    const bad = join(dir, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'tokenizer.json'), '{"model": ');
    const error = await loadTokenizer(bad).catch((e: unknown) => e);
    expect((error as ModelFileError).code).toBe('MODEL_FILE_INVALID_JSON');
    expect((error as Error).message).toMatch(new RegExp(`^${join(bad, 'tokenizer.json')} is not valid JSON`));
  });
});
