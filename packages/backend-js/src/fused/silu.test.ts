import { describe, expect, it } from 'vitest';
import { silu } from './silu.js';

describe('silu', () => {
  it('is x·σ(x) at known points, and finite far out', () => {
    const y = silu(new Float32Array([0, 1, -1, 5, -100, 100]));
    const expected = [0, 0.7310585786, -0.2689414214, 4.966535745, -3.720076e-42, 100];
    y.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 6);
    });
  });
});
