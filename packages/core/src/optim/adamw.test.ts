import { createJsBackend } from '@rlhf/backend-js';
import { describe, expect, it } from 'vitest';
import { mul, sum, tensor, tidy } from '../index.js';
import { AdamW } from './adamw.js';

/** The PyTorch AdamW formula, written out on plain numbers (the independent reference). */
function adamwByHand(
  p0: number[],
  steps: number,
  lr: number,
  wd: number,
  b1: number,
  b2: number,
  eps: number,
): number[][] {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const trajectory: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    for (let i = 0; i < p.length; i++) {
      const g = 2 * (p[i] as number); // d/dp of p²
      p[i] = (p[i] as number) * (1 - lr * wd);
      m[i] = b1 * (m[i] as number) + (1 - b1) * g;
      v[i] = b2 * (v[i] as number) + (1 - b2) * g * g;
      const mhat = (m[i] as number) / (1 - b1 ** t);
      const vhat = (v[i] as number) / (1 - b2 ** t);
      p[i] = (p[i] as number) - (lr * mhat) / (Math.sqrt(vhat) + eps);
    }
    trajectory.push([...p]);
  }
  return trajectory;
}

describe.each([
  ['fused kernel', () => createJsBackend()],
  ['composed from primitives', () => Object.assign(createJsBackend(), { fused: {} })],
])('AdamW (%s)', (_name, make) => {
  it('follows the hand-computed 3-step trajectory on loss = Σ p²', async () => {
    const backend = make();
    const p = tensor(backend, [1.0, -2.0]);
    p.requiresGrad = true;
    const opt = new AdamW([p], { lr: 0.1, weightDecay: 0.01, betas: [0.9, 0.999], eps: 1e-8 });
    const expected = adamwByHand([1.0, -2.0], 3, 0.1, 0.01, 0.9, 0.999, 1e-8);
    // First step by hand: p·(1−lr·wd) − lr·m̂/(√v̂+eps) with m̂ = g, v̂ = g²: 0.999 − 0.1 = 0.899; −1.998 + 0.1.
    expect(expected[0]?.[0]).toBeCloseTo(0.899, 9);
    expect(expected[0]?.[1]).toBeCloseTo(-1.898, 9);
    for (let step = 0; step < 3; step++) {
      tidy(() => sum(mul(p, p)).backward());
      opt.step();
      opt.zeroGrad();
      const got = Array.from(await p.data());
      got.forEach((x, i) => {
        expect(Math.abs(x - (expected[step]?.[i] as number))).toBeLessThan(1e-6);
      });
    }
    expect(opt.stepCount).toBe(3);
  });

  it('skips parameters without gradients and applies per-group weight decay', async () => {
    const backend = make();
    const a = tensor(backend, [1.0]);
    const b = tensor(backend, [1.0]);
    a.requiresGrad = true;
    b.requiresGrad = true;
    const opt = new AdamW(
      [
        { params: [a], weightDecay: 0 },
        { params: [b], weightDecay: 0.5 },
      ],
      { lr: 0.1 },
    );
    tidy(() => sum(a).backward()); // only a gets a gradient
    opt.step();
    expect((await a.data())[0]).toBeCloseTo(0.9, 6); // 1 − 0.1·1/(1+1e-8)
    expect((await b.data())[0]).toBe(1); // untouched: no gradient
  });

  it('saves and restores its state exactly', async () => {
    const backend = make();
    const p = tensor(backend, [0.5, 0.25]);
    p.requiresGrad = true;
    const opt = new AdamW([p], { lr: 0.05 });
    tidy(() => sum(mul(p, p)).backward());
    opt.step();
    const state = await opt.getState();
    const q = tensor(backend, await p.data());
    q.requiresGrad = true;
    const opt2 = new AdamW([q], { lr: 0.05 });
    opt2.setState(state);
    for (const [param, o] of [
      [p, opt],
      [q, opt2],
    ] as const) {
      o.zeroGrad();
      tidy(() => sum(mul(param, param)).backward());
      o.step();
    }
    expect(Array.from(await q.data())).toEqual(Array.from(await p.data()));
  });
});
