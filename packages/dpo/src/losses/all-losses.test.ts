import { createJsBackend } from '@rlhf/backend-js';
import { mul, sum, type Tensor, tensor, tidy } from '@rlhf/core';
import { evaluateFloat64, finiteDifferenceGradient } from '@rlhf/core/testing';
import { describe, expect, it } from 'vitest';
import type { DpoLossBatch, DpoLossParams, DpoLossState } from './dpo-loss.js';
import { dpoLossTerms, weightedDpoLoss } from './loss-selection.js';
import { DPO_LOSS_TYPES, DPO_LOSSES, type DpoLossType } from './registry.js';
import { RewardRunningMean } from './reward-running-mean.js';
import { sortAscending } from './sort-ascending.js';

const backend = createJsBackend();
const reference = createJsBackend({ precision: 'float64' });

// A tiny batch of B = 3 pairs: summed log-probs and response lengths.
const PC = [-10, -4.2, -7]; // log π_θ(y_c)
const PR = [-12, -3.1, -9.5]; // log π_θ(y_r)
const RC = [-11, -4.0, -6.2]; // log π_ref(y_c)
const RR = [-11.5, -2.5, -8.1]; // log π_ref(y_r)
const LC = [4, 2, 5]; // |y_c|
const LR = [6, 3, 2]; // |y_r|
// → c_c = [1, −0.2, −0.8], c_r = [−0.5, −0.6, −1.4], Δ = [1.5, 0.4, 0.6]
const PARAMS: DpoLossParams = { beta: 0.5, label_smoothing: 0.1, discopop_tau: 0.05 };

function batchOf(b: typeof backend, [pc, pr, rc, rr]: Tensor[], lc = LC, lr = LR): DpoLossBatch {
  return {
    policyChosen: pc as Tensor,
    policyRejected: pr as Tensor,
    refChosen: rc as Tensor,
    refRejected: rr as Tensor,
    chosenLengths: tensor(b, lc, [lc.length]),
    rejectedLengths: tensor(b, lr, [lr.length]),
  };
}

async function perPair(
  type: DpoLossType,
  logps: number[][],
  params: DpoLossParams,
  state: DpoLossState | null = null,
): Promise<number[]> {
  const out = tidy(() =>
    DPO_LOSSES[type].perPair(
      batchOf(
        backend,
        logps.map((v) => tensor(backend, v, [v.length])),
        LC.slice(0, logps[0]?.length),
        LR.slice(0, logps[0]?.length),
      ),
      params,
      state,
    ),
  );
  const values = Array.from(await out.data());
  out.dispose();
  return values;
}

// Written out by hand from the formulas with ε = 0.1, β = 0.5, τ = 0.05, with plain float64 numbers
// (σ(x) = 1/(1+e^−x), log σ(x) = −log1p(e^−x)); e.g. apo_zero pair 1: 1 − σ(0.5) + σ(−0.25) = 0.8153641679.
const HAND: Record<Exclude<DpoLossType, 'sigmoid' | 'ipo' | 'hinge' | 'robust' | 'bco_pair'>, number[]> = {
  // σ(βΔ)(log σ(βΔ) − log 0.9) + σ(−βΔ)(log σ(−βΔ) − log 0.1)
  exo_pair: [0.1827899810292743, 0.40630425072495624, 0.35838338736356457],
  // −log σ(βc_c) − ½ log σ(−βc_c) − ½ log σ(−βc_r)
  nca_pair: [1.2490851862095818, 1.3437726123446199, 1.3711159030426576],
  // (c_c − 1)² + (c_r + 1)²: (0)² + (0.5)², (−1.2)² + 0.4², (−1.8)² + (−0.4)²
  sppo_hard: [0.25, 1.6, 3.4],
  // sorted log-odds [−1.1, 2, 2.5] − sorted ref log-odds [−1.5, 0.5, 1.9] = δ [0.4, 1.5, 0.6]; cDPO(δ)
  aot: [0.6181388693815919, 0.46187100611489995, 0.584355244468527],
  // sort(c_c) [−0.8, −0.2, 1] − sort(c_r) [−1.4, −0.6, −0.5] = δ [0.6, 0.4, 1.5]; cDPO(δ)
  aot_unpaired: [0.584355244468527, 0.6181388693815919, 0.46187100611489995],
  // 1 − σ(βc_c) + σ(βc_r)
  apo_zero: [0.8153641679123473, 0.9505366706672811, 0.9304998879442858],
  // σ(βc_c) + 1 − σ(βΔ)
  apo_down: [0.9432806320264615, 0.9251868152085821, 0.826869823075889],
  // z = βΔ: (1 − σ(z/τ))(−log σ(z)) + σ(z/τ) e^−z
  discopop: [0.4723665265877366, 0.8147631411418854, 0.740357168008878],
  // −(−10 − 4.2 − 7) / (4 + 2 + 5) = 21.2 / 11, for every pair
  sft: [1.9272727272727272, 1.9272727272727272, 1.9272727272727272],
  // −log σ(β(c_c/|y_c| − c_r/|y_r|)): β·[1/4 + 0.5/6, −0.1 + 0.2, −0.16 + 0.7]
  sigmoid_norm: [0.6132820580996374, 0.6684596480132863, 0.5672321351223192],
};

