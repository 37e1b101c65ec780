import { createJsBackend } from '@rlhf/backend-js';
import { mul, sum, type Tensor, tensor, tidy } from '@rlhf/core';
import { evaluateFloat64, finiteDifferenceGradient } from '@rlhf/core/testing';
import { describe, expect, it } from 'vitest';
import type { DpoLossParams } from './dpo-loss.js';
import { logRatioDifference } from './log-ratio-difference.js';
import { DPO_LOSS_TYPES, DPO_LOSSES, dpoLoss } from './registry.js';

/** The four losses of Δ alone that this file checks (the others: all-losses.test.ts). */
type DpoLossType = 'sigmoid' | 'ipo' | 'hinge' | 'robust';

const backend = createJsBackend();
const reference = createJsBackend({ precision: 'float64' });

/** Per-pair losses from the four summed log-prob vectors, read back as numbers. */
async function lossValues(type: DpoLossType, logps: number[][], params: DpoLossParams): Promise<number[]> {
  const out = tidy(() => {
    const [policyChosen, policyRejected, refChosen, refRejected] = logps.map((v) => tensor(backend, v, [v.length])) as [
      Tensor,
      Tensor,
      Tensor,
      Tensor,
    ];
    return DPO_LOSSES[type].loss(logRatioDifference({ policyChosen, policyRejected, refChosen, refRejected }), params);
  });
  const values = Array.from(await out.data());
  out.dispose();
  return values;
}

// One pair: log π_θ(y_c) = −10, log π_θ(y_r) = −12, log π_ref(y_c) = −11, log π_ref(y_r) = −11.5
// → c_chosen = 1, c_rejected = −0.5, Δ = 1.5; with β = 0.1, βΔ = 0.15.
// −log σ(0.15) = log(1 + e^−0.15) = 0.6209570477895321; since log σ(z) − log σ(−z) = z, the smoothed
// sigmoid loss is −log σ(z) + ε·z.
const ONE_PAIR = [[-10], [-12], [-11], [-11.5]];
const NLS = 0.6209570477895321; // −log σ(0.15)
const NLS_NEG = NLS + 0.15; // −log σ(−0.15)

const HAND: { type: DpoLossType; eps: number; beta: number; expected: number }[] = [
  { type: 'sigmoid', eps: 0, beta: 0.1, expected: NLS },
  { type: 'sigmoid', eps: 0.1, beta: 0.1, expected: NLS + 0.1 * 0.15 }, // 0.63595704...
  { type: 'sigmoid', eps: 0.5, beta: 0.1, expected: 0.5 * NLS + 0.5 * NLS_NEG }, // = ln2-ish mix, 0.6959570...
  { type: 'robust', eps: 0, beta: 0.1, expected: NLS },
  { type: 'robust', eps: 0.1, beta: 0.1, expected: (0.9 * NLS - 0.1 * NLS_NEG) / 0.8 }, // 0.6022070...
  { type: 'ipo', eps: 0, beta: 0.1, expected: (1.5 - 5) ** 2 }, // 12.25
  { type: 'ipo', eps: 0.1, beta: 0.5, expected: (1.5 - 1) ** 2 }, // 0.25, ε ignored
  { type: 'hinge', eps: 0, beta: 0.1, expected: 1 - 0.15 }, // 0.85
  { type: 'hinge', eps: 0.5, beta: 1, expected: 0 }, // 1 − 1.5 < 0, ε ignored
];

