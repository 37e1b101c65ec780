import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileSystemError } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { describe, it } from 'vitest';
import { convertLlama2c } from '../llama2c/convert-llama2c.js';
import { readHfDirectory } from './load-model.js';
import { writeHfDirectory } from './write-hf-directory.js';

const data = fileURLToPath(new URL('../../../../data/models/stories260K/', import.meta.url));
const content = convertLlama2c(readFileSync(`${data}stories260K.bin`), readFileSync(`${data}tok512.bin`));
const root = mkdtempSync(join(tmpdir(), 'rlhf-model-io-bad-'));

describe('model directories (API): file-system errors name the file and the stage', () => {
  it('fs: config.json is a directory (EISDIR)', async () => {
    const dir = join(root, 'm1');
    mkdirSync(join(dir, 'config.json'), { recursive: true });
    await expectTypedError(() => readHfDirectory(dir), {
      type: FileSystemError,
      mentions: [join(dir, 'config.json'), 'EISDIR', 'loading the model'],
    });
  });
  it('fs: saving a model where a file stands', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    await expectTypedError(() => writeHfDirectory(file, content), {
      type: FileSystemError,
      mentions: [file, 'ENOTDIR', 'saving the model'],
    });
  });
  it('fs: saving a model under a file (ENOTDIR)', async () => {
    const file = join(root, 'another-file');
    writeFileSync(file, 'x');
    await expectTypedError(() => writeHfDirectory(join(file, 'model'), content), {
      type: FileSystemError,
      mentions: [join(file, 'model'), 'ENOTDIR', 'saving the model'],
    });
  });
});
