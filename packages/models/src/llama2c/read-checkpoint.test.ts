import { describe, expect, it } from 'vitest';
import { readData } from '../__fixtures__/data.js';
import {
  floatCount,
  headerOnly,
  type SyntheticConfig,
  syntheticCheckpoint,
} from './__fixtures__/synthetic-checkpoint.js';
import { type Llama2cErrorCode, Llama2cFormatError } from './llama2c-error.js';
import { readLlama2cCheckpoint } from './read-checkpoint.js';

const tiny: SyntheticConfig = {
  dim: 8,
  hiddenDim: 12,
  nLayers: 2,
  nHeads: 2,
  nKvHeads: 1,
  vocabSize: 5,
  seqLen: 3,
  shared: false,
};

function expectError(bytes: Uint8Array, code: Llama2cErrorCode, message: RegExp): void {
  let caught: unknown;
  try {
    readLlama2cCheckpoint(bytes, 'model.bin');
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(Llama2cFormatError);
  expect(Llama2cFormatError.isInstance(caught)).toBe(true);
  expect((caught as Llama2cFormatError).code).toBe(code);
  expect((caught as Error).message).toMatch(/^model\.bin: /);
  expect((caught as Error).message).toMatch(message);
}

describe('readLlama2cCheckpoint', () => {
  it('reads stories260K: header, shared classifier, every weight with its size', () => {
    const bytes = readData('models/stories260K/stories260K.bin');
    const { config, weights } = readLlama2cCheckpoint(bytes, 'stories260K.bin');
    expect(config).toEqual({
      dim: 64,
      hiddenDim: 172,
      nLayers: 5,
      nHeads: 8,
      nKvHeads: 4,
      vocabSize: 512,
      seqLen: 512,
      sharedClassifier: true,
    });
    const sizes = Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, v.length]));
    expect(sizes).toEqual({
      tokenEmbedding: 512 * 64,
      rmsAtt: 5 * 64,
      wq: 5 * 64 * 64,
      wk: 5 * 32 * 64,
      wv: 5 * 32 * 64,
      wo: 5 * 64 * 64,
      rmsFfn: 5 * 64,
      w1: 5 * 172 * 64,
      w2: 5 * 64 * 172,
      w3: 5 * 172 * 64,
      rmsFinal: 64,
      freqCisReal: 512 * 4,
      freqCisImag: 512 * 4,
    });
    // The file holds 264,128 floats: 260,032 model parameters plus llama2.c's two RoPE tables (2 × 512 × 4).
    expect((bytes.length - 28) / 4).toBe(264_128);
    expect(Object.values(weights).reduce((a, w) => a + w.length, 0)).toBe(264_128);
    // The RoPE tables are cos/sin(pos × 10000^(-2i/8)): check one value against the formula.
    expect(weights.freqCisReal[3 * 4 + 1]).toBeCloseTo(Math.cos(3 * 10000 ** (-2 / 8)), 6);
    expect(weights.freqCisImag[3 * 4 + 1]).toBeCloseTo(Math.sin(3 * 10000 ** (-2 / 8)), 6);
  });

  it('reads an unshared classifier (negative vocab_size) after the RoPE tables, in file order', () => {
    const { config, weights } = readLlama2cCheckpoint(syntheticCheckpoint(tiny));
    expect(config.sharedClassifier).toBe(false);
    expect(config.vocabSize).toBe(5);
    expect(weights.tokenEmbedding[0]).toBe(0);
    expect(weights.rmsAtt[0]).toBe(40); // after the 5 × 8 embedding
    expect(weights.wcls?.length).toBe(40);
    expect(weights.wcls?.[0]).toBe(floatCount(tiny) - 40);
    expect(weights.freqCisImag[weights.freqCisImag.length - 1]).toBe(floatCount(tiny) - 41);
  });

  it('reads a checkpoint whose bytes start at an odd offset', () => {
    const file = syntheticCheckpoint({ ...tiny, shared: true });
    const shifted = new Uint8Array(file.length + 3);
    shifted.set(file, 3);
    expect(readLlama2cCheckpoint(shifted.subarray(3)).weights.rmsFinal).toEqual(
      readLlama2cCheckpoint(file).weights.rmsFinal,
    );
  });

  it('rejects a file shorter than the header', () => {
    expectError(new Uint8Array(20), 'LLAMA2C_TRUNCATED', /20 bytes long/);
  });

  it('rejects a truncated file, naming the expected and actual sizes', () => {
    const file = syntheticCheckpoint(tiny);
    expectError(
      file.subarray(0, file.length - 4),
      'LLAMA2C_SIZE_MISMATCH',
      new RegExp(`implies ${file.length} bytes but the file has ${file.length - 4} \\(truncated\\?\\)`),
    );
  });

  it('rejects a header that does not match the weights (file too long)', () => {
    expectError(syntheticCheckpoint(tiny, 8), 'LLAMA2C_SIZE_MISMATCH', /header does not match the weights/);
  });

  it('rejects impossible headers', () => {
    expectError(headerOnly({ ...tiny, nHeads: 0 }), 'LLAMA2C_HEADER', /n_heads = 0 must be positive/);
    expectError(headerOnly({ ...tiny, nHeads: 3 }), 'LLAMA2C_HEADER', /dim 8 is not a multiple of n_heads 3/);
    expectError(headerOnly({ ...tiny, nHeads: 8 }), 'LLAMA2C_HEADER', /head size 1 is odd/);
    expectError(headerOnly({ ...tiny, nKvHeads: 3 }), 'LLAMA2C_HEADER', /n_heads 2 is not a multiple of n_kv_heads 3/);
  });

  it('rejects the newer versioned export format with a clear message', () => {
    const bytes = new Uint8Array(256);
    new DataView(bytes.buffer).setUint32(0, 0x616b3432, true);
    expectError(bytes, 'LLAMA2C_UNSUPPORTED_VERSION', /versioned llama2\.c export .* only the legacy format/);
  });
});
