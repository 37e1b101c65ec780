import { createJsBackend } from '@rlhf/backend-js';
import { tensor } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import type { GrpoLossType } from './online-config.js';
import { clippedSurrogate, k3Kl, rowsTensor, sequenceClippedSurrogate, tokenWeights } from './surrogate-loss.js';

const backend = createJsBackend();

// A tiny batch written out: two completions of one prompt, T = 3; the first has 2 tokens, the second 3.
const LOGPS = [
  [-1, -2, 0],
  [-0.5, -1, -1.5],
];
const OLD = [
  [-1.1, -1.8, 0],
  [-0.5, -1.5, -1.0],
];
const REF = [
  [-1.2, -2.0, 0],
  [-0.6, -1.0, -1.4],
];
const MASK = [
  [1, 1, 0],
  [1, 1, 1],
];
const ADV = [1, -1];
const PARAMS = { epsilon: 0.2, epsilonHigh: 0.28, beta: 0.1 };

// By hand: r = exp(logp − old) = [[1.105171, 0.818731, ·], [1, 1.648721, 0.606531]];
// clip to [0.8, 1.28] → [[1.105171, 0.818731], [1, 1.28, 0.8]];
// −min(r·A, clip·A) = [[−1.105171, −0.818731], [1, 1.648721, 0.8]]  (row 2 has A = −1: the larger of r, clip wins);
// k3 = e^(ref−logp) − (ref−logp) − 1 = [[0.018731, 0], [0.004837, 0, 0.005171]];
// ℓ = surrogate + 0.1·k3 = [[−1.1032979, −0.818731], [1.0004837, 1.648721, 0.8005171]].
const ROW_SUMS = [-1.9220289, 3.4497218];
const TOKENS = 5;
const EXPECTED: Record<GrpoLossType, number> = {
  grpo: (ROW_SUMS[0] / 2 + ROW_SUMS[1] / 3) / 2, // 0.0944464: per-sequence means, then their mean
  bnpo: (ROW_SUMS[0] + ROW_SUMS[1]) / TOKENS, // 0.3055386: ÷ active tokens of the (one) micro-batch
  dapo: (ROW_SUMS[0] + ROW_SUMS[1]) / TOKENS, // 0.3055386: ÷ active tokens of the whole step
  dr_grpo: (ROW_SUMS[0] + ROW_SUMS[1]) / (2 * 4), // 0.1909616: ÷ (N · max_completion_length = 2 · 4)
};

function lossOf(rows: number[], lossType: GrpoLossType, microBatches: number): number {
  const pick = <T>(xs: T[]) => rows.map((r) => xs[r] as T);
  const mask = pick(MASK);
  const out = clippedSurrogate(
    {
      logps: rowsTensor(backend, pick(LOGPS)),
      oldLogps: rowsTensor(backend, pick(OLD)),
      refLogps: rowsTensor(backend, pick(REF)),
      advantages: tensor(backend, pick(ADV), [rows.length]),
      mask: rowsTensor(backend, mask),
      weights: tensor(
        backend,
        tokenWeights(mask, lossType, { sequences: 2, tokens: TOKENS, microBatches, maxCompletionLength: 4 }),
        [rows.length, 3],
      ),
    },
    PARAMS,
  );
  return out.loss.dataSync()[0] as number;
}