describe('the 15 DPO losses: hand-computed values on a tiny batch (Δ ≠ 0)', () => {
  it("the registry holds exactly TRL 1.13's 15 loss_type values", () => {
    expect([...DPO_LOSS_TYPES].sort()).toEqual(
      [
        'sigmoid',
        'hinge',
        'ipo',
        'exo_pair',
        'nca_pair',
        'robust',
        'bco_pair',
        'sppo_hard',
        'aot',
        'aot_unpaired',
        'apo_zero',
        'apo_down',
        'discopop',
        'sft',
        'sigmoid_norm',
      ].sort(),
    );
    for (const t of DPO_LOSS_TYPES) {
      expect(DPO_LOSSES[t].name).toBe(t);
      expect(DPO_LOSSES[t].trl).toMatch(/^TRL \d/);
      expect(DPO_LOSSES[t].reference).toMatch(/20\d\d/);
    }
  });

  for (const [type, expected] of Object.entries(HAND)) {
    it(`${type}: ${expected.map((v) => v.toFixed(6)).join(', ')}`, async () => {
      const values = await perPair(type as DpoLossType, [PC, PR, RC, RR], PARAMS);
      expect(values).toHaveLength(3);
      for (const [i, v] of values.entries()) expect(v).toBeCloseTo(expected[i] as number, 5);
    });
  }

  it('bco_pair: δ is the running mean of the micro-batches’ mean rewards, updated before it is used', async () => {
    const state = new RewardRunningMean(backend);
    // batch 1: mean(β·[c_c; c_r]) = 0.5·(1 − 0.2 − 0.8 − 0.5 − 0.6 − 1.4)/6 = −0.2083333 = δ₁
    const first = await perPair('bco_pair', [PC, PR, RC, RR], PARAMS, state);
    // −log σ(βc_c − δ) − log σ(−(βc_r − δ)), by hand with δ₁
    const hand1 = [1.0729594835616474, 1.288810637877977, 1.2707968378878736];
    for (const [i, v] of first.entries()) expect(v).toBeCloseTo(hand1[i] as number, 5);
    expect((await state.save()).mean).toBeCloseTo(-0.2083333333, 6);
    // batch 2: policy = reference + 2 on every response → mean reward β·2 = 1; δ₂ = (δ₁ + 1)/2 = 0.3958333
    const plus2 = (v: number[]) => v.map((x) => x + 2);
    const second = await perPair('bco_pair', [plus2(RC), plus2(RR), RC, RR], PARAMS, state);
    const delta2 = (-0.2083333333333333 + 1) / 2;
    const hand2 = -Math.log(1 / (1 + Math.exp(-(1 - delta2)))) - Math.log(1 / (1 + Math.exp(1 - delta2)));
    for (const v of second) expect(v).toBeCloseTo(hand2, 5); // 1.3180…: every pair has c_c = c_r = 2
    expect(await state.save()).toEqual({ mean: expect.closeTo(delta2, 6), count: 2 });
    // saved and restored: the same float32 δ, so the next micro-batch is bit-identical
    const copy = new RewardRunningMean(backend);
    copy.restore(await state.save());
    const a = await perPair('bco_pair', [PC, PR, RC, RR], PARAMS, state);
    const b = await perPair('bco_pair', [PC, PR, RC, RR], PARAMS, copy);
    expect(b).toEqual(a);
    state.dispose();
    copy.dispose();
  });

  it('aot with one pair is sigmoid; sortAscending orders values and keeps ties', async () => {
    const one = [[-3], [-5], [-4], [-4.5]];
    expect((await perPair('aot', one, PARAMS))[0]).toBeCloseTo((await perPair('sigmoid', one, PARAMS))[0] as number, 6);
    const sorted = tidy(() => sortAscending(tensor(backend, [3, -1, 2, -1, 7], [5])));
    expect(Array.from(await sorted.data())).toEqual([-1, -1, 2, 3, 7]);
    sorted.dispose();
  });

  it('a loss_type list is the weighted sum of its losses (MPO: sigmoid 0.8, bco_pair 0.2, sft 1)', async () => {
    const terms = dpoLossTerms({
      loss_type: ['sigmoid', 'bco_pair', 'sft'],
      loss_weights: [0.8, 0.2, 1],
      label_smoothing: 0,
    });
    const params = { beta: 0.5, label_smoothing: 0 };
    const out = tidy(() =>
      weightedDpoLoss(
        terms,
        batchOf(
          backend,
          [PC, PR, RC, RR].map((v) => tensor(backend, v, [3])),
        ),
        params,
        [null, new RewardRunningMean(backend), null],
      ),
    );
    const values = Array.from(await out.data());
    out.dispose();
    // sigmoid: −log σ(βΔ) = −log σ([0.75, 0.2, 0.3]); bco_pair as above (fresh δ = −0.2083); sft = 21.2/11
    const sig = [0.75, 0.2, 0.3].map((z) => Math.log1p(Math.exp(-z)));
    const bco = [1.0729594835616474, 1.288810637877977, 1.2707968378878736];
    for (const [i, v] of values.entries())
      expect(v).toBeCloseTo(0.8 * (sig[i] as number) + 0.2 * (bco[i] as number) + 21.2 / 11, 5);
  });
});

