import { createJsBackend } from '@rlhf/backend-js';
import { sub, sum, type Tensor, tensor, tidy } from '@rlhf/core';
import { evaluateFloat64, finiteDifferenceGradient } from '@rlhf/core/testing';
import { describe, expect, it } from 'vitest';
import { klReferencePoint } from './kl-reference-point.js';
import { type KtoLossParams, ktoLoss } from './kto-loss.js';

const backend = createJsBackend();
const reference = createJsBackend({ precision: 'float64' });

// A batch of B = 4: examples 0 and 2 desirable, 1 and 3 undesirable; β = 0.5, λ_D = 2, λ_U = 1.5.
// log-ratios r = log π_θ − log π_ref = [1.0, −0.4, 0.2, 2.0] (policy [−9, −10.4, −5.8, −6], reference [−10, −10, −6, −8]).
// Mismatched pairs (x_i, y_{i−1}): policy [0.3, −0.1, 0.5, 0.1], reference [0, 0, 0.1, 0.2]
// → differences [0.3, −0.1, 0.4, −0.1], mean 0.5 / 4 = 0.125 = z₀ (> 0, kept).
const POLICY = [-9, -10.4, -5.8, -6];
const REF = [-10, -10, -6, -8];
const POLICY_KL = [0.3, -0.1, 0.5, 0.1];
const REF_KL = [0, 0, 0.1, 0.2];
const DESIRABLE = [1, 0, 1, 0];
const PARAMS: KtoLossParams = { loss_type: 'kto', beta: 0.5, desirable_weight: 2, undesirable_weight: 1.5 };

// By hand, σ(z) = 1 / (1 + e^−z):
//   0 (desirable):   2 · (1 − σ(0.5 · (1.0 − 0.125)))  = 2 · (1 − σ(0.4375))   = 0.7846736603342166
//   1 (undesirable): 1.5 · (1 − σ(0.5 · (0.125 + 0.4))) = 1.5 · (1 − σ(0.2625)) = 0.6521238786493502
//   2 (desirable):   2 · (1 − σ(0.5 · (0.2 − 0.125)))  = 2 · (1 − σ(0.0375))   = 0.9812521969566785
//   3 (undesirable): 1.5 · (1 − σ(0.5 · (0.125 − 2.0))) = 1.5 · (1 − σ(−0.9375)) = 1.0778915888562843
// mean over the batch (TRL's losses.nanmean()) = 0.8739853311991325
const KTO_HAND = [0.7846736603342166, 0.6521238786493502, 0.9812521969566785, 1.0778915888562843];
// apo_zero_unpaired (no z₀): 2 · (1 − σ(0.5)), 1.5 · σ(−0.2), 2 · (1 − σ(0.1)), 1.5 · σ(1.0)
const APO_HAND = [0.7550813375962908, 0.6752490040312833, 0.95004162504212, 1.0965878679450074];