describe('GRPO loss against hand-computed values (TRL v1.0 loss_type aggregations)', () => {
  for (const lossType of ['grpo', 'bnpo', 'dapo', 'dr_grpo'] as const) {
    it(`${lossType}: one micro-batch gives the hand-computed loss`, () => {
      expect(lossOf([0, 1], lossType, 1)).toBeCloseTo(EXPECTED[lossType], 5);
    });
  }

  it('the numbers written out above are what they claim', () => {
    expect(EXPECTED.grpo).toBeCloseTo(0.0944464, 6);
    expect(EXPECTED.dapo).toBeCloseTo(0.3055386, 6);
    expect(EXPECTED.dr_grpo).toBeCloseTo(0.1909616, 6);
  });

  it('two micro-batches add up to the one-batch loss for grpo, dapo and dr_grpo; bnpo averages micro-batch means', () => {
    for (const lossType of ['grpo', 'dapo', 'dr_grpo'] as const)
      expect(lossOf([0], lossType, 2) + lossOf([1], lossType, 2)).toBeCloseTo(EXPECTED[lossType], 5);
    // bnpo normalises by each micro-batch's own tokens: (−1.9220289/2 + 3.4497218/3) / 2
    expect(lossOf([0], 'bnpo', 2) + lossOf([1], 'bnpo', 2)).toBeCloseTo((ROW_SUMS[0] / 2 + ROW_SUMS[1] / 3) / 2, 5);
  });

  it('the k3 KL term: e^(ref−logp) − (ref−logp) − 1 per token', () => {
    const kl = k3Kl(rowsTensor(backend, LOGPS), rowsTensor(backend, REF)).dataSync();
    const expected = [0.0187308, 0, 0, 0.0048374, 0, 0.0051709];
    expected.forEach((v, i) => {
      expect(kl[i]).toBeCloseTo(v, 6);
    });
    // β = 0 leaves the KL out: loss = Σ surrogate / tokens
    const out = clippedSurrogate(
      {
        logps: rowsTensor(backend, LOGPS),
        oldLogps: rowsTensor(backend, OLD),
        refLogps: rowsTensor(backend, REF),
        advantages: tensor(backend, ADV, [2]),
        mask: rowsTensor(backend, MASK),
        weights: tensor(
          backend,
          tokenWeights(MASK, 'dapo', { sequences: 2, tokens: 5, microBatches: 1, maxCompletionLength: 4 }),
          [2, 3],
        ),
      },
      { ...PARAMS, beta: 0 },
    );
    expect(out.loss.dataSync()[0]).toBeCloseTo((-1.105171 - 0.818731 + 1 + 1.648721 + 0.8) / 5, 5);
    expect(out.klSum.dataSync()[0]).toBe(0);
  });

  it('clipping: ratios outside [1 − ε, 1 + ε_high] are clipped where it lowers the objective, and counted', () => {
    const out = clippedSurrogate(
      {
        logps: rowsTensor(backend, LOGPS),
        oldLogps: rowsTensor(backend, OLD),
        refLogps: null,
        advantages: tensor(backend, ADV, [2]),
        mask: rowsTensor(backend, MASK),
        weights: rowsTensor(backend, MASK), // plain sum over tokens
      },
      { ...PARAMS, beta: 0 },
    );
    // row 2, token 3: r = 0.606531 < 0.8 with A < 0 → clipped to 0.8 (low); row 2 token 2: r = 1.648721 > 1.28
    // but A < 0, so min picks the unclipped r (no high clip counted)
    expect(out.lowClipped.dataSync()[0]).toBe(1);
    expect(out.highClipped.dataSync()[0]).toBe(0);
    // A > 0 with r above 1 + ε_high: clipped to 1.28 and counted high
    const high = clippedSurrogate(
      {
        logps: rowsTensor(backend, [[0]]),
        oldLogps: rowsTensor(backend, [[-0.5]]), // r = e^0.5 = 1.648721
        refLogps: null,
        advantages: tensor(backend, [2], [1]),
        mask: rowsTensor(backend, [[1]]),
        weights: rowsTensor(backend, [[1]]),
      },
      { ...PARAMS, beta: 0 },
    );
    expect(high.loss.dataSync()[0]).toBeCloseTo(-1.28 * 2, 6);
    expect(high.highClipped.dataSync()[0]).toBe(1);
    // and no gradient flows through a clipped token
    const logps = rowsTensor(backend, [[0]]);
    logps.requiresGrad = true;
    const g = clippedSurrogate(
      {
        logps,
        oldLogps: rowsTensor(backend, [[-0.5]]),
        refLogps: null,
        advantages: tensor(backend, [2], [1]),
        mask: rowsTensor(backend, [[1]]),
        weights: rowsTensor(backend, [[1]]),
      },
      { ...PARAMS, beta: 0 },
    );
    g.loss.backward();
    expect(Math.abs(logps.grad?.dataSync()[0] as number)).toBe(0);
  });

  it("RLOO's sequence-level surrogate: r_i = exp(Σ_t (logp − old)), −min(r·A, clip(r)·A), mean over completions", () => {
    const out = sequenceClippedSurrogate(
      rowsTensor(backend, LOGPS),
      rowsTensor(backend, OLD),
      tensor(backend, ADV, [2]),
      rowsTensor(backend, MASK),
      2,
      { ...PARAMS, beta: 0 },
    );
    // r = [e^(0.1 − 0.2), e^(0 + 0.5 − 0.5)] = [0.904837, 1]; ℓ = [−0.904837, 1]; mean = 0.0475813
    expect(out.loss.dataSync()[0]).toBeCloseTo(0.0475813, 6);
  });
});