describe('the 15 DPO losses at Δ = 0 (policy = reference): the step-0 constants', () => {
  // Two pairs with policy = reference; ε = 1e-3 (EXO's value), β = 0.1, τ = 0.05.
  const equal = [
    [-7, -3],
    [-9, -1],
    [-7, -3],
    [-9, -1],
  ];
  const params: DpoLossParams = { beta: 0.1, label_smoothing: 1e-3, discopop_tau: 0.05 };
  // By hand: ln 2 = 0.693147…; EXO −ln 2 − ½ ln(ε(1−ε)) = 2.761230709; DiscoPOP ½ ln 2 + ½ = 0.846573590;
  // 2 ln 2 = 1.386294361; IPO 1/(4β²) = 25; SPPO 2·(1/(2β))² = 50; hinge, APO 1.
  const constants: Record<DpoLossType, number | null> = {
    sigmoid: Math.LN2,
    hinge: 1,
    ipo: 25,
    exo_pair: 2.761230709097915,
    nca_pair: 2 * Math.LN2,
    robust: Math.LN2,
    bco_pair: 2 * Math.LN2,
    sppo_hard: 50,
    aot: Math.LN2,
    aot_unpaired: Math.LN2,
    apo_zero: 1,
    apo_down: 1,
    discopop: 0.8465735902799727,
    sft: null, // the model's NLL per chosen token: (7 + 3)/(|y_c| 4 + 2) here, not a constant
    sigmoid_norm: Math.LN2,
  };
  for (const type of DPO_LOSS_TYPES) {
    const value = constants[type];
    it(`${type}: ${value === null ? 'not a constant' : value.toFixed(9)}`, async () => {
      const definition = DPO_LOSSES[type];
      if (value === null) {
        expect(definition.stepZero).toBeNull();
        const [a, b] = await perPair(type, equal, params);
        expect(a).toBeCloseTo(10 / 6, 6);
        expect(b).toBeCloseTo(10 / 6, 6);
        return;
      }
      expect(definition.stepZero?.(params)).toBeCloseTo(value, 12);
      const state = definition.createState?.(backend) ?? null;
      for (const v of await perPair(type, equal, params, state)) expect(v).toBeCloseTo(value, 5);
      state?.dispose();
    });
  }
});

