import type { AdamWHyper } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../index.js';

const be = createJsBackend();
const f32 = (values: ArrayLike<number>) => be.write(Float32Array.from(values), [values.length], 'float32');
const read = (b: ReturnType<typeof f32>) => Array.from(be.readSync(b));

/** The spec's formula, in float64. */
function reference(p: number, g: number, m: number, v: number, h: AdamWHyper): [number, number, number] {
  const decayed = p - h.lr * h.weightDecay * p;
  const m2 = h.beta1 * m + (1 - h.beta1) * g;
  const v2 = h.beta2 * v + (1 - h.beta2) * g * g;
  const mHat = m2 / (1 - h.beta1 ** h.step);
  const vHat = v2 / (1 - h.beta2 ** h.step);
  return [decayed - (h.lr * mHat) / (Math.sqrt(vHat) + h.eps), m2, v2];
}

describe('fused adamw', () => {
  const hyper: AdamWHyper = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, step: 3 };

  it('matches the spec formula element by element and returns new [param, m, v]', () => {
    const p = [0.5, -1, 2, 0];
    const g = [0.1, -0.2, 0, 3];
    const m = [0.01, 0.02, -0.03, 0];
    const v = [0.001, 0.002, 0.003, 0];
    const bufs = [f32(p), f32(g), f32(m), f32(v)] as const;
    const [np, nm, nv] = be.fused.adamw(...bufs, hyper).map(read);
    for (let i = 0; i < p.length; i++) {
      const [ep, em, ev] = reference(Math.fround(p[i]), Math.fround(g[i]), Math.fround(m[i]), Math.fround(v[i]), hyper);
      // Within float32 rounding of each result.
      expect(Math.abs(np[i] - ep)).toBeLessThanOrEqual(1e-7 * Math.abs(ep) + 1e-12);
      expect(Math.abs(nm[i] - em)).toBeLessThanOrEqual(1e-7 * Math.abs(em) + 1e-12);
      expect(Math.abs(nv[i] - ev)).toBeLessThanOrEqual(1e-7 * Math.abs(ev) + 1e-12);
    }
    // Inputs are untouched.
    expect(read(bufs[0])).toEqual(p.map(Math.fround));
    expect(read(bufs[2])).toEqual(m.map(Math.fround));
  });

  it('moves each weight by about lr on the first step (Adam’s sign-like update)', () => {
    const h = { ...hyper, weightDecay: 0, step: 1, eps: 0 };
    const [np] = be.fused.adamw(f32([1, 1]), f32([5, -0.001]), f32([0, 0]), f32([0, 0]), h).map(read);
    expect(np[0]).toBeCloseTo(0.99, 6);
    expect(np[1]).toBeCloseTo(1.01, 6);
  });

  it('applies only decoupled weight decay when the gradient is zero', () => {
    const h = { ...hyper, step: 1 };
    const [np, nm, nv] = be.fused.adamw(f32([2]), f32([0]), f32([0]), f32([0]), h).map(read);
    expect(np[0]).toBeCloseTo(2 * (1 - 0.01 * 0.1), 7);
    expect(nm).toEqual([0]);
    expect(nv).toEqual([0]);
  });

  it('works on empty tensors and can be called detached from the backend', () => {
    const { adamw } = be.fused;
    const out = adamw(f32([]), f32([]), f32([]), f32([]), hyper);
    expect(out.map((b) => be.readSync(b).length)).toEqual([0, 0, 0]);
  });
});
