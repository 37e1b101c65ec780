import { createJsBackend } from '@rlhf/backend-js';
import { mul, sum, type Tensor, tensor, tidy } from '@rlhf/core';
import { evaluateFloat64, finiteDifferenceGradient } from '@rlhf/core/testing';
import { describe, expect, it } from 'vitest';
import type { CpoLossParams } from './cpo-loss.js';
import { log1mexp, logOdds } from './log-odds.js';
import { orpoLoss } from './odds-ratio.js';
import { CPO_LOSS_TYPES, CPO_LOSSES, type CpoLossType, cpoLoss } from './registry.js';

const backend = createJsBackend();
const reference = createJsBackend({ precision: 'float64' });

async function values(f: () => Tensor): Promise<number[]> {
  const out = tidy(f);
  const v = Array.from(await out.data());
  out.dispose();
  return v;
}

const vec = (v: number[]) => tensor(backend, v, [v.length]);

// A tiny batch of two pairs, written out. Mean token log-probs ℓ (what ORPO, IPO and SimPO see) and summed
// log-probs (what CPO's sigmoid and hinge see):
//   pair 1: chosen 4 tokens, Σ = −2 (ℓ_c = −0.5); rejected 6 tokens, Σ = −9 (ℓ_r = −1.5)  — unequal
//   pair 2: chosen 2 tokens, Σ = −2 (ℓ_c = −1);   rejected 2 tokens, Σ = −2 (ℓ_r = −1)    — equal
const MEAN_C = [-0.5, -1];
const MEAN_R = [-1.5, -1];
const SUM_C = [-2, -2];
const SUM_R = [-9, -2];

describe('ORPO: odds and the odds-ratio loss, by hand', () => {
  // log odds(ℓ) = ℓ − log(1 − e^ℓ):
  //   ℓ = −0.5: 1 − e^−0.5 = 0.39346934, log = −0.93275213 → log odds = 0.43275213
  //   ℓ = −1.5: 1 − e^−1.5 = 0.77686984, log = −0.25248246 → log odds = −1.24751754
  //   ℓ = −1:   1 − e^−1   = 0.63212056, log = −0.45867515 → log odds = −0.54132485
  it('log odds of ℓ = −0.5, −1.5, −1 and log(1 − e^x) near 0 (no cancellation)', async () => {
    const lo = await values(() => logOdds(vec([-0.5, -1.5, -1])));
    expect(lo[0]).toBeCloseTo(0.43275213, 6);
    expect(lo[1]).toBeCloseTo(-1.24751754, 6);
    expect(lo[2]).toBeCloseTo(-0.54132485, 6);
    // x = −1e−4: log(1 − e^x) = log(9.9995e−5) = −9.21039; 1 − e^x in float32 would lose ~3 digits.
    const [near0] = await values(() => log1mexp(vec([-1e-4])));
    expect(near0).toBeCloseTo(Math.log(-Math.expm1(-1e-4)), 4);
    // P = 1 exactly (ℓ = 0, a float32 softmax can round to it) stays finite: ℓ is held at −1e−6.
    const [atOne] = await values(() => logOdds(vec([0])));
    expect(atOne).toBeCloseTo(-1e-6 - Math.log(-Math.expm1(-1e-6)), 3); // ≈ 13.8155
  });

  // Pair 1: log odds ratio = 0.43275213 − (−1.24751754) = 1.68026967; log σ(1.68026967) = −0.17085922
  //   → L_OR = 0.17085922, L_SFT = −ℓ_c = 0.5; λ = 0.1: 0.5 + 0.1·0.17085922 = 0.51708592; λ = 1: 0.67085922.
  // Pair 2 (equal ℓ): log odds ratio = 0, L_OR = ln 2, L_SFT = 1; λ = 0.1: 1 + 0.1·ln 2 = 1.06931472.
  it('λ = 0.1 and λ = 1, unequal and equal log-probs: L = −ℓ_c + λ·(−log σ(log odds_c − log odds_r))', async () => {
    const parts = (beta: number) =>
      tidy(() => {
        const p = orpoLoss(vec(MEAN_C), vec(MEAN_R), beta);
        return [p.loss, p.nll, p.logOddsRatio, p.logSigmoidRatio];
      });
    const small = await Promise.all(parts(0.1).map((t) => t.data()));
    expect(small[0]?.[0]).toBeCloseTo(0.51708592, 6);
    expect(small[0]?.[1]).toBeCloseTo(1 + 0.1 * Math.LN2, 6);
    expect(Array.from(small[1] ?? [])).toEqual([0.5, 1]);
    expect(small[2]?.[0]).toBeCloseTo(1.68026967, 5);
    expect(small[2]?.[1]).toBe(0);
    expect(small[3]?.[0]).toBeCloseTo(-0.17085922, 6);
    expect(small[3]?.[1]).toBeCloseTo(-Math.LN2, 6);
    const [one] = await values(() => orpoLoss(vec(MEAN_C), vec(MEAN_R), 1).loss);
    expect(one).toBeCloseTo(0.67085922, 6);
  });
});

