import { describe } from 'vitest';
import { BINARY_OPS, type BinaryOp, UNARY_OPS, type UnaryOp } from '../backend/backend-spec.js';
import { tensor } from '../ops/creation.js';
import { binary, cast, mul, sign, unary, where } from '../ops/elementwise.js';
import { gather, scatterAdd } from '../ops/indexing.js';
import { matmul } from '../ops/matmul.js';
import { broadcastTo, concat, expandDims, pad, permute, reshape, slice, squeeze, transpose } from '../ops/movement.js';
import { max, mean, min, sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SuiteContext } from './context.js';
import { type GradCase, type InputInit, itGradients } from './gradient-check.js';

const x0 = (xs: Tensor[]): Tensor => xs[0] as Tensor;
const x1 = (xs: Tensor[]): Tensor => xs[1] as Tensor;
const ints = (like: Tensor, values: number[], shape = [values.length]): Tensor =>
  tensor(like.backend, values, shape, 'int32');

/** Inputs that keep each unary op away from its kinks and poles. */
const UNARY_INIT: Partial<Record<UnaryOp, InputInit>> = {
  abs: 'awayFromZero',
  relu: 'awayFromZero',
  log: 'positive',
  sqrt: 'positive',
  rsqrt: 'positive',
  reciprocal: 'awayFromZero',
};

function unaryCases(): GradCase[] {
  const cases: GradCase[] = UNARY_OPS.filter((op) => op !== 'sign').map((op) => ({
    name: op,
    inputs: [{ shape: [2, 3], init: UNARY_INIT[op] ?? 'normal' }],
    f: (xs) => unary(op, x0(xs)),
  }));
  cases.push(
    // sign has a zero gradient: sign(x)·x = |x| only differentiates through the second factor.
    {
      name: 'sign (zero gradient, via sign(x)·x)',
      inputs: [{ shape: [5], init: 'awayFromZero' }],
      f: (xs) => mul(sign(x0(xs)), x0(xs)),
    },
    { name: 'cast (float32 → float32)', inputs: [{ shape: [4] }], f: (xs) => cast(x0(xs), 'float32') },
  );
  return cases;
}

/** Inputs per binary op: [left, right, number used as a scalar operand]. */
const BINARY_INIT: Record<BinaryOp, [InputInit, InputInit, number]> = {
  add: ['normal', 'normal', 1.5],
  sub: ['normal', 'normal', 1.5],
  mul: ['normal', 'normal', 1.5],
  div: ['normal', 'awayFromZero', 1.5],
  pow: ['positive', { low: -2, high: 2 }, 1.7],
  maximum: [{ distinct: 0 }, { distinct: 0.1 }, 0.2],
  minimum: [{ distinct: 0 }, { distinct: 0.1 }, 0.2],
};

function binaryCases(): GradCase[] {
  const cases: GradCase[] = [];
  for (const op of BINARY_OPS) {
    const [left, right, c] = BINARY_INIT[op];
    const pairs: [string, number[], number[]][] = [
      ['same shape', [2, 3], [2, 3]],
      ['broadcast [2,3] × [3]', [2, 3], [3]],
      ['broadcast [2,1] × [1,3]', [2, 1], [1, 3]],
      ['broadcast [3] × [2,2,3]', [3], [2, 2, 3]],
      ['rank 0 × [2,3]', [], [2, 3]],
    ];
    for (const [label, sa, sb] of pairs) {
      cases.push({
        name: `${op} (${label})`,
        inputs: [
          { shape: sa, init: left },
          { shape: sb, init: right },
        ],
        f: (xs) => binary(op, x0(xs), x1(xs)),
      });
    }
    // A number operand: on the right it takes the left input's role and vice versa.
    const rightNumber = op === 'pow' ? 3 : c;
    cases.push(
      {
        name: `${op} (tensor, number ${rightNumber})`,
        inputs: [{ shape: [2, 3], init: left }],
        f: (xs) => binary(op, x0(xs), rightNumber),
      },
      {
        name: `${op} (number ${c}, tensor)`,
        inputs: [{ shape: [2, 3], init: right }],
        f: (xs) => binary(op, c, x0(xs)),
      },
    );
  }
  cases.push({ name: 'mul (same tensor twice: x·x)', inputs: [{ shape: [4] }], f: (xs) => mul(x0(xs), x0(xs)) });
  return cases;
}

function whereCases(): GradCase[] {
  const cond = (like: Tensor): Tensor => ints(like, [1, 0, 0, 1, 1, 0], [2, 3]);
  return [
    {
      name: 'where (a [2,3], b broadcast [3])',
      inputs: [{ shape: [2, 3] }, { shape: [3] }],
      f: (xs) => where(cond(x0(xs)), x0(xs), x1(xs)),
    },
    { name: 'where (tensor, number)', inputs: [{ shape: [2, 3] }], f: (xs) => where(cond(x0(xs)), x0(xs), 0.5) },
    { name: 'where (number, tensor)', inputs: [{ shape: [2, 3] }], f: (xs) => where(cond(x0(xs)), -0.5, x0(xs)) },
  ];
}