async function values(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

function z0Of(policyKl: number[], refKl: number[]): Promise<number[]> {
  return values(
    tidy(() => klReferencePoint(tensor(backend, policyKl, [policyKl.length]), tensor(backend, refKl, [refKl.length]))),
  );
}

function lossesOf(params: KtoLossParams, z0: number): Promise<number[]> {
  return values(
    tidy(() =>
      ktoLoss(
        {
          logRatios: sub(tensor(backend, POLICY, [4]), tensor(backend, REF, [4])),
          desirable: tensor(backend, DESIRABLE, [4]),
          z0,
        },
        params,
      ),
    ),
  );
}

describe('KTO loss: values by hand', () => {
  it('z₀ = max(0, mean(policy_KL − ref_KL)) = 0.125 here, a scalar; a negative mean is clamped to 0', async () => {
    expect(await z0Of(POLICY_KL, REF_KL)).toEqual([expect.closeTo(0.125, 7)]);
    // differences [−0.3, −0.1, 0.4, −0.4]: mean −0.1 → 0
    expect(await z0Of([-0.3, -0.1, 0.5, -0.4], [0, 0, 0.1, 0])).toEqual([0]);
  });

  it("'kto' with z₀ = 0.125, β = 0.5, λ_D = 2, λ_U = 1.5: each example's branch and weight", async () => {
    const got = await lossesOf(PARAMS, 0.125);
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(KTO_HAND[i] as number, 6);
    expect(got.reduce((a, b) => a + b, 0) / 4).toBeCloseTo(0.8739853311991325, 6);
  });

  it("'kto' with z₀ clamped to 0 equals 'apo_zero_unpaired' (1 − σ(β(0 − r)) = σ(βr))", async () => {
    const kto = await lossesOf(PARAMS, 0);
    const apo = await lossesOf({ ...PARAMS, loss_type: 'apo_zero_unpaired' }, 0);
    for (const [i, v] of apo.entries()) {
      expect(v).toBeCloseTo(APO_HAND[i] as number, 6);
      expect(kto[i]).toBeCloseTo(v, 6);
    }
    // apo ignores z₀ altogether
    expect(await lossesOf({ ...PARAMS, loss_type: 'apo_zero_unpaired' }, 5)).toEqual(apo);
  });

  it('step 0 (policy = reference, r = 0, z₀ = 0): 0.5 · λ for every example, whatever β', async () => {
    const r0 = await values(
      tidy(() =>
        ktoLoss(
          { logRatios: tensor(backend, [0, 0, 0, 0], [4]), desirable: tensor(backend, DESIRABLE, [4]), z0: 0 },
          { ...PARAMS, beta: 3 },
        ),
      ),
    );
    expect(r0).toEqual([1, 0.75, 1, 0.75]);
  });

  it('a weight of 0 removes its class from the loss', async () => {
    const got = await lossesOf({ ...PARAMS, undesirable_weight: 0 }, 0.125);
    expect(got[1]).toBe(0);
    expect(got[3]).toBe(0);
    expect(got[0]).toBeCloseTo(KTO_HAND[0] as number, 6);
  });
});

describe('KTO loss: gradients against float64 central differences', () => {
  const inputs = [POLICY, REF, POLICY_KL, REF_KL].map((v) => ({ values: v, shape: [4] }));
  const weight = [1, 1, 1, 1]; // F = Σ_i L_i
  for (const loss_type of ['kto', 'apo_zero_unpaired'] as const) {
    it(`${loss_type}: ∂/∂ log π_θ and ∂/∂ log π_ref match; z₀ is detached (no gradient to the KL pairs)`, async () => {
      const params = { ...PARAMS, loss_type };
      const f = ([policy, ref, policyKl, refKl]: Tensor[]) =>
        ktoLoss(
          {
            logRatios: sub(policy as Tensor, ref as Tensor),
            desirable: tensor((policy as Tensor).backend, DESIRABLE, [4]),
            z0: klReferencePoint(policyKl as Tensor, refKl as Tensor),
          },
          params,
        );
      const xs = inputs.map(({ values: v, shape }) => {
        const t = tensor(backend, v, shape);
        t.requiresGrad = true;
        return t;
      });
      tidy(() => sum(f(xs)).backward());
      const fd = finiteDifferenceGradient(reference, f, inputs, weight, 1e-4);
      for (const i of [0, 1]) {
        const analytic = Array.from(await ((xs[i] as Tensor).grad as Tensor).data());
        const numeric = fd[i] as Float64Array;
        expect(Math.max(...numeric.map(Math.abs)), 'the check can fail: a non-zero gradient').toBeGreaterThan(1e-2);
        for (const [k, g] of analytic.entries()) expect(g).toBeCloseTo(numeric[k] as number, 4);
      }
      // ∂L/∂ log π_θ = −∂L/∂ log π_ref (only the log-ratio enters)
      const gp = Array.from(await ((xs[0] as Tensor).grad as Tensor).data());
      const gr = Array.from(await ((xs[1] as Tensor).grad as Tensor).data());
      for (const [k, g] of gp.entries()) expect(g).toBeCloseTo(-(gr[k] as number), 6);
      for (const x of xs.slice(2)) {
        const g = x.grad ? Array.from(await x.grad.data()) : [0, 0, 0, 0];
        expect(g).toEqual([0, 0, 0, 0]);
      }
      // With 'kto' the loss does depend on the KL pairs (through z₀: ∂z₀/∂policy_KL_j = 1/4): the detach, not
      // the function, is what zeroes their gradient. 'apo_zero_unpaired' does not read them.
      const klDependence = Math.max(...(fd[2] as Float64Array).map(Math.abs));
      if (loss_type === 'kto') expect(klDependence).toBeGreaterThan(1e-3);
      else expect(klDependence).toBe(0);
      // The value on float32 equals float64's.
      const y64 = evaluateFloat64(reference, f, inputs);
      const y = await values(tidy(() => f(inputs.map(({ values: v, shape }) => tensor(backend, v, shape)))));
      for (const [k, v] of y.entries()) expect(v).toBeCloseTo(y64[k] as number, 5);
      for (const x of xs) x.dispose();
    });
  }
});
