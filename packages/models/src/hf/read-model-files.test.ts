import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJsBackend } from '@rlhf/backend-js';
import { SourceReadError } from '@rlhf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '../errors/model-file-error.js';
import { generate } from '../generation/generate.js';
import { convertLlama2c } from '../llama2c/convert-llama2c.js';
import { modelFromContent } from '../pretrained/pretrained-io.js';
import { hfDirectoryBytes, modelFileBytes } from './model-file-bytes.js';
import { loadModelFrom, readModelFiles } from './read-model-files.js';

const data = new URL('../../../../data/models/stories260K/', import.meta.url);
const content = convertLlama2c(
  readFileSync(new URL('stories260K.bin', data)),
  readFileSync(new URL('tok512.bin', data)),
);
const files = hfDirectoryBytes(content);
const backend = createJsBackend();
const prompt = [[1, 403, 407]];

async function greedy(model: Awaited<ReturnType<typeof loadModelFrom>>): Promise<number[]> {
  const { sequences } = await generate(model, prompt, { maxNewTokens: 12, temperature: 0 });
  return sequences[0] as number[];
}

let server: Server;
let base = '';
const requested: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const name = (req.url ?? '').replace(/^\/model\//, '');
    requested.push(name);
    const body = files.get(name);
    if (!body || name === 'generation_config.json') {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model/`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('models from URLs, Files and bytes', () => {
  it('a folder served over HTTP loads and generates what the same content does', async () => {
    const expected = await greedy(modelFromContent(content, backend));
    const model = await loadModelFrom(base, { backend });
    expect(await greedy(model)).toEqual(expected);
    expect(expected.length).toBe(12);
    expect(model.tokenizer?.vocabSize).toBe(512);
    // the optional generation_config.json answered 404 and counts as absent
    expect(requested).toEqual(
      expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json', 'generation_config.json']),
    );
  });

  it('Files chosen from a folder (matched by name) and plain bytes give the same model', async () => {
    const chosen = [...files].map(([name, bytes]) => new File([bytes as BlobPart], name));
    const fromFiles = await readModelFiles(chosen);
    expect([...fromFiles.tensors.keys()].sort()).toEqual([...content.tensors.keys()].sort());
    const fromBytes = await loadModelFrom(Object.fromEntries(files), { backend });
    expect(await greedy(fromBytes)).toEqual(await greedy(modelFromContent(content, backend)));
  });

  it('a model saved as bytes loads back with identical weights', async () => {
    const model = modelFromContent(content, backend);
    const saved = await modelFileBytes(model);
    expect([...saved.keys()]).toEqual(
      ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json'].filter(
        (n) => saved.has(n),
      ),
    );
    const back = await readModelFiles(Object.fromEntries(saved));
    const name = 'model.embed_tokens.weight';
    expect(Array.from(back.tensors.get(name)?.data as Float32Array).slice(0, 8)).toEqual(
      Array.from(content.tensors.get(name)?.data as Float32Array).slice(0, 8),
    );
    expect(back.tensors.size).toBe(content.tensors.size);
  });

  it('a missing or broken file is a typed error naming it', async () => {
    const missing = await readModelFiles(`${base}../nothing/`).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModelFileError);
    expect((missing as ModelFileError).code).toBe('MODEL_FILE_MISSING');
    expect((missing as Error).message).toContain('config.json (HTTP 404)');
    const noWeights = await readModelFiles([new File([files.get('config.json') as BlobPart], 'config.json')]).catch(
      (e: unknown) => e,
    );
    expect((noWeights as ModelFileError).code).toBe('MODEL_FILE_MISSING');
    expect((noWeights as Error).message).toContain('model.safetensors');
    const badJson = await readModelFiles({
      ...Object.fromEntries(files),
      'config.json': new Uint8Array([123, 44]),
    }).catch((e: unknown) => e);
    expect((badJson as ModelFileError).code).toBe('MODEL_FILE_INVALID_JSON');
    const refused = await readModelFiles('http://127.0.0.1:9/x/', {
      fetch: () => Promise.reject(new Error('connection refused')),
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SourceReadError);
    expect((refused as Error).message).toBe(
      'http://127.0.0.1:9/x/config.json cannot be read: the request failed (connection refused).',
    );
  });
});
