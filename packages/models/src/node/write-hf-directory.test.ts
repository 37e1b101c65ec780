import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readData } from '../__fixtures__/data.js';
import type { HfDirectoryContent } from '../hf/hf-directory-content.js';
import { convertLlama2c } from '../llama2c/convert-llama2c.js';
import { parseSafetensors } from '../safetensors/parse-safetensors.js';
import { Tokenizer } from '../tokenizer/tokenizer.js';
import { loadTokenizer } from './load-tokenizer.js';
import { writeHfDirectory } from './write-hf-directory.js';

const content = convertLlama2c(
  readData('models/stories260K/stories260K.bin'),
  readData('models/stories260K/tok512.bin'),
);
const FILES = ['config.json', 'generation_config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rlhf-write-hf-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** File name → SHA-256 of its bytes (comparing digests is much faster than deep-equal on megabytes). */
async function readDirectory(dir: string): Promise<Map<string, string>> {
  const names = (await readdir(dir)).sort();
  const digest = async (name: string) =>
    createHash('sha256')
      .update(await readFile(join(dir, name)))
      .digest('hex');
  return new Map(await Promise.all(names.map(async (name) => [name, await digest(name)] as const)));
}

const bytesOf = (data: Float32Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

describe('writeHfDirectory', () => {
  it('writes the five files of a Hugging Face model directory (nested parents created)', async () => {
    const dir = join(root, 'nested', 'stories260K');
    const written = await writeHfDirectory(dir, content);
    expect(written.map((p) => p.slice(dir.length + 1)).sort()).toEqual(FILES);
    expect((await readdir(dir)).sort()).toEqual(FILES);
    expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'))).toEqual(content.config);
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toMatch(/^\{\n {2}"architectures": \[\n/);
    const { metadata, tensors } = parseSafetensors(new Uint8Array(await readFile(join(dir, 'model.safetensors'))));
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.size).toBe(47);
    for (const [name, tensor] of content.tensors) {
      expect(tensors.get(name)?.shape).toEqual(tensor.shape);
      expect(bytesOf(tensors.get(name)?.data ?? new Float32Array()).equals(bytesOf(tensor.data))).toBe(true);
    }
    const tokenizer = await loadTokenizer(dir);
    expect(tokenizer.encode('Once upon a time')).toEqual([1, 403, 407, 261, 378]);
  });

  it('save → load → save gives byte-identical files', async () => {
    const first = join(root, 'first');
    await writeHfDirectory(first, content);
    const files = await readDirectory(first);
    const parsed = parseSafetensors(new Uint8Array(await readFile(join(first, 'model.safetensors'))));
    const tokenizer = await loadTokenizer(first);
    const reloaded: HfDirectoryContent = {
      config: JSON.parse(await readFile(join(first, 'config.json'), 'utf8')),
      tensors: parsed.tensors,
      tokenizerJson: tokenizer.tokenizerJson,
      tokenizerConfig: tokenizer.tokenizerConfig,
      generationConfig: JSON.parse(await readFile(join(first, 'generation_config.json'), 'utf8')),
    };
    const second = join(root, 'second');
    await writeHfDirectory(second, reloaded, { safetensorsMetadata: parsed.metadata });
    expect(await readDirectory(second)).toEqual(files);
  });

  it('leaves no trace when writing fails, for a new directory', async () => {
    const dir = join(root, 'failed-new');
    const broken = { ...content, tokenizerJson: { bad: 1n } as unknown as Record<string, unknown> };
    await expect(writeHfDirectory(dir, broken)).rejects.toThrow(/BigInt/);
    expect(await readdir(root)).not.toContain('failed-new');
    expect((await readdir(root)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('leaves an existing model untouched when writing fails', async () => {
    const dir = join(root, 'existing');
    await writeHfDirectory(dir, content);
    const before = await readDirectory(dir);
    const changed = {
      ...content,
      config: { ...content.config, hidden_size: 1 },
      tokenizerConfig: { bad: 1n } as unknown as Record<string, unknown>,
    };
    await expect(writeHfDirectory(dir, changed)).rejects.toThrow(/BigInt/);
    expect(await readDirectory(dir)).toEqual(before);
    expect((await readdir(root)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('replaces the model files of an existing directory and keeps its other files', async () => {
    const dir = join(root, 'overwrite');
    await mkdir(dir);
    await writeFile(join(dir, 'README.md'), '# mine');
    await writeFile(join(dir, 'config.json'), '{}');
    await writeHfDirectory(dir, {
      config: { model_type: 'llama' },
      tensors: new Map([['w', { shape: [1], data: new Float32Array([3]) }]]),
    });
    expect((await readdir(dir)).sort()).toEqual(['README.md', 'config.json', 'model.safetensors']);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('# mine');
    expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'))).toEqual({ model_type: 'llama' });
  });

  it('removes the temporary folder a killed writer left, and keeps one of a live writer', async () => {
    const dir = join(root, 'orphan');
    const dead = join(dir, `.model.tmp-${2 ** 22 + 4321}-deadbeef`); // no such process on this host
    const live = join(dir, `.model.tmp-${process.pid}-cafe0001`); // this process: being written
    for (const d of [dead, live]) {
      await mkdir(d, { recursive: true });
      await writeFile(join(d, 'model.safetensors'), 'half');
    }
    await writeHfDirectory(dir, {
      config: { model_type: 'llama' },
      tensors: new Map([['w', { shape: [1], data: new Float32Array([3]) }]]),
    });
    expect((await readdir(dir)).sort()).toEqual([
      `.model.tmp-${process.pid}-cafe0001`,
      'config.json',
      'model.safetensors',
    ]);
  });

  it('writes a tokenizer that reloads to the same ids as the in-memory one', async () => {
    const dir = join(root, 'tokenizer-check');
    await writeHfDirectory(dir, content);
    const fromDisk = await loadTokenizer(dir);
    const inMemory = Tokenizer.fromJSON(content.tokenizerJson, content.tokenizerConfig);
    const text = 'Lily and Tim played in the park. Xin chào!';
    expect(fromDisk.encode(text)).toEqual(inMemory.encode(text));
  });
});
