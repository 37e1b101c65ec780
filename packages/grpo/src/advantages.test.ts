import { describe, expect, it } from 'vitest';
import { groupAdvantages, rlooAdvantages, unbiasedStd } from './advantages.js';

describe('advantages', () => {
  it("GRPO 'group': (r − mean_group) / (std_group + 1e-4), unbiased std; a zero-std group gets 0", () => {
    // group 1: mean 0.25, std = √(0.75 / 3) = 0.5; group 2: all equal → std 0
    const { advantages, groupStd, fracZeroStd } = groupAdvantages([1, 0, 0, 0, 1, 1, 1, 1], 4, 'group');
    expect(groupStd).toEqual([0.5, 0]);
    const expected = [1.49970006, -0.49990002, -0.49990002, -0.49990002, 0, 0, 0, 0];
    expected.forEach((v, i) => {
      expect(advantages[i]).toBeCloseTo(v, 7);
    });
    expect(fracZeroStd).toBe(0.5);
  });

  it("'batch' divides by the std of the whole batch (0.5175492 here); 'none' only centres (Dr. GRPO)", () => {
    const batch = groupAdvantages([1, 0, 0, 0, 1, 1, 1, 1], 4, 'batch').advantages;
    expect(batch[0]).toBeCloseTo(0.75 / (0.5175492 + 1e-4), 6);
    expect(batch[1]).toBeCloseTo(-0.25 / (0.5175492 + 1e-4), 6);
    expect(batch[4]).toBe(0);
    expect(groupAdvantages([1, 0, 0, 0], 4, 'none').advantages).toEqual([0.75, -0.25, -0.25, -0.25]);
  });

  it("RLOO's leave-one-out baseline: A_i = r_i − mean of the other G − 1", () => {
    const a = rlooAdvantages([1, 0, 0, 0, 3, 1], 4, false);
    expect(a.slice(0, 4)).toEqual([1, -1 / 3, -1 / 3, -1 / 3]);
    // a group of 2: each one's baseline is the other
    const b = rlooAdvantages([3, 1], 2, false);
    expect(b).toEqual([2, -2]);
    const n = rlooAdvantages([1, 0, 0, 0], 4, true);
    const mean = n.reduce((x, y) => x + y, 0) / 4;
    expect(mean).toBeCloseTo(0, 12);
    expect(unbiasedStd(n)).toBeCloseTo(1, 3);
  });
});