describe('the 15 DPO losses: gradients w.r.t. the policy log-probs against float64 central differences', () => {
  // Away from ties (the sorting losses) and from hinge's kink; float32 autodiff vs float64 central
  // differences with h = 1e-4: |analytic − numeric| < 5e-5 (toBeCloseTo(·, 4)).
  const inputs = [PC, PR, RC, RR].map((values) => ({ values, shape: [3] }));
  const weight = [0.7, -1.3, 0.4];
  const cases: { type: DpoLossType; params: DpoLossParams }[] = [
    ...DPO_LOSS_TYPES.map((type) => ({ type, params: PARAMS })),
    { type: 'discopop', params: { beta: 0.5, label_smoothing: 0, discopop_tau: 0.5 } },
    { type: 'exo_pair', params: { beta: 0.5, label_smoothing: 1e-3 } },
  ];
  for (const { type, params } of cases) {
    it(`${type} (β = ${params.beta}, ε = ${params.label_smoothing}${type === 'discopop' ? `, τ = ${params.discopop_tau}` : ''})`, async () => {
      // bco_pair's δ is off the tape (TRL detaches it): hold it fixed with a long history (count 1e12).
      const f = (xs: Tensor[]) => {
        const x0 = xs[0] as Tensor;
        let state: DpoLossState | null = null;
        if (type === 'bco_pair') {
          state = new RewardRunningMean(x0.backend);
          state.restore({ mean: 0.3, count: 1e12 });
        }
        return DPO_LOSSES[type].perPair(batchOf(x0.backend as typeof backend, xs), params, state);
      };
      const xs = inputs.map(({ values, shape }) => {
        const t = tensor(backend, values, shape);
        t.requiresGrad = true;
        return t;
      });
      tidy(() => sum(mul(f(xs), tensor(backend, weight, [3]))).backward());
      const fd = finiteDifferenceGradient(reference, f, inputs, weight, 1e-4);
      // The policy log-probs (inputs 0 and 1) get gradients; the reference's (2, 3) are constants in
      // training but still inputs of the formula, so they are checked too.
      for (const [i, x] of xs.entries()) {
        // no gradient at all (sft ignores the rejected responses and the reference) must mean a zero derivative
        const analytic = x.grad ? Array.from(await x.grad.data()) : [0, 0, 0];
        const numeric = fd[i] as Float64Array;
        if (i === 0)
          expect(Math.max(...numeric.map(Math.abs)), 'the check can fail: a non-zero gradient').toBeGreaterThan(1e-3);
        for (const [k, g] of analytic.entries()) expect(g).toBeCloseTo(numeric[k] as number, 4);
        x.dispose();
      }
      const y = tidy(() => f(inputs.map(({ values, shape }) => tensor(backend, values, shape))));
      const y64 = evaluateFloat64(reference, f, inputs);
      for (const [k, v] of Array.from(await y.data()).entries()) expect(v).toBeCloseTo(y64[k] as number, 4);
      y.dispose();
    });
  }
});
