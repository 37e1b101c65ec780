import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { Random, type TensorBackend } from '@rlhf/core';
import { DPOTrainer } from '@rlhf/dpo';
import { type CausalLM, convertLlama2c, createRewardModel, modelFromContent } from '@rlhf/models';
import { RewardModel } from '@rlhf/reward';
import { SFTTrainer } from '@rlhf/sft';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend } from './index.js';

const MODEL_DIR = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));
const content = convertLlama2c(readFileSync(`${MODEL_DIR}stories260K.bin`), readFileSync(`${MODEL_DIR}tok512.bin`));
const stories260K = (backend: TensorBackend): CausalLM => modelFromContent(content, backend);

/** The same run on backend-js and on tfjs-wasm: every logged value must agree to 1e-4 relative. */
function expectSameHistory(name: string, js: readonly number[], other: readonly number[]): void {
  expect(other.length, `${name}: length`).toBe(js.length);
  expect(js.length, `${name}: logged something`).toBeGreaterThan(0);
  const worst = Math.max(...js.map((a, i) => Math.abs(a - (other[i] as number)) / Math.max(1, Math.abs(a))));
  console.log(
    `${name}: js ${js.map((v) => v.toFixed(5)).join(' ')} | worst relative difference ${worst.toExponential(2)}`,
  );
  for (let i = 0; i < js.length; i++) {
    const [a, b] = [js[i] as number, other[i] as number];
    expect(Math.abs(a - b), `${name}[${i}]: js ${a} vs onnxruntime ${b}`).toBeLessThanOrEqual(
      1e-4 * Math.max(1, Math.abs(a)),
    );
  }
}

const STORIES = [
  { prompt: 'Once upon a time, there was a little girl named Lily.', completion: ' She liked to play in the park.' },
  { prompt: 'Tom had a red ball.', completion: ' He threw it to his dog, and the dog ran after it.' },
  { prompt: 'The sun was shining.', completion: ' The birds sang and the flowers were happy.' },
  { prompt: 'Lily saw a big tree.', completion: ' She wanted to climb it with her friend Ben.' },
  { prompt: 'One day, a cat found a hat.', completion: ' The cat put the hat on and smiled.' },
  { prompt: 'Mom made a cake.', completion: ' It was sweet and everyone ate a piece.' },
  { prompt: 'The boy was sad.', completion: ' His friend gave him a hug and he felt better.' },
  { prompt: 'A bird sat on a branch.', completion: ' It sang a song for the little girl.' },
];

const PAIRS = STORIES.map((s, i) => ({
  prompt: s.prompt,
  chosen: s.completion,
  rejected: (STORIES[(i + 3) % STORIES.length] as (typeof STORIES)[0]).completion,
}));

describe('loss histories on tfjs-wasm equal backend-js (stories260K, 1e-4 relative)', () => {
  it('SFT: 4 steps', async () => {
    const run = async (backend: TensorBackend) =>
      new SFTTrainer({
        so_vong: 1,
        kich_thuoc_batch: 2,
        gradient_accumulation: 1,
        toc_do_hoc: 3e-3,
        warmup_ratio: 0,
        logging_steps: 1,
        max_seq_length: 64,
      }).huan_luyen(stories260K(backend) as never, STORIES);
    const [js, tfjs] = [await run(createJsBackend()), await run(await createTfjsBackend({ tf, backendName: 'wasm' }))];
    expect(js.global_step).toBe(4);
    expectSameHistory('train_loss', js.history.train_loss, tfjs.history.train_loss);
    expectSameHistory('grad_norm', js.history.grad_norm, tfjs.history.grad_norm);
  });

  it('DPO: 4 steps (frozen reference copy)', async () => {
    const run = async (backend: TensorBackend) =>
      new DPOTrainer({
        so_vong: 1,
        kich_thuoc_batch: 2,
        gradient_accumulation: 1,
        toc_do_hoc: 1e-3,
        logging_steps: 1,
      }).huan_luyen(stories260K(backend) as never, null, PAIRS);
    const [js, tfjs] = [await run(createJsBackend()), await run(await createTfjsBackend({ tf, backendName: 'wasm' }))];
    expect(js.global_step).toBe(4);
    expectSameHistory('train_loss', js.history.train_loss, tfjs.history.train_loss);
    expectSameHistory('reward_margin', js.history.reward_margin, tfjs.history.reward_margin);
  });

  it('reward model: 4 steps', async () => {
    const run = async (backend: TensorBackend) =>
      new RewardModel({ toc_do_hoc: 3e-3, kich_thuoc_batch: 2, logging_steps: 1, warmup_ratio: 0 }).huan_luyen(
        createRewardModel(stories260K(backend), new Random(42)),
        PAIRS,
        1,
      );
    const [js, tfjs] = [await run(createJsBackend()), await run(await createTfjsBackend({ tf, backendName: 'wasm' }))];
    expect(js.global_step).toBe(4);
    expectSameHistory('train_loss', js.history.train_loss, tfjs.history.train_loss);
  });
});
