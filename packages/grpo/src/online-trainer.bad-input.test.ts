import { createJsBackend } from '@rlhf/backend-js';
import {
  ConfigError,
  InvalidArgumentError,
  MemoryCheckpointStorage,
  NonFiniteError,
  readCheckpoint,
  TrainingDataError,
} from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { safetensorsCodec } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from './__fixtures__/data.js';
import { RewardFunctionError } from './errors/reward-function-error.js';
import { GRPOTrainer } from './grpo-trainer.js';
import type { RewardFunction } from './rewards/reward-function.js';
import { RLOOTrainer } from './rloo-trainer.js';

const backend = createJsBackend();
const PROMPTS = ['Tom had a ball.', 'Sue saw a cat.'];
const SMALL = { num_generations: 2, max_completion_length: 4, logging_steps: 1 } as const;
const ok: RewardFunction = (_p, c) => c.map(() => 1);

describe('bad input: online trainers', () => {
  it('a reward function that throws: RewardFunctionError naming the function and the step; step 1 kept', async () => {
    const model = loadStories260K(backend);
    const storage = new MemoryCheckpointStorage();
    let calls = 0;
    const flaky: RewardFunction = function judge(_p, c) {
      calls++;
      if (calls === 2) throw new Error('judge offline');
      return c.map(() => 1);
    };
    const error = (await expectTypedError(
      () =>
        new GRPOTrainer({ ...SMALL, checkpoint_storage: storage, save_steps: 1 }).huan_luyen(model, null, PROMPTS, [
          ok,
          flaky,
        ]),
      {
        type: RewardFunctionError,
        code: 'REWARD_FUNCTION',
        mentions: ["'judge'", 'reward_funcs[1]', 'step 2', 'judge offline'],
      },
    )) as RewardFunctionError;
    expect(error.step).toBe(2);
    // step 1 finished and was checkpointed before the failure at step 2
    expect(await storage.list()).toEqual(['checkpoint-1']);
    // the model holds exactly what checkpoint-1 holds (step 2 failed before its update)
    const ckpt = await readCheckpoint(storage, 'checkpoint-1', safetensorsCodec);
    const after = await model.stateDict();
    for (const [name, t] of ckpt.weights)
      expect(Array.from(after.get(name)?.data ?? []), name).toEqual(Array.from(t.data));
    expect(ckpt.state.global_step).toBe(1);
  }, 30_000);

  it('NaN, a wrong length or a non-list: typed errors naming the function (its index when anonymous)', async () => {
    const model = loadStories260K(backend);
    const t = new RLOOTrainer(SMALL);
    await expectTypedError(() => t.huan_luyen(model, null, PROMPTS, [(_p, c) => c.map(() => Number.NaN)]), {
      type: RewardFunctionError,
      mentions: ["'reward_0'", 'step 1', 'NaN'],
    });
    await expectTypedError(
      () =>
        t.huan_luyen(model, null, PROMPTS, [
          ok,
          function short() {
            return [1];
          },
        ]),
      {
        type: RewardFunctionError,
        mentions: ["'short'", 'reward_funcs[1]', '1 values for 2 completions'],
      },
    );
    await expectTypedError(() => t.huan_luyen(model, null, PROMPTS, [(() => 'yes') as unknown as RewardFunction]), {
      type: RewardFunctionError,
      mentions: ['returned string, not a list'],
    });
  }, 30_000);

  it('options and arguments: unknown key, loss_type, reward_weights of the wrong length, empty prompts, no reward', async () => {
    await expectTypedError(() => new GRPOTrainer({ loss_type: 'ppo' } as never), {
      type: ConfigError,
      mentions: ['loss_type', "'dapo'"],
    });
    await expectTypedError(() => new GRPOTrainer({ num_generations: 1 }), {
      type: ConfigError,
      mentions: ['num_generations'],
    });
    await expectTypedError(() => new RLOOTrainer({ scale_rewards: 'group' } as never), {
      type: ConfigError,
      mentions: ['scale_rewards'],
    });
    await expectTypedError(() => new RLOOTrainer({ lora: { rank: 4 } as never }), {
      type: ConfigError,
      mentions: ['RLOOTrainer', "'lora'", 'r, lora_alpha'],
    });
    const model = loadStories260K(backend);
    await expectTypedError(
      () => new GRPOTrainer({ ...SMALL, reward_weights: [1, 2] }).huan_luyen(model, null, PROMPTS, [ok]),
      {
        type: ConfigError,
        mentions: ['reward_weights', '1 weights'],
      },
    );
    await expectTypedError(() => new GRPOTrainer(SMALL).huan_luyen(model, null, [], [ok]), {
      type: TrainingDataError,
      mentions: ['prompts', 'non-empty'],
    });
    await expectTypedError(() => new GRPOTrainer(SMALL).huan_luyen(model, null, ['fine', { prompt: '' }], [ok]), {
      type: TrainingDataError,
      mentions: ['prompts[1].prompt'],
    });
    await expectTypedError(() => new GRPOTrainer(SMALL).huan_luyen(model, null, PROMPTS, []), {
      type: InvalidArgumentError,
      mentions: ['reward_funcs'],
    });
  }, 30_000);

  it('non-finite: a learning rate of 1e30 blows the weights up; step 3 stops with NonFiniteError, or is skipped with skip_nonfinite_steps', async () => {
    const lengthReward: RewardFunction = (_p, c) => c.map((x) => x.length);
    const options = { ...SMALL, toc_do_hoc: 1e30, max_steps: 4, kich_thuoc_batch: 1 };
    const error = (await expectTypedError(
      () => new GRPOTrainer(options).huan_luyen(loadStories260K(backend), null, PROMPTS, [lengthReward]),
      { type: NonFiniteError, mentions: ['micro-batch 1/1 at step 3', 'skip_nonfinite_steps'] },
    )) as NonFiniteError;
    expect(error.code).toBe('NON_FINITE');
    const trainer = new GRPOTrainer({ ...options, skip_nonfinite_steps: true });
    const result = await trainer.huan_luyen(loadStories260K(backend), null, PROMPTS, [lengthReward]);
    expect(result.global_step).toBe(4);
    expect(trainer.thong_ke().skipped_steps).toBe(2);
    expect(result.history.records.map((r) => (r.kind === 'train' ? r.skipped_steps : -1))).toEqual([0, 0, 1, 1]);
    expect(result.history.train_loss.slice(2).every(Number.isNaN)).toBe(true);
  }, 30_000);
});
