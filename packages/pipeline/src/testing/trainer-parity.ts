import { Random, type TensorBackend } from '@rlhf/core';
import { DPOTrainer } from '@rlhf/dpo';
import { type CausalLM, createRewardModel, type HfDirectoryContent, modelFromContent } from '@rlhf/models';
import { RewardModel } from '@rlhf/reward';
import { SFTTrainer } from '@rlhf/sft';
import { describe, expect, it } from 'vitest';

/** What {@link describeTrainerParity} compares. */
export interface TrainerParitySetup {
  /** The backend under test, in messages (`'onnxruntime'`, `'tfjs-wasm'`, …). */
  name: string;
  /** The model of every run (stories260K converted, usually), loaded on each backend. */
  content: HfDirectoryContent;
  /** Makes the reference backend (backend-js). */
  reference: () => TensorBackend | Promise<TensorBackend>;
  /** Makes the backend under test (a fresh one per run). */
  candidate: () => TensorBackend | Promise<TensorBackend>;
}

/** Every logged value of the same run on both backends must agree to 1e-4 relative. */
function expectSameHistory(
  name: string,
  backend: string,
  reference: readonly number[],
  candidate: readonly number[],
): void {
  expect(candidate.length, `${name}: length`).toBe(reference.length);
  expect(reference.length, `${name}: logged something`).toBeGreaterThan(0);
  const worst = Math.max(...reference.map((a, i) => Math.abs(a - (candidate[i] as number)) / Math.max(1, Math.abs(a))));
  console.log(
    `${name}: js ${reference.map((v) => v.toFixed(5)).join(' ')} | worst relative difference ${worst.toExponential(2)}`,
  );
  for (let i = 0; i < reference.length; i++) {
    const [a, b] = [reference[i] as number, candidate[i] as number];
    expect(Math.abs(a - b), `${name}[${i}]: js ${a} vs ${backend} ${b}`).toBeLessThanOrEqual(
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

/**
 * The trainer-parity suite every backend runs: SFT, DPO (frozen reference copy) and reward-model training,
 * 4 steps each on the same model and data, on backend-js and on the backend under test; every logged loss
 * (and gradient norm, reward margin) must agree to 1e-4 relative.
 *
 * @example
 * ```ts
 * describeTrainerParity({ name: 'onnxruntime', content, reference: createJsBackend, candidate: () => createOnnxRuntimeBackend() });
 * ```
 */
export function describeTrainerParity(setup: TrainerParitySetup): void {
  const load = (backend: TensorBackend): CausalLM => modelFromContent(setup.content, backend);
  const both = async <T>(run: (backend: TensorBackend) => Promise<T>): Promise<[T, T]> => [
    await run(await setup.reference()),
    await run(await setup.candidate()),
  ];
  describe(`loss histories on ${setup.name} equal backend-js (stories260K, 1e-4 relative)`, () => {
    it('SFT: 4 steps', async () => {
      const [js, other] = await both((backend) =>
        new SFTTrainer({
          so_vong: 1,
          kich_thuoc_batch: 2,
          gradient_accumulation: 1,
          toc_do_hoc: 3e-3,
          warmup_ratio: 0,
          logging_steps: 1,
          max_seq_length: 64,
        }).huan_luyen(load(backend) as never, STORIES),
      );
      expect(js.global_step).toBe(4);
      expectSameHistory('train_loss', setup.name, js.history.train_loss, other.history.train_loss);
      expectSameHistory('grad_norm', setup.name, js.history.grad_norm, other.history.grad_norm);
    });

    it('DPO: 4 steps (frozen reference copy)', async () => {
      const [js, other] = await both((backend) =>
        new DPOTrainer({
          so_vong: 1,
          kich_thuoc_batch: 2,
          gradient_accumulation: 1,
          toc_do_hoc: 1e-3,
          logging_steps: 1,
        }).huan_luyen(load(backend) as never, null, PAIRS),
      );
      expect(js.global_step).toBe(4);
      expectSameHistory('train_loss', setup.name, js.history.train_loss, other.history.train_loss);
      expectSameHistory('reward_margin', setup.name, js.history.reward_margin, other.history.reward_margin);
    });

    it('reward model: 4 steps', async () => {
      const [js, other] = await both((backend) =>
        new RewardModel({ toc_do_hoc: 3e-3, kich_thuoc_batch: 2, logging_steps: 1, warmup_ratio: 0 }).huan_luyen(
          createRewardModel(load(backend), new Random(42)),
          PAIRS,
          1,
        ),
      );
      expect(js.global_step).toBe(4);
      expectSameHistory('train_loss', setup.name, js.history.train_loss, other.history.train_loss);
    });
  });
}
