import { createJsBackend } from '@rlhf/backend-js';
import { mean, RlhfError, type Tensor, tensor } from '@rlhf/core';
import { finiteDifferenceGradient } from '@rlhf/core/testing';
import { describe, expect, it } from 'vitest';
import { bradleyTerryLoss } from './bradley-terry-loss.js';
import { centerRewardsLoss } from './center-rewards-loss.js';
import { rewardLoss } from './reward-loss.js';

const backend = createJsBackend();
const ref = createJsBackend({ precision: 'float64' });

/** Values of `f(chosen, rejected[, margin])` and the gradient of `mean(f)` w.r.t. chosen and rejected. */
function run(f: (xs: Tensor[]) => Tensor, inputs: number[][]) {
  const xs = inputs.map((v) => {
    const t = tensor(backend, Float32Array.from(v), [v.length]);
    t.requiresGrad = true;
    return t;
  });
  const perPair = f(xs);
  const values = Array.from(perPair.dataSync());
  mean(perPair).backward();
  return { values, grads: xs.map((x) => Array.from(x.grad?.dataSync() ?? [])) };
}

function expectAllClose(actual: number[], expected: number[], tol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    expect(Math.abs(a - (expected[i] as number)), `index ${i}: ${a} vs ${expected[i]}`).toBeLessThan(tol);
  });
}

// A fixed tiny batch: r_c = [2, 0, −1], r_r = [1, 0, 1], m = [0.5, 0, 0].
const chosen = [2, 0, -1];
const rejected = [1, 0, 1];
const margin = [0.5, 0, 0];

describe('bradleyTerryLoss: −log σ(r_c − r_r − m)', () => {
  it('equals hand-computed values (log(1 + e^{−d}) with d = r_c − r_r)', () => {
    const { values, grads } = run(([c, r]) => bradleyTerryLoss(c as Tensor, r as Tensor), [chosen, rejected]);
    // d = [1, 0, −2]: log(1 + e^{−1}), ln 2, log(1 + e^{2}).
    expectAllClose(values, [0.3132616875182228, Math.LN2, 2.1269280110429727], 1e-6);
    // ∂ mean / ∂r_c = −σ(−d) / B; ∂ / ∂r_r = +σ(−d) / B.
    const g = [-0.2689414213699951 / 3, -0.5 / 3, -0.8807970779778824 / 3];
    expectAllClose(grads[0] as number[], g, 1e-7);
    expectAllClose(
      grads[1] as number[],
      g.map((v) => -v),
      1e-7,
    );
  });

  it('with a per-pair margin: the mean loss and gradient of the tiny batch by hand', () => {
    const { values, grads } = run(
      ([c, r, m]) => bradleyTerryLoss(c as Tensor, r as Tensor, m as Tensor),
      [chosen, rejected, margin],
    );
    expectAllClose(values, [0.47407698418010663, Math.LN2, 2.1269280110429727], 1e-6);
    expect(Math.abs(values.reduce((a, b) => a + b) / 3 - 1.098050725261008)).toBeLessThan(1e-6);
    expectAllClose(grads[0] as number[], [-0.1258468895993818, -0.16666666666666666, -0.2935990259926275], 1e-7);
    // ∂/∂m = ∂/∂r_r.
    expectAllClose(grads[2] as number[], grads[1] as number[], 1e-9);
  });

  it('stays finite for large |r_c − r_r| (no overflow, gradient saturates at ∓1/B)', () => {
    const { values, grads } = run(
      ([c, r]) => bradleyTerryLoss(c as Tensor, r as Tensor),
      [
        [60, -60],
        [-40, 40],
      ],
    );
    expectAllClose(values, [0, 100], 1e-4); // d = [100, −100]
    expectAllClose(grads[0] as number[], [0, -0.5], 1e-6);
  });

  it('matches float64 central differences on random inputs (with margin)', () => {
    const inputs = [
      [0.3, -1.2, 2.5, 0.1],
      [-0.4, 0.7, 1.9, 0.1],
      [0.2, 0, -0.5, 1],
    ];
    const f = ([c, r, m]: Tensor[]) => mean(bradleyTerryLoss(c as Tensor, r as Tensor, m as Tensor));
    const fd = finiteDifferenceGradient(
      ref,
      f,
      inputs.map((v) => ({ values: v, shape: [v.length] })),
      [1],
      1e-3,
    );
    const { grads } = run((xs) => bradleyTerryLoss(xs[0] as Tensor, xs[1] as Tensor, xs[2] as Tensor), inputs);
    fd.forEach((g, i) => {
      expectAllClose(grads[i] as number[], Array.from(g), 1e-5);
    });
  });

  it('rejects mismatched shapes and non-float rewards with typed errors', () => {
    const a = tensor(backend, [1, 2], [2]);
    const b = tensor(backend, [1, 2, 3], [3]);
    expect(() => bradleyTerryLoss(a, b)).toThrow(/same length/);
    expect(() => bradleyTerryLoss(a, tensor(backend, [1, 2], [2], 'int32'))).toThrow(/float32/);
    try {
      bradleyTerryLoss(a, b);
    } catch (e) {
      expect(RlhfError.isInstance(e) && e.code).toBe('SHAPE_MISMATCH');
    }
  });
});

