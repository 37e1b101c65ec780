import { createJsBackend } from '@rlhf/backend-js';
import { InvalidArgumentError, MemoryCheckpointStorage, memoryInfo, type TensorBackend } from '@rlhf/core';
import { expectTypedError, withoutWallClock } from '@rlhf/core/testing';
import { DPOTrainer } from '@rlhf/dpo';
import type { LlamaForCausalLM } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from './__fixtures__/data.js';
import { ORPO_DEFAULTS } from './orpo-config.js';
import { ORPOTrainer } from './orpo-trainer.js';

const PAIRS = [
  { prompt: 'Once upon a time, there was a girl.', chosen: ' She had a big dog.', rejected: ' She was sad.' },
  { prompt: 'Tom went to the park.', chosen: ' He saw a big tree.', rejected: ' He fell down.' },
  { prompt: 'The cat wanted to play.', chosen: ' It found a big ball.', rejected: ' It slept.' },
  { prompt: 'Ben had a red car.', chosen: ' It was big and fast.', rejected: ' It broke.' },
];
const ONE_STEP = {
  kich_thuoc_batch: 4,
  gradient_accumulation: 1,
  toc_do_hoc: 1e-3,
  logging_steps: 1,
  max_seq_length: 32,
} as const;

/** Bytes the backend holds during step 1 (in the callback) beyond what it held before training. */
async function bytesHeldWhileTraining(
  backend: TensorBackend,
  train: (callback: () => boolean) => Promise<unknown>,
): Promise<number> {
  const before = memoryInfo(backend).liveBytes;
  let during = Number.NaN;
  await train(() => {
    during = memoryInfo(backend).liveBytes;
    return true;
  });
  return during - before;
}

describe('ORPOTrainer holds no reference model', () => {
  it('during training it holds a frozen copy fewer than DPOTrainer(ref_model: null) does: at least the model again', async () => {
    const orpoBackend = createJsBackend();
    const orpoModel = loadStories260K(orpoBackend);
    const modelBytes = memoryInfo(orpoBackend).liveBytes; // the policy's weights (and nothing else)
    const orpo = await bytesHeldWhileTraining(orpoBackend, (cb) =>
      new ORPOTrainer(ONE_STEP).huan_luyen(orpoModel, PAIRS, null, cb),
    );
    const dpoBackend = createJsBackend();
    const dpoModel = loadStories260K(dpoBackend);
    const dpo = await bytesHeldWhileTraining(dpoBackend, (cb) =>
      new DPOTrainer(ONE_STEP).huan_luyen(dpoModel, null, PAIRS, null, cb),
    );
    console.log({ modelBytes, orpoExtra: orpo, dpoExtraWithFrozenCopy: dpo });
    expect(modelBytes).toBeGreaterThan(900_000); // 260K float32 parameters
    // The same loop and optimizer state on both sides: the difference is DPO's frozen copy of the weights.
    expect(dpo - orpo).toBeGreaterThanOrEqual(0.95 * modelBytes);
    // ORPO's extra is the optimizer's state (AdamW's two moments: 2 × the weights) and no more.
    expect(orpo).toBeLessThanOrEqual(2.2 * modelBytes);
    for (const m of [orpoModel, dpoModel]) m.dispose();
  });

  it('huan_luyen takes no reference: a model where the data goes is refused, naming preference_data', async () => {
    const backend = createJsBackend();
    const model = loadStories260K(backend);
    const other = loadStories260K(backend);
    const trainer = new ORPOTrainer(ONE_STEP);
    const call = trainer.huan_luyen as unknown as (...args: unknown[]) => Promise<unknown>;
    await expectTypedError(() => call.call(trainer, model, other, PAIRS), {
      type: InvalidArgumentError,
      mentions: ['ORPOTrainer.huan_luyen', 'preference_data'],
    });
    expect(trainer.thong_ke().global_step).toBe(0);
    for (const m of [model, other]) m.dispose();
  });
});

