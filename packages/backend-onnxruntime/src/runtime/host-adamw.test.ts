import { Random } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { adamwConstants } from '../emit/emit-fused.js';
import { hostAdamw, scalarAdamw } from './host-adamw.js';

const rng = new Random(5);
const values = (n: number, scale: number) => Float32Array.from({ length: n }, () => rng.normal() * scale);

describe('hostAdamw (WebAssembly SIMD, in chunks)', () => {
  // 2 chunks of 16,384 and a rest that is not a multiple of 4 (the scalar tail).
  const n = 2 * 16384 + 1003;
  const k = adamwConstants({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: 3 });

  it('matches the scalar loop, element by element, in place and into new arrays', () => {
    const p = values(n, 1);
    const g = values(n, 0.1);
    const m = values(n, 0.01);
    const v = Float32Array.from(values(n, 0.001), Math.abs);
    const [p1, m1, v1] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    scalarAdamw(k, p, g, m, v, p1, m1, v1);
    const [p2, m2, v2] = [p.slice(), m.slice(), v.slice()];
    hostAdamw(k, p2, g, m2, v2, p2, m2, v2); // in place
    // float32 arithmetic against float64-then-rounded: a few units in the last place of the terms summed.
    const ulps = 1e-6;
    for (let i = 0; i < n; i++) {
      const [gi, mi, vi, pi] = [g[i], m[i], v[i], p[i]] as [number, number, number, number];
      expect(Math.abs((m2[i] as number) - (m1[i] as number))).toBeLessThanOrEqual(ulps * (Math.abs(mi) + Math.abs(gi)));
      expect(Math.abs((v2[i] as number) - (v1[i] as number))).toBeLessThanOrEqual(ulps * (vi + gi * gi));
      const update = Math.abs(pi - (p1[i] as number));
      expect(Math.abs((p2[i] as number) - (p1[i] as number))).toBeLessThanOrEqual(ulps * (Math.abs(pi) + update));
    }
    // The update moved (nearly) every parameter: all but those whose change is below float32's resolution.
    let moved = 0;
    for (let i = 0; i < n; i++) if (p2[i] !== p[i]) moved++;
    expect(moved).toBeGreaterThan(n * 0.99);
  });

  it('gives the first step by hand: m = (1−β₁)g, v = (1−β₂)g², p − lr·sign(g) for a fresh state', () => {
    const k1 = adamwConstants({ lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 0, weightDecay: 0, step: 1 });
    const p = Float32Array.of(1, -2, 3, 0.5, 7);
    const g = Float32Array.of(0.5, -0.25, 2, -4, 1e-3);
    const m = new Float32Array(5);
    const v = new Float32Array(5);
    hostAdamw(k1, p, g, m, v, p, m, v);
    // Adam's first step is lr·m̂/√v̂ = lr·g/|g| (bias-corrected): exactly ±0.1.
    [0.9, -1.9, 2.9, 0.6, 6.9].forEach((want, i) => {
      expect(p[i]).toBeCloseTo(want, 5);
    });
    [0.05, -0.025, 0.2, -0.4, 1e-4].forEach((want, i) => {
      expect(m[i]).toBeCloseTo(want, 7);
    });
  });
});
