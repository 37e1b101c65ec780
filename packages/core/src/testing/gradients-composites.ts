import { describe } from 'vitest';
import { causalMask, scaledDotProductAttention } from '../nn/attention.js';
import { applyRotary, rotaryTables } from '../nn/rotary.js';
import { gelu, logSigmoid, silu } from '../ops/activations.js';
import { tensor } from '../ops/creation.js';
import { crossEntropy, takeAlongLastAxis, tokenLogProbs } from '../ops/losses.js';
import { layerNorm, rmsNorm } from '../ops/normalization.js';
import { logSoftmax, logsumexp, softmax } from '../ops/softmax.js';
import { Random } from '../random/random.js';
import { dropout } from '../random/random-tensors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SuiteContext } from './context.js';
import { type GradCase, itGradients } from './gradient-check.js';

const x0 = (xs: Tensor[]): Tensor => xs[0] as Tensor;
const x1 = (xs: Tensor[]): Tensor => xs[1] as Tensor;
const x2 = (xs: Tensor[]): Tensor => xs[2] as Tensor;
const ints = (like: Tensor, values: number[], shape: number[]): Tensor => tensor(like.backend, values, shape, 'int32');

/** Logits of moderate spread, so that softmax is neither flat nor one-hot. */
const LOGITS = { low: -3, high: 3 } as const;

// Targets for (2, 3, 5) logits: two positions ignored with the default −100, one with a custom index 3.
const TARGETS = [1, -100, 4, 0, 2, -100];
const TARGETS_CUSTOM = [1, 3, 4, 0, 2, 3];

function softmaxCases(): GradCase[] {
  return [
    { name: 'softmax', inputs: [{ shape: [2, 5], init: LOGITS }], f: (xs) => softmax(x0(xs)), fused: true },
    { name: 'softmax (rank 3)', inputs: [{ shape: [2, 2, 3], init: LOGITS }], f: (xs) => softmax(x0(xs)), fused: true },
    { name: 'logSoftmax', inputs: [{ shape: [2, 5], init: LOGITS }], f: (xs) => logSoftmax(x0(xs)), fused: true },
    { name: 'logSoftmax (rank 1)', inputs: [{ shape: [4], init: LOGITS }], f: (xs) => logSoftmax(x0(xs)), fused: true },
    { name: 'logsumexp', inputs: [{ shape: [3, 4], init: LOGITS }], f: (xs) => logsumexp(x0(xs)) },
    { name: 'logsumexp (keepDims)', inputs: [{ shape: [2, 2, 3], init: LOGITS }], f: (xs) => logsumexp(x0(xs), true) },
  ];
}

function activationCases(): GradCase[] {
  return [
    { name: 'logSigmoid', inputs: [{ shape: [8], init: { low: -6, high: 6 } }], f: (xs) => logSigmoid(x0(xs)) },
    { name: 'silu', inputs: [{ shape: [8], init: { low: -4, high: 4 } }], f: (xs) => silu(x0(xs)), fused: true },
    {
      name: 'silu (rank 3, wide range)',
      inputs: [{ shape: [2, 3, 4], init: { low: -12, high: 12 } }],
      f: (xs) => silu(x0(xs)),
      fused: true,
    },
    { name: 'gelu', inputs: [{ shape: [8], init: { low: -4, high: 4 } }], f: (xs) => gelu(x0(xs)), fused: true },
    {
      name: 'gelu (rank 3, wide range)',
      inputs: [{ shape: [2, 3, 4], init: { low: -7, high: 7 } }],
      f: (xs) => gelu(x0(xs)),
      fused: true,
    },
  ];
}