describe('DPO loss registry: values', () => {
  for (const { type, eps, beta, expected } of HAND) {
    it(`${type}, ε = ${eps}, β = ${beta}: ${expected.toPrecision(8)} by hand`, async () => {
      const [value] = await lossValues(type, ONE_PAIR, { beta, label_smoothing: eps });
      expect(value).toBeCloseTo(expected, 6);
    });
  }

  it('literal values: sigmoid ε = 0.1 is 0.635957048, robust ε = 0.1 is 0.602207048, ε = 0.5 sigmoid 0.695957048', async () => {
    expect((await lossValues('sigmoid', ONE_PAIR, { beta: 0.1, label_smoothing: 0.1 }))[0]).toBeCloseTo(0.635957048, 6);
    expect((await lossValues('robust', ONE_PAIR, { beta: 0.1, label_smoothing: 0.1 }))[0]).toBeCloseTo(0.602207048, 6);
    expect((await lossValues('sigmoid', ONE_PAIR, { beta: 0.1, label_smoothing: 0.5 }))[0]).toBeCloseTo(0.695957048, 6);
  });

  it('Δ = 0 gives ln 2 for sigmoid and robust (any ε), 1 for hinge and 1/(4β²) for ipo', async () => {
    const equal = [
      [-7, -3],
      [-9, -1],
      [-7, -3],
      [-9, -1],
    ]; // policy = reference on two pairs
    for (const eps of [0, 0.1, 0.5]) {
      for (const v of await lossValues('sigmoid', equal, { beta: 0.1, label_smoothing: eps }))
        expect(v).toBeCloseTo(Math.LN2, 7);
    }
    for (const v of await lossValues('robust', equal, { beta: 0.1, label_smoothing: 0.3 }))
      expect(v).toBeCloseTo(Math.LN2, 6);
    for (const v of await lossValues('hinge', equal, { beta: 0.1, label_smoothing: 0 })) expect(v).toBe(1);
    for (const v of await lossValues('ipo', equal, { beta: 0.1, label_smoothing: 0 })) expect(v).toBeCloseTo(25, 4);
  });

  it('large |Δ| (βΔ = ±4950) stays finite and exact: no overflow in log σ', async () => {
    // Δ = ±495 (ref log-probs 0), β = 10.
    const big = [
      [-5, -500],
      [-500, -5],
      [0, 0],
      [0, 0],
    ];
    const params = (label_smoothing: number, beta = 10) => ({ beta, label_smoothing });
    expect((await lossValues('sigmoid', big, params(0))).map((v) => v + 0)).toEqual([0, 4950]); // + 0 turns −0 into 0
    const smoothed = await lossValues('sigmoid', big, params(0.1)); // −(1−ε)·logσ(z) − ε·logσ(−z)
    expect(smoothed[0]).toBeCloseTo(495, 2); // 0.1 · 4950
    expect(smoothed[1]).toBeCloseTo(4455, 1); // 0.9 · 4950
    const robust = await lossValues('robust', big, params(0.1));
    expect(robust[0]).toBeCloseTo(-618.75, 2); // (0 − 0.1·4950)/0.8
    expect(robust[1]).toBeCloseTo(5568.75, 1); // 0.9·4950/0.8
    expect((await lossValues('hinge', big, params(0))).map((v) => v + 0)).toEqual([0, 4951]);
    const ipo = await lossValues('ipo', big, params(0));
    expect(ipo[0]).toBeCloseTo((495 - 0.05) ** 2, -1);
    expect(ipo[1]).toBeCloseTo((-495 - 0.05) ** 2, -1);
    for (const v of [...smoothed, ...robust, ...ipo]) expect(Number.isFinite(v)).toBe(true);
  });

  it('an unknown loss_type is rejected naming the key and the known names', () => {
    expect(DPO_LOSS_TYPES.slice(0, 4)).toEqual(['sigmoid', 'ipo', 'hinge', 'robust']); // the first four keep their place
    expect(() => dpoLoss('kto')).toThrow(
      "DPOTrainer: option 'loss_type' = \"kto\" is not allowed; expected one of 'sigmoid', 'ipo', 'hinge', 'robust', 'exo_pair', 'nca_pair', 'bco_pair', 'sppo_hard', 'aot', 'aot_unpaired', 'apo_zero', 'apo_down', 'discopop', 'sft', 'sigmoid_norm'.",
    );
    expect(dpoLoss('robust').labelSmoothingBound).toEqual({ max: 0.5, inclusive: false });
  });
});

describe('DPO loss registry: gradients against float64 central differences', () => {
  // Four (B = 3) inputs kept away from the hinge's kink at βΔ = 1.
  const inputs = [
    { values: [-10, -4.2, -7], shape: [3] },
    { values: [-12, -3.1, -9.5], shape: [3] },
    { values: [-11, -4.0, -6.2], shape: [3] },
    { values: [-11.5, -2.5, -8.1], shape: [3] },
  ];
  const weight = [0.7, -1.3, 0.4];
  const cases: { type: DpoLossType; params: DpoLossParams }[] = [
    { type: 'sigmoid', params: { beta: 0.5, label_smoothing: 0 } },
    { type: 'sigmoid', params: { beta: 0.5, label_smoothing: 0.1 } },
    { type: 'sigmoid', params: { beta: 0.5, label_smoothing: 0.5 } },
    { type: 'robust', params: { beta: 0.5, label_smoothing: 0.2 } },
    { type: 'ipo', params: { beta: 0.5, label_smoothing: 0 } },
    { type: 'hinge', params: { beta: 0.5, label_smoothing: 0 } },
  ];
  for (const { type, params } of cases) {
    it(`${type} (β = ${params.beta}, ε = ${params.label_smoothing})`, async () => {
      const f = (xs: Tensor[]) => {
        const [policyChosen, policyRejected, refChosen, refRejected] = xs as [Tensor, Tensor, Tensor, Tensor];
        return DPO_LOSSES[type].loss(
          logRatioDifference({ policyChosen, policyRejected, refChosen, refRejected }),
          params,
        );
      };
      const xs = inputs.map(({ values, shape }) => {
        const t = tensor(backend, values, shape);
        t.requiresGrad = true;
        return t;
      });
      tidy(() => sum(mul(f(xs), tensor(backend, weight, [3]))).backward());
      const fd = finiteDifferenceGradient(reference, f, inputs, weight, 1e-4);
      for (const [i, x] of xs.entries()) {
        const analytic = Array.from(await (x.grad as Tensor).data());
        const numeric = fd[i] as Float64Array;
        expect(Math.max(...numeric.map(Math.abs)), 'the check can fail: a non-zero gradient').toBeGreaterThan(1e-3);
        for (const [k, g] of analytic.entries()) expect(g).toBeCloseTo(numeric[k] as number, 4);
        x.dispose();
      }
      // The value on the float32 backend equals the float64 reference's.
      const y = tidy(() => f(inputs.map(({ values, shape }) => tensor(backend, values, shape))));
      const y64 = evaluateFloat64(reference, f, inputs);
      for (const [k, v] of Array.from(await y.data()).entries()) expect(v).toBeCloseTo(y64[k] as number, 4);
      y.dispose();
    });
  }
});