describe('CPOTrainer losses, by hand', () => {
  const p = (beta: number, label_smoothing = 0, simpo_gamma = 0.5): CpoLossParams => ({
    beta,
    label_smoothing,
    simpo_gamma,
  });
  const run = (type: CpoLossType, params: CpoLossParams) => {
    const d = CPO_LOSSES[type];
    // h from summed log-probs, or h̄ from the means, as the trainer picks by `lengthNormalized`.
    const [c, r] = d.lengthNormalized ? [MEAN_C, MEAN_R] : [SUM_C, SUM_R];
    const h = c.map((x, i) => x - (r[i] as number));
    return values(() => d.loss(vec(h), params));
  };

  // Summed: h = (−2) − (−9) = 7 on pair 1, 0 on pair 2. Means: h̄ = (−0.5) − (−1.5) = 1 on pair 1, 0 on pair 2.
  // Since log σ(z) − log σ(−z) = z, the smoothed sigmoid is −log σ(z) + ε·z.
  const HAND: { type: CpoLossType; params: CpoLossParams; expected: [number, number]; why: string }[] = [
    // β = 0.1: z = 0.7; −log σ(0.7) = log(1 + e^−0.7) = 0.40318605; z = 0: ln 2
    { type: 'sigmoid', params: p(0.1), expected: [0.40318605, Math.LN2], why: 'log(1+e^−0.7), ln 2' },
    { type: 'sigmoid', params: p(0.1, 0.2), expected: [0.40318605 + 0.2 * 0.7, Math.LN2], why: '+ ε·z' },
    // max(0, 1 − 0.1·7) = 0.3; max(0, 1) = 1
    { type: 'hinge', params: p(0.1), expected: [0.3, 1], why: '1 − βh' },
    { type: 'hinge', params: p(0.5, 0.3), expected: [0, 1], why: '1 − 3.5 < 0; ε ignored' },
    // (h̄ − 1/(2β))², β = 0.1: (1 − 5)² = 16; (0 − 5)² = 25
    { type: 'ipo', params: p(0.1), expected: [16, 25], why: '(h̄ − 5)²' },
    // −log σ(β·h̄ − γ), β = 2, γ = 0.5: z = 1.5 → log(1 + e^−1.5) = 0.20141328; z = −0.5 → log(1 + e^0.5) = 0.97407698
    { type: 'simpo', params: p(2), expected: [0.20141328, 0.97407698], why: 'log(1+e^−1.5), log(1+e^0.5)' },
    { type: 'simpo', params: p(2, 0.1), expected: [0.20141328 + 0.15, 0.97407698 - 0.05], why: '+ ε·z' },
    { type: 'simpo', params: p(2, 0, 0), expected: [0.12692801, Math.LN2], why: 'γ = 0: log(1+e^−2), ln 2' },
  ];
  for (const { type, params, expected, why } of HAND) {
    it(`${type} β = ${params.beta}, ε = ${params.label_smoothing}, γ = ${params.simpo_gamma}: ${why}`, async () => {
      const v = await run(type, params);
      expect(v[0]).toBeCloseTo(expected[0], 6);
      expect(v[1]).toBeCloseTo(expected[1], 6);
    });
  }

  it('length normalisation is what each loss says: sigmoid and hinge sum, ipo and simpo average (TRL)', () => {
    expect(CPO_LOSS_TYPES).toEqual(['sigmoid', 'hinge', 'ipo', 'simpo']);
    expect(CPO_LOSS_TYPES.map((t) => CPO_LOSSES[t].lengthNormalized)).toEqual([false, false, true, true]);
  });

  it('an unknown loss_type is rejected naming the key and the known names', () => {
    expect(() => cpoLoss('orpo')).toThrow(
      "CPOTrainer: option 'loss_type' = \"orpo\" is not allowed; expected one of 'sigmoid', 'hinge', 'ipo', 'simpo'.",
    );
  });
});

