import { describe, expect, it } from 'vitest';
import { rewardMetrics } from './reward-metrics.js';

describe('rewardMetrics', () => {
  it('computes loss, accuracy (ties wrong), mean rewards, margin, min/max by hand', () => {
    const m = rewardMetrics([2, 0, -1, 3], [1, 0, 1, -2], [0.1, 0.2, 0.3, 0.4]);
    expect(m.loss).toBeCloseTo(0.25, 12);
    expect(m.accuracy).toBe(0.5); // 2 > 1 and 3 > −2; the tie 0 = 0 is wrong
    expect(m.chosen_reward).toBe(1);
    expect(m.rejected_reward).toBe(0);
    expect(m.reward_margin).toBe(1);
    expect(m.reward_mean).toBe(0.5);
    expect(m.reward_min).toBe(-2);
    expect(m.reward_max).toBe(3);
    expect(m.num_pairs).toBe(4);
  });

  it('gives zeros for no pairs', () => {
    expect(rewardMetrics([], [])).toMatchObject({ num_pairs: 0, accuracy: 0, reward_min: 0, reward_max: 0 });
  });
});
