import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../index.js';

const be = createJsBackend();
const f32 = (values: ArrayLike<number>, shape: number[]) => be.write(Float32Array.from(values), shape, 'float32');
const read = (b: ReturnType<typeof f32>) => Array.from(be.readSync(b));

describe('fused rmsNorm', () => {
  it('divides by the root mean square and scales by the weight', () => {
    const out = read(be.fused.rmsNorm(f32([3, 4, 1, 1], [2, 2]), f32([1, 2], [2]), 0));
    const r = Math.sqrt(12.5);
    expect(out[0]).toBeCloseTo(3 / r, 6);
    expect(out[1]).toBeCloseTo((4 / r) * 2, 6);
    expect(out[2]).toBeCloseTo(1, 6);
    expect(out[3]).toBeCloseTo(2, 6);
  });

  it('adds eps inside the square root', () => {
    const out = read(be.fused.rmsNorm(f32([0, 0, 2], [3]), f32([1, 1, 1], [3]), 2 / 3));
    expect(out).toEqual([0, 0, Math.fround(2 / Math.sqrt(4 / 3 + 2 / 3))]);
  });

  it('handles a rank-1 input, one element, and zero rows', () => {
    expect(read(be.fused.rmsNorm(f32([-5], [1]), f32([3], [1]), 0))).toEqual([-3]);
    expect(read(be.fused.rmsNorm(f32([], [0, 4]), f32([1, 1, 1, 1], [4]), 1e-5))).toEqual([]);
  });
});

describe('fused layerNorm', () => {
  it('centres, scales by the biased variance, and applies weight and bias', () => {
    // Row [1, 3]: mean 2, biased variance 1; row [0, 4]: mean 2, biased variance 4. Both normalise to [−1, 1].
    const out = read(be.fused.layerNorm(f32([1, 3, 0, 4], [2, 2]), f32([2, 3], [2]), f32([10, 20], [2]), 0));
    expect(out).toEqual([8, 23, 8, 23]);
  });

  it('matches a float64 reference with eps on random rows', () => {
    const d = 17;
    const values = Array.from({ length: 3 * d }, (_, i) => Math.fround(3 * Math.sin(i * 0.9) + 1));
    const w = Array.from({ length: d }, (_, i) => Math.fround(1 + i / d));
    const b = Array.from({ length: d }, (_, i) => Math.fround(-i / d));
    const eps = 1e-5;
    const out = read(be.fused.layerNorm(f32(values, [3, d]), f32(w, [d]), f32(b, [d]), eps));
    for (let r = 0; r < 3; r++) {
      const row = values.slice(r * d, (r + 1) * d);
      const mu = row.reduce((a, v) => a + v, 0) / d;
      const variance = row.reduce((a, v) => a + (v - mu) ** 2, 0) / d;
      row.forEach((v, i) => {
        const expected = ((v - mu) / Math.sqrt(variance + eps)) * w[i] + b[i];
        expect(Math.abs(out[r * d + i] - expected)).toBeLessThan(1e-6);
      });
    }
  });

  it('is stable for a large common offset (two-pass variance)', () => {
    const out = read(be.fused.layerNorm(f32([1e4 + 1, 1e4 + 3], [2]), f32([1, 1], [2]), f32([0, 0], [2]), 0));
    expect(out).toEqual([-1, 1]);
  });

  it('maps a constant row to the bias', () => {
    expect(read(be.fused.layerNorm(f32([4, 4, 4], [3]), f32([5, 5, 5], [3]), f32([1, 2, 3], [3]), 1e-5))).toEqual([
      1, 2, 3,
    ]);
  });
});