function reductionCases(): GradCase[] {
  const distinct: InputInit = { distinct: 0.05 };
  return [
    { name: 'sum (axis -1)', inputs: [{ shape: [2, 3] }], f: (xs) => sum(x0(xs), -1) },
    { name: 'sum (axes [0,2], keepDims)', inputs: [{ shape: [2, 3, 2] }], f: (xs) => sum(x0(xs), [0, 2], true) },
    { name: 'sum (all axes)', inputs: [{ shape: [2, 3] }], f: (xs) => sum(x0(xs)) },
    { name: 'max (axis -1)', inputs: [{ shape: [3, 4], init: distinct }], f: (xs) => max(x0(xs), -1) },
    {
      name: 'max (axes [0,2], keepDims)',
      inputs: [{ shape: [2, 2, 3], init: distinct }],
      f: (xs) => max(x0(xs), [0, 2], true),
    },
    { name: 'max (all axes)', inputs: [{ shape: [2, 3], init: distinct }], f: (xs) => max(x0(xs)) },
    { name: 'min (axis 0)', inputs: [{ shape: [3, 4], init: distinct }], f: (xs) => min(x0(xs), 0) },
    {
      name: 'min (axes [1,2], keepDims)',
      inputs: [{ shape: [2, 2, 3], init: distinct }],
      f: (xs) => min(x0(xs), [1, 2], true),
    },
    { name: 'min (all axes)', inputs: [{ shape: [2, 3], init: distinct }], f: (xs) => min(x0(xs)) },
    { name: 'mean (axis -1)', inputs: [{ shape: [2, 3] }], f: (xs) => mean(x0(xs), -1) },
    { name: 'mean (axes [0,1], keepDims)', inputs: [{ shape: [2, 3, 2] }], f: (xs) => mean(x0(xs), [0, 1], true) },
    { name: 'mean (all axes)', inputs: [{ shape: [4] }], f: (xs) => mean(x0(xs)) },
  ];
}

function matmulCases(): GradCase[] {
  // op(A) is (2, 3), op(B) is (3, 4).
  const combos: [string, boolean, boolean, number[], number[]][] = [
    ['', false, false, [2, 3], [3, 4]],
    ['transposeA', true, false, [3, 2], [3, 4]],
    ['transposeB', false, true, [2, 3], [4, 3]],
    ['transposeA, transposeB', true, true, [3, 2], [4, 3]],
  ];
  const cases: GradCase[] = combos.map(([label, ta, tb, sa, sb]) => ({
    name: `matmul${label ? ` (${label})` : ''}`,
    inputs: [{ shape: sa }, { shape: sb }],
    f: (xs) => matmul(x0(xs), x1(xs), ta, tb),
  }));
  cases.push(
    {
      name: 'matmul (batch [2,1] × [3] broadcast)',
      inputs: [{ shape: [2, 1, 2, 3] }, { shape: [3, 3, 2] }],
      f: (xs) => matmul(x0(xs), x1(xs)),
    },
    {
      name: 'matmul (unbatched × batch [2], transposeA, transposeB)',
      inputs: [{ shape: [3, 2] }, { shape: [2, 4, 3] }],
      f: (xs) => matmul(x0(xs), x1(xs), true, true),
    },
  );
  return cases;
}

function movementCases(): GradCase[] {
  return [
    { name: 'reshape', inputs: [{ shape: [2, 3, 2] }], f: (xs) => reshape(x0(xs), [3, -1]) },
    { name: 'expandDims and squeeze', inputs: [{ shape: [2, 3] }], f: (xs) => squeeze(expandDims(x0(xs), 1), [1]) },
    { name: 'permute', inputs: [{ shape: [2, 3, 4] }], f: (xs) => permute(x0(xs), [2, 0, 1]) },
    { name: 'transpose', inputs: [{ shape: [2, 2, 3] }], f: (xs) => transpose(x0(xs)) },
    { name: 'slice', inputs: [{ shape: [3, 4] }], f: (xs) => slice(x0(xs), [1, 1], [2, -1]) },
    {
      name: 'concat (three inputs, axis 1)',
      inputs: [{ shape: [2, 1] }, { shape: [2, 3] }, { shape: [2, 2] }],
      f: (xs) => concat(xs, 1),
    },
    {
      name: 'pad',
      inputs: [{ shape: [2, 3] }],
      f: (xs) =>
        pad(
          x0(xs),
          [
            [1, 0],
            [2, 1],
          ],
          0.5,
        ),
    },
    { name: 'broadcastTo ([3] → [2,3])', inputs: [{ shape: [3] }], f: (xs) => broadcastTo(x0(xs), [2, 3]) },
    { name: 'broadcastTo ([2,1] → [3,2,4])', inputs: [{ shape: [2, 1] }], f: (xs) => broadcastTo(x0(xs), [3, 2, 4]) },
  ];
}

function indexingCases(): GradCase[] {
  return [
    {
      name: 'gather (axis 0, repeated indices)',
      inputs: [{ shape: [4, 3] }],
      f: (xs) => gather(x0(xs), ints(x0(xs), [3, 1, 3, 0, 1]), 0),
    },
    {
      name: 'gather (axis 1, 2-D repeated indices)',
      inputs: [{ shape: [2, 3, 2] }],
      f: (xs) => gather(x0(xs), ints(x0(xs), [2, 0, 2, 2], [2, 2]), 1),
    },
    {
      name: 'scatterAdd (axis 0, repeated indices)',
      inputs: [{ shape: [5, 2] }],
      f: (xs) => scatterAdd(x0(xs), ints(x0(xs), [0, 2, 0, 0, 1]), 0, 3),
    },
    {
      name: 'scatterAdd (axis 1)',
      inputs: [{ shape: [2, 4] }],
      f: (xs) => scatterAdd(x0(xs), ints(x0(xs), [1, 1, 0, 2]), 1, 3),
    },
  ];
}

/** Finite-difference gradient checks of every differentiable primitive. */
export function describePrimitiveGradients(ctx: SuiteContext): void {
  describe('gradients of primitives (float64 central differences)', () => {
    itGradients(ctx, unaryCases());
    itGradients(ctx, binaryCases());
    itGradients(ctx, whereCases());
    itGradients(ctx, reductionCases());
    itGradients(ctx, matmulCases());
    itGradients(ctx, movementCases());
    itGradients(ctx, indexingCases());
  });
}
