import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { add, matmul, Random, reshape, slice, sum, tensor, tidy } from '@rlhf/core';
import { convertLlama2c, GPT2LMHeadModel, generate, modelFromContent } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { createOnnxRuntimeBackend } from './index.js';

const MODEL_DIR = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));

/** A tiny random GPT-2 (learned positions, fused q/k/v) whose logits are far apart: greedy choices do not hinge on rounding. */
const TINY_GPT2 = {
  model_type: 'gpt2' as const,
  vocab_size: 61,
  n_positions: 80,
  n_embd: 16,
  n_layer: 2,
  n_head: 4,
  layer_norm_epsilon: 1e-5,
  initializer_range: 0.5,
};

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

  it('greedy generation with a window cache matches backend-js token for token: two steps recorded, the rest replayed', async () => {
    const content = convertLlama2c(readFileSync(`${MODEL_DIR}stories260K.bin`), readFileSync(`${MODEL_DIR}tok512.bin`));
    const options = { maxNewTokens: 24, temperature: 0 };
    const expected = await generate(modelFromContent(content, createJsBackend()), [[1]], options);
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const got = await generate(modelFromContent(content, b), [[1]], options);
    expect(got.sequences).toEqual(expected.sequences);
    expect(b.stats().compiled).toBeLessThanOrEqual(4);
    // 24 steps: the prompt, two recorded decoding steps (captured and compared), 21 replays.
    expect(b.stats().replays).toBe(21);
    expect(b.stats().dynamicRuns).toBe(0);
  });

  it('generation without a cache (the whole sequence every step) gets one dynamic-shape graph and matches backend-js', async () => {
    const content = convertLlama2c(readFileSync(`${MODEL_DIR}stories260K.bin`), readFileSync(`${MODEL_DIR}tok512.bin`));
    const options = { maxNewTokens: 12, temperature: 0, useCache: false };
    const expected = await generate(modelFromContent(content, createJsBackend()), [[1, 403]], options);
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const got = await generate(modelFromContent(content, b), [[1, 403]], options);
    expect(got.sequences).toEqual(expected.sequences);
    expect(b.stats().dynamicRuns).toBeGreaterThan(8);
    expect(b.stats().replays).toBe(0);
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
    expect(b.stats().replays).toBe(13);
  });

  it('GPT-2 (learned positions, fused q/k/v) generates with replayed steps as on backend-js', async () => {
    const config = TINY_GPT2;
    const prompts = [[3, 9, 27], [5]];
    const options = { maxNewTokens: 20, temperature: 0 };
    const expected = await generate(new GPT2LMHeadModel(createJsBackend(), config, new Random(4)), prompts, options);
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const got = await generate(new GPT2LMHeadModel(b, config, new Random(4)), prompts, options);
    expect(got.sequences).toEqual(expected.sequences);
    expect(new Set(got.sequences[0]).size).toBeGreaterThan(1);
    expect(got.sequences[0]).not.toEqual(got.sequences[1]);
    expect(b.stats().replays).toBe(17);
  });

  it('replays with the weights compiled in: reused by a later call, never by another model of the same shape', async () => {
    const config = TINY_GPT2;
    // 60 tokens: 57 replays, past the 48 after which a capture gets a session with its weights compiled in.
    const options = { maxNewTokens: 60, temperature: 0 };
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const [m1, m2] = [new GPT2LMHeadModel(b, config, new Random(5)), new GPT2LMHeadModel(b, config, new Random(6))];
    const [j1, j2] = [5, 6].map((seed) => new GPT2LMHeadModel(createJsBackend(), config, new Random(seed)));
    const first = await generate(m1, [[7, 8]], options);
    expect(first.sequences).toEqual((await generate(j1 as GPT2LMHeadModel, [[7, 8]], options)).sequences);
    const compiled = b.stats().compiled;
    const again = await generate(m1, [[7, 8]], options); // same weights, same step: the same sessions
    expect(again.sequences).toEqual(first.sequences);
    expect(b.stats().compiled).toBe(compiled);
    const other = await generate(m2, [[7, 8]], options); // other weights: a session of its own
    expect(other.sequences).toEqual((await generate(j2 as GPT2LMHeadModel, [[7, 8]], options)).sequences);
    expect(other.sequences).not.toEqual(first.sequences);
    expect(b.stats().compiled).toBe(compiled + 1);
  });
});