describe('gradients against float64 central differences', () => {
  // Away from the hinge's kink (β·h = 1) and from ℓ = 0.
  const logits = { values: [1.7, -0.6, 0.25], shape: [3] };
  const weight = [0.7, -1.3, 0.4];

  async function check(f: (xs: Tensor[]) => Tensor, inputs: { values: number[]; shape: number[] }[]) {
    const xs = inputs.map(({ values: v, shape }) => {
      const t = tensor(backend, v, shape);
      t.requiresGrad = true;
      return t;
    });
    tidy(() => sum(mul(f(xs), tensor(backend, weight, [3]))).backward());
    const fd = finiteDifferenceGradient(reference, f, inputs, weight, 1e-4);
    for (const [i, x] of xs.entries()) {
      const analytic = Array.from(await (x.grad as Tensor).data());
      const numeric = fd[i] as Float64Array;
      expect(Math.max(...numeric.map(Math.abs)), 'the check can fail: a non-zero gradient').toBeGreaterThan(1e-3);
      for (const [k, g] of analytic.entries()) expect(g).toBeCloseTo(numeric[k] as number, 3);
      x.dispose();
    }
    const y = tidy(() => f(inputs.map(({ values: v, shape }) => tensor(backend, v, shape))));
    const y64 = evaluateFloat64(reference, f, inputs);
    for (const [k, v] of Array.from(await y.data()).entries()) expect(v).toBeCloseTo(y64[k] as number, 4);
    y.dispose();
  }

  const cases: { type: CpoLossType; params: CpoLossParams }[] = [
    { type: 'sigmoid', params: { beta: 0.5, label_smoothing: 0, simpo_gamma: 0 } },
    { type: 'sigmoid', params: { beta: 0.5, label_smoothing: 0.1, simpo_gamma: 0 } },
    { type: 'hinge', params: { beta: 0.3, label_smoothing: 0, simpo_gamma: 0 } },
    { type: 'ipo', params: { beta: 0.5, label_smoothing: 0, simpo_gamma: 0 } },
    { type: 'simpo', params: { beta: 2, label_smoothing: 0, simpo_gamma: 0.5 } },
    { type: 'simpo', params: { beta: 2, label_smoothing: 0.2, simpo_gamma: 0.8 } },
  ];
  for (const { type, params } of cases) {
    it(`${type} (β = ${params.beta}, ε = ${params.label_smoothing}, γ = ${params.simpo_gamma})`, async () => {
      await check(([h]) => CPO_LOSSES[type].loss(h as Tensor, params), [logits]);
    });
  }

  for (const beta of [0.1, 1]) {
    it(`ORPO (λ = ${beta}) with respect to ℓ_c and ℓ_r, including ℓ near 0 (−0.01) and far below (−6)`, async () => {
      await check(
        ([c, r]) => orpoLoss(c as Tensor, r as Tensor, beta).loss,
        [
          { values: [-0.5, -0.01, -2.2], shape: [3] },
          { values: [-1.5, -0.8, -6], shape: [3] },
        ],
      );
    });
  }
});