describe('centerRewardsLoss: λ·(r_c + r_r)² (TRL center_rewards_coefficient)', () => {
  it('equals hand-computed values and gradient 2λ(r_c + r_r)/B', () => {
    const { values, grads } = run(([c, r]) => centerRewardsLoss(c as Tensor, r as Tensor, 0.01), [chosen, rejected]);
    expectAllClose(values, [0.09, 0, 0], 1e-8);
    expectAllClose(grads[0] as number[], [0.02, 0, 0], 1e-8);
    expectAllClose(grads[1] as number[], [0.02, 0, 0], 1e-8);
  });

  it('matches float64 central differences', () => {
    const inputs = [
      [0.3, -1.2, 2.5],
      [-0.4, 0.7, 1.9],
    ];
    const f = ([c, r]: Tensor[]) => mean(centerRewardsLoss(c as Tensor, r as Tensor, 0.3));
    const fd = finiteDifferenceGradient(
      ref,
      f,
      inputs.map((v) => ({ values: v, shape: [v.length] })),
      [1],
      1e-3,
    );
    const { grads } = run((xs) => centerRewardsLoss(xs[0] as Tensor, xs[1] as Tensor, 0.3), inputs);
    fd.forEach((g, i) => {
      expectAllClose(grads[i] as number[], Array.from(g), 1e-5);
    });
  });

  it('rejects a negative or non-finite coefficient, naming it', () => {
    const a = tensor(backend, [1], [1]);
    expect(() => centerRewardsLoss(a, a, -1)).toThrow(/coefficient/);
    expect(() => centerRewardsLoss(a, a, Number.NaN)).toThrow(/coefficient/);
  });
});

describe('rewardLoss: Bradley–Terry + centering, as TRL RewardTrainer', () => {
  it('the tiny batch: mean loss 1.0980507 + 0.03 and its gradient by hand', () => {
    const { values, grads } = run(
      ([c, r, m]) =>
        rewardLoss({ chosen: c as Tensor, rejected: r as Tensor, margin: m as Tensor, centerRewardsCoefficient: 0.01 }),
      [chosen, rejected, margin],
    );
    expect(Math.abs(values.reduce((a, b) => a + b) / 3 - (1.098050725261008 + 0.03))).toBeLessThan(1e-6);
    expectAllClose(grads[0] as number[], [-0.1258468895993818 + 0.02, -0.16666666666666666, -0.2935990259926275], 1e-7);
    expectAllClose(grads[1] as number[], [0.1258468895993818 + 0.02, 0.16666666666666666, 0.2935990259926275], 1e-7);
  });

  it('without centering equals bradleyTerryLoss exactly', () => {
    const c = tensor(backend, chosen, [3]);
    const r = tensor(backend, rejected, [3]);
    expect(Array.from(rewardLoss({ chosen: c, rejected: r }).dataSync())).toEqual(
      Array.from(bradleyTerryLoss(c, r).dataSync()),
    );
  });
});
