import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { add, matmul, reshape, slice, sum, tensor, tidy } from '@rlhf/core';
import { convertLlama2c, generate, modelFromContent } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { createOnnxRuntimeBackend } from './index.js';

const MODEL_DIR = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));

describe('dynamic shapes: one structure met with new shapes gets one dynamic-shape graph', () => {
  it('the same computation at four shapes: static graph first, then one dynamic graph for the rest', async () => {
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const results: number[] = [];
    for (const n of [2, 3, 5, 8]) {
      const x = tensor(
        b,
        Array.from({ length: n * 4 }, (_, i) => i / 10),
        [n, 4],
      );
      // reshape, slice and matmul all carry shapes: they must come from the fed shape parameters.
      const y = tidy(() => sum(add(matmul(x, reshape(slice(x, [0, 0], [n, 4]), [4, n])), 1)));
      results.push(await y.item());
      x.dispose();
      y.dispose();
    }
    const js = createJsBackend();
    const expected = [2, 3, 5, 8].map((n) => {
      const x = tensor(
        js,
        Array.from({ length: n * 4 }, (_, i) => i / 10),
        [n, 4],
      );
      return tidy(() => sum(add(matmul(x, reshape(x, [4, n])), 1)));
    });
    for (const [i, e] of expected.entries()) expect(results[i]).toBeCloseTo(await e.item(), 3);
    const stats = b.stats();
    expect(stats.compiled).toBe(2); // static for n = 2, dynamic from n = 3 on
    expect(stats.dynamicRuns).toBe(3);
  });

  it('greedy generation with the KV cache matches backend-js token for token, compiling a handful of graphs', async () => {
    const content = convertLlama2c(readFileSync(`${MODEL_DIR}stories260K.bin`), readFileSync(`${MODEL_DIR}tok512.bin`));
    const options = { maxNewTokens: 24, temperature: 0 };
    const expected = await generate(modelFromContent(content, createJsBackend()), [[1]], options);
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const got = await generate(modelFromContent(content, b), [[1]], options);
    expect(got.sequences).toEqual(expected.sequences);
    expect(b.stats().compiled).toBeLessThanOrEqual(4);
    expect(b.stats().dynamicRuns).toBeGreaterThan(20);
  });

  it('batched generation of prompts of different lengths (left-padded, per-sequence rotary positions) matches backend-js', async () => {
    const content = convertLlama2c(readFileSync(`${MODEL_DIR}stories260K.bin`), readFileSync(`${MODEL_DIR}tok512.bin`));
    const prompts = [[1], [1, 403, 407, 261, 378, 285], [1, 365, 130]];
    const options = { maxNewTokens: 16, temperature: 0 };
    const expected = await generate(modelFromContent(content, createJsBackend()), prompts, options);
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const got = await generate(modelFromContent(content, b), prompts, options);
    expect(got.sequences).toEqual(expected.sequences);
    expect(new Set(got.sequences.map((s) => s.join(','))).size, 'three different sequences').toBe(3);
    expect(b.stats().dynamicRuns).toBeGreaterThan(10);
  });
});
