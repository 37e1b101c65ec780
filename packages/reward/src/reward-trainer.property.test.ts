import { createJsBackend } from '@rlhf/backend-js';
import { Random } from '@rlhf/core';
import { createRewardModel } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { wordPairs } from './__fixtures__/lily-pairs.js';
import { loadStories260K } from './__fixtures__/stories260k.js';
import { RewardModel } from './reward-trainer.js';

// A learnable property on stories260K's own stories (src/__fixtures__/stories260k-samples.json): the chosen
// story mentions "Lily", the rejected one does not. 185 such pairs (no story in two pairs): the first 96
// train, the other 89 are held out. One epoch, 12 optimizer steps of 8 pairs, about 20–30 s on two cores;
// experiments/lily-property.experiment.ts runs longer versions.
describe('RewardModel learns a property of stories260K stories', () => {
  it('held-out pairwise accuracy > 0.9 after one epoch (chance before)', async () => {
    const { train, heldOut } = wordPairs('Lily', 96);
    expect([train.length, heldOut.length]).toEqual([96, 89]);
    const rm = createRewardModel(loadStories260K(createJsBackend()), new Random(42));
    const trainer = new RewardModel({ toc_do_hoc: 2e-3, seed: 42, kich_thuoc_batch: 8, logging_steps: 6 });
    const before = await trainer.danh_gia(rm, heldOut);
    const result = await trainer.huan_luyen(rm, train);
    const after = await trainer.danh_gia(rm, heldOut);
    console.log(
      `Lily pairs: held-out accuracy ${before.accuracy.toFixed(3)} → ${after.accuracy.toFixed(3)}, loss ${before.loss.toFixed(3)} → ${after.loss.toFixed(3)}, margin ${after.reward_margin.toFixed(2)}; ${result.global_step} steps in ${result.tong_thoi_gian.toFixed(1)} s`,
    );
    expect(before.accuracy).toBeLessThan(0.7);
    expect(after.accuracy).toBeGreaterThan(0.9);
    expect(after.reward_margin).toBeGreaterThan(0);
    expect(result.train_loss_min).toBeLessThan(0.3);
  });
});