describe('ORPOTrainer: the seed style', () => {
  it('defaults, the seed result keys, history columns (seed four first, then TRL metrics) and lay_lich_su() = result.history', async () => {
    const trainer = new ORPOTrainer({ ...ONE_STEP, kich_thuoc_batch: 2, so_vong: 2 });
    expect(new ORPOTrainer().options).toMatchObject({ ...ORPO_DEFAULTS, toc_do_hoc: 1e-6, beta: 0.1 });
    // before training: an empty history (same columns) and zero counts
    expect(trainer.lay_lich_su().train_loss).toEqual([]);
    expect(trainer.lay_lich_su().log_odds_chosen).toEqual([]);
    expect(trainer.thong_ke()).toMatchObject({ global_step: 0, pairs: 0, tokens_seen: 0 });
    const backend = createJsBackend();
    const model = loadStories260K(backend);
    const result = await trainer.huan_luyen(model, PAIRS);
    expect(Object.keys(result)).toEqual([
      'tong_thoi_gian',
      'so_epoch',
      'global_step',
      'train_loss_min',
      'final_reward_margin',
      'history',
    ]);
    expect(Object.keys(result.history)).toEqual([
      'train_loss',
      'chosen_rewards',
      'rejected_rewards',
      'reward_margin',
      'reward_accuracy',
      'chosen_logps',
      'rejected_logps',
      'nll_loss',
      'log_odds_ratio',
      'log_odds_chosen',
      'learning_rate',
      'grad_norm',
      'step',
      'records',
    ]);
    expect(result.global_step).toBe(4);
    expect(result.so_epoch).toBe(2);
    expect(result.history.step).toEqual([1, 2, 3, 4]);
    expect(result.final_reward_margin).toBe(result.history.reward_margin[3]);
    // the loss logged is exactly nll − λ·log σ(...) = nll_loss − 0.1·log_odds_ratio (means over the same pairs)
    for (const [i, loss] of result.history.train_loss.entries()) {
      const nll = result.history.nll_loss[i] as number;
      expect(loss).toBeCloseTo(nll - 0.1 * (result.history.log_odds_ratio[i] as number), 5);
    }
    expect(trainer.lay_lich_su()).toEqual(result.history);
    const stats = trainer.thong_ke();
    expect(stats).toMatchObject({ pairs: 4, truncated_pairs: 0, identical_pairs: 0, beta: 0.1, global_step: 4 });
    expect(stats.trainable_parameters).toBe(stats.total_parameters);
    model.dispose();
  });

  it('stopping at step 2 and resuming from the checkpoint matches an unbroken run (trainer base checkpoints)', async () => {
    const backend = createJsBackend();
    const options = { ...ONE_STEP, kich_thuoc_batch: 1, save_steps: 1 } as const;
    const unbroken = loadStories260K(backend);
    const full = await new ORPOTrainer(options).huan_luyen(unbroken, PAIRS);
    const storage = new MemoryCheckpointStorage();
    const first = loadStories260K(backend);
    await new ORPOTrainer({ ...options, checkpoint_storage: storage }).huan_luyen(
      first,
      PAIRS,
      null,
      (r) => r.step < 2,
    );
    const trainer = new ORPOTrainer({
      ...options,
      checkpoint_storage: storage,
      resume_from_checkpoint: 'checkpoint-2',
    });
    const resumed = loadStories260K(backend);
    const rest = await trainer.huan_luyen(resumed, PAIRS);
    expect(trainer.thong_ke().resumed_from).toBe('checkpoint-2');
    expect(withoutWallClock(rest.history)).toEqual(withoutWallClock(full.history));
    expect(Array.from(await (resumed as LlamaForCausalLM).model.norm.weight.data())).toEqual(
      Array.from(await (unbroken as LlamaForCausalLM).model.norm.weight.data()),
    );
    for (const m of [unbroken, first, resumed]) m.dispose();
  });
});
