import { describe, expect, it } from 'vitest';
import { gelu } from './gelu.js';

describe('gelu (tanh approximation)', () => {
  it('matches the formula at known points', () => {
    const y = gelu(new Float32Array([0, 1, -1, 3, -6]));
    // 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))), evaluated in float64.
    const expected = [0, 0.8411919906, -0.1588080094, 2.9963625862, -0.0];
    y.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 6);
    });
  });
});
