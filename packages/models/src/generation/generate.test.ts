import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { Random } from '@rlhf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertLlama2c } from '../llama2c/convert-llama2c.js';
import { type CausalLM, createCausalLM } from '../pretrained/causal-lm.js';
import { loadWeights } from '../pretrained/weights.js';
import { generate } from './generate.js';

const dir = fileURLToPath(new URL('../../../../data/models/stories260K/', import.meta.url));
const expected = readFileSync(`${dir}greedy_200_tokens.txt`, 'utf8').trim().split(/\s+/).map(Number);

describe('generation with stories260K (converted from llama2.c) against its published greedy output', () => {
  let model: CausalLM;
  beforeAll(() => {
    const content = convertLlama2c(readFileSync(`${dir}stories260K.bin`), readFileSync(`${dir}tok512.bin`));
    model = createCausalLM(createJsBackend(), content.config, new Random(0));
    loadWeights(model, content.tensors);
  });

  it('greedy with the KV cache gives all 200 reference tokens', async () => {
    const { sequences } = await generate(model, [[1]], { maxNewTokens: 200, temperature: 0 });
    expect(sequences[0]).toEqual(expected);
  });

  it('greedy without the cache (full recompute) gives the same 200 tokens', async () => {
    const { sequences } = await generate(model, [[1]], { maxNewTokens: 200, temperature: 0, useCache: false });
    expect(sequences[0]).toEqual(expected);
  });

  it('batched with a longer prompt beside it (left padding) gives the same 200 tokens', async () => {
    const other = [1, 403, 407, 261, 378, 432, 383];
    const { sequences } = await generate(model, [[1], other], { maxNewTokens: 200, temperature: 0 });
    expect(sequences[0]).toEqual(expected);
    const alone = await generate(model, [other], { maxNewTokens: 200, temperature: 0 });
    expect(sequences[1]).toEqual(alone.sequences[0]);
  });

  it('sampling is seeded: the same seed repeats, another seed differs; EOS stops a sequence', async () => {
    const a = await generate(model, [[1]], { maxNewTokens: 30, temperature: 1, topK: 20, topP: 0.9, seed: 5 });
    const b = await generate(model, [[1]], { maxNewTokens: 30, temperature: 1, topK: 20, topP: 0.9, seed: 5 });
    const c = await generate(model, [[1]], { maxNewTokens: 30, temperature: 1, topK: 20, topP: 0.9, seed: 6 });
    expect(b.sequences).toEqual(a.sequences);
    expect(c.sequences).not.toEqual(a.sequences);
    const stop = expected[4] as number;
    const stopped = await generate(model, [[1]], { maxNewTokens: 200, temperature: 0, eosTokenId: stop });
    expect(stopped.sequences[0]).toEqual(expected.slice(0, expected.indexOf(stop) + 1));
  });
});
