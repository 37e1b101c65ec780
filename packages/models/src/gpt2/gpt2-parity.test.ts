import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsBackend } from '@rlhf/backend-js';
import { tensor, tidy } from '@rlhf/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  gpt2ReferenceGreedy,
  gpt2ReferenceLogits,
  type RefGpt2Config,
  randomGpt2Weights,
  writeF32Safetensors,
} from '../__fixtures__/gpt2-reference.js';
import { generate } from '../generation/generate.js';
import { loadModel } from '../node/load-model.js';
import type { CausalLM } from '../pretrained/causal-lm.js';
import { GPT2LMHeadModel } from './gpt2-model.js';

// A small random-weight GPT-2 folder (config.json + model.safetensors) written by the test from a seeded
// generator, against the independent plain-loop GPT-2 of `__fixtures__/gpt2-reference.ts`.
const config: RefGpt2Config = {
  vocab_size: 61,
  n_positions: 40,
  n_embd: 16,
  n_layer: 2,
  n_head: 4,
  layer_norm_epsilon: 1e-5,
};
const weights = randomGpt2Weights(config, 7);
const dir = mkdtempSync(join(tmpdir(), 'gpt2-parity-'));
writeFileSync(
  join(dir, 'config.json'),
  JSON.stringify({
    ...config,
    model_type: 'gpt2',
    architectures: ['GPT2LMHeadModel'],
    activation_function: 'gelu_new',
  }),
);
writeFileSync(join(dir, 'model.safetensors'), writeF32Safetensors(weights));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const backend = createJsBackend();
const ids = [3, 17, 42, 5, 60, 0, 29, 11, 8, 33, 21, 2];

function logitsOf(model: CausalLM, input: number[]): Float32Array {
  return tidy(
    () => model.forward(tensor(backend, Int32Array.from(input), [1, input.length], 'int32')).logits,
  ).dataSync() as Float32Array;
}

describe('GPT-2 parity with an independent reference', () => {
  it('logits of a random GPT-2 folder equal the plain-loop reference to 1e-4 (tied head, gelu_new, Conv1D layout)', async () => {
    const model = await loadModel(dir, { backend });
    expect(model).toBeInstanceOf(GPT2LMHeadModel);
    const ours = logitsOf(model, ids);
    const ref = gpt2ReferenceLogits(config, weights, ids);
    expect(ours.length).toBe(ids.length * config.vocab_size);
    let maxDiff = 0;
    let maxAbs = 0;
    for (const [t, row] of ref.entries()) {
      for (const [j, v] of row.entries()) {
        maxDiff = Math.max(maxDiff, Math.abs(v - (ours[t * config.vocab_size + j] as number)));
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
    }
    expect(maxAbs).toBeGreaterThan(1); // the logits are not trivially small
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('greedy generation of 20 tokens equals the reference, with and without the KV cache', async () => {
    const model = await loadModel(dir, { backend });
    const prompt = [3, 17, 42, 5];
    const expected = gpt2ReferenceGreedy(config, weights, prompt, 20);
    const cached = await generate(model, [prompt], { maxNewTokens: 20, temperature: 0, useCache: true });
    const uncached = await generate(model, [prompt], { maxNewTokens: 20, temperature: 0, useCache: false });
    expect(cached.sequences[0]).toEqual(expected);
    expect(uncached.sequences[0]).toEqual(expected);
    expect(new Set(expected).size).toBeGreaterThan(1); // not a constant sequence
  });
});
