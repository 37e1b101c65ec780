import { createJsBackend } from '@rlhf/backend-js';
import { Random } from '@rlhf/core';
import { createRewardModel } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from '../__fixtures__/data.js';
import { rewardModelReward } from './reward-model-reward.js';

describe('rewardModelReward', () => {
  it('scores BOS + prompt + completion + EOS with the scalar head, one finite number each, batch-size independent', async () => {
    const backend = createJsBackend();
    const rm = createRewardModel(loadStories260K(backend), new Random(3));
    const prompts = ['Tom had a ball.', 'Tom had a ball.', 'Sue ran.'];
    const completions = [' He was happy.', ' It was big and red.', ' She fell.'];
    const batched = await rewardModelReward(rm)(prompts, completions);
    const single = await rewardModelReward(rm, { batchSize: 1, name: 'judge' })(prompts, completions);
    expect(batched).toHaveLength(3);
    expect(batched.every(Number.isFinite)).toBe(true);
    batched.forEach((v, i) => {
      expect(v).toBeCloseTo(single[i] as number, 4);
    });
    expect(new Set(batched.map((v) => v.toFixed(5))).size).toBe(3);
    expect(rewardModelReward(rm).name).toBe('reward_model');
    expect(rewardModelReward(rm, { name: 'judge' }).name).toBe('judge');
  }, 30_000);
});