function lossCases(): GradCase[] {
  const logits = [{ shape: [2, 3, 5], init: LOGITS }];
  const targets = (like: Tensor, values = TARGETS): Tensor => ints(like, values, [2, 3]);
  return [
    {
      name: 'crossEntropy (mean, ignore index −100)',
      inputs: logits,
      f: (xs) => crossEntropy(x0(xs), targets(x0(xs))),
      fused: true,
    },
    {
      name: 'crossEntropy (sum)',
      inputs: logits,
      f: (xs) => crossEntropy(x0(xs), targets(x0(xs)), { reduction: 'sum' }),
      fused: true,
    },
    {
      name: 'crossEntropy (none, custom ignore index 3)',
      inputs: logits,
      f: (xs) => crossEntropy(x0(xs), targets(x0(xs), TARGETS_CUSTOM), { ignoreIndex: 3, reduction: 'none' }),
      fused: true,
    },
    {
      name: 'tokenLogProbs (ignore index −100)',
      inputs: logits,
      f: (xs) => tokenLogProbs(x0(xs), targets(x0(xs))),
      fused: true,
    },
    {
      name: 'takeAlongLastAxis',
      inputs: [{ shape: [2, 4] }],
      f: (xs) => takeAlongLastAxis(x0(xs), ints(x0(xs), [3, 0], [2])),
    },
  ];
}

function normalizationCases(): GradCase[] {
  const weight = { shape: [4], init: { low: 0.5, high: 1.5 } } as const;
  return [
    {
      name: 'rmsNorm (x and weight)',
      inputs: [{ shape: [2, 3, 4] }, weight],
      f: (xs) => rmsNorm(x0(xs), x1(xs), 1e-5),
      fused: true,
    },
    {
      name: 'rmsNorm (rank 1, large eps)',
      inputs: [{ shape: [4] }, weight],
      f: (xs) => rmsNorm(x0(xs), x1(xs), 0.5),
      fused: true,
    },
    {
      name: 'layerNorm (x, weight and bias)',
      inputs: [{ shape: [3, 4] }, weight, { shape: [4] }],
      f: (xs) => layerNorm(x0(xs), x1(xs), x2(xs), 1e-5),
      fused: true,
    },
    {
      name: 'layerNorm (rank 3, large eps)',
      inputs: [{ shape: [2, 2, 4] }, weight, { shape: [4] }],
      f: (xs) => layerNorm(x0(xs), x1(xs), x2(xs), 0.5),
      fused: true,
    },
  ];
}

function buildingBlockCases(): GradCase[] {
  return [
    {
      // Two query heads share one key/value head; the causal mask hides later keys.
      name: 'scaledDotProductAttention (grouped-query, causal mask)',
      inputs: [{ shape: [1, 2, 3, 4] }, { shape: [1, 1, 3, 4] }, { shape: [1, 1, 3, 4] }],
      f: (xs) => scaledDotProductAttention(x0(xs), x1(xs), x2(xs), causalMask(x0(xs).backend, 3)),
      fused: true,
    },
    {
      name: 'applyRotary',
      inputs: [{ shape: [1, 2, 3, 4] }],
      f: (xs) => applyRotary(x0(xs), rotaryTables(x0(xs).backend, [0, 1, 2], 1, 3, 4, 10000)),
      fused: true,
    },
    {
      name: 'applyRotary (per-sequence positions, tables shared by heads)',
      inputs: [{ shape: [2, 3, 2, 6] }],
      f: (xs) => applyRotary(x0(xs), rotaryTables(x0(xs).backend, [3, 4, 0, 1], 2, 2, 6, 100)),
      fused: true,
    },
    // The mask comes from a generator seeded inside f, so every evaluation drops the same elements.
    { name: 'dropout (fixed mask)', inputs: [{ shape: [2, 4] }], f: (xs) => dropout(x0(xs), 0.5, new Random(9)) },
  ];
}

/**
 * Finite-difference gradient checks of the composite and fused ops; the fused ones run with fused kernels
 * on and off.
 */
export function describeCompositeGradients(ctx: SuiteContext): void {
  describe('gradients of composite and fused ops (float64 central differences)', () => {
    itGradients(ctx, softmaxCases());
    itGradients(ctx, activationCases());
    itGradients(ctx, lossCases());
    itGradients(ctx, normalizationCases());
    itGradients(ctx, buildingBlockCases());
  });
}
