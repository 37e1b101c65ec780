import { describe } from 'vitest';
import type { BinaryOp, CompareOp, TensorBackend, UnaryOp } from '../backend/backend-spec.js';
import { tensor } from '../ops/creation.js';
import { binary, cast, compare, unary, where } from '../ops/elementwise.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SuiteContext } from './context.js';
import { itValues, type ValueCase } from './value-case.js';

const f32 = (b: TensorBackend, values: number[], shape = [values.length]): Tensor => tensor(b, values, shape);
const i32 = (b: TensorBackend, values: number[], shape = [values.length]): Tensor => tensor(b, values, shape, 'int32');

const PI = Math.PI;

/** Inputs and hand-computed outputs of every unary op (float32). */
const UNARY_TABLE: Record<UnaryOp, { x: number[]; y: number[] }> = {
  neg: { x: [-2, -0.5, 0, 0.5, 2], y: [2, 0.5, 0, -0.5, -2] },
  abs: { x: [-2, -0.5, 0, 0.5, 2], y: [2, 0.5, 0, 0.5, 2] },
  sign: { x: [-3, -0.25, 0, 0.25, 7, Number.NaN], y: [-1, -1, 0, 1, 1, Number.NaN] },
  exp: { x: [0, 1, -1, 2], y: [1, Math.E, 1 / Math.E, Math.E * Math.E] },
  log: { x: [1, Math.E, 0.5, 0, -1], y: [0, 1, -Math.LN2, -Infinity, Number.NaN] },
  sqrt: { x: [0, 1, 4, 2.25, -1], y: [0, 1, 2, 1.5, Number.NaN] },
  rsqrt: { x: [1, 4, 0.25, 0], y: [1, 0.5, 2, Infinity] },
  reciprocal: { x: [1, -2, 0.5, 0], y: [1, -0.5, 2, Infinity] },
  square: { x: [-3, 0.5, 0, 2], y: [9, 0.25, 0, 4] },
  tanh: { x: [0, 1, -1, 20], y: [0, 0.7615941559557649, -0.7615941559557649, 1] },
  sigmoid: { x: [0, 2, -2, 100, -100], y: [0.5, 0.8807970779778823, 0.11920292202211755, 1, 0] },
  relu: { x: [-1, 0, 2, Number.NaN], y: [0, 0, 2, Number.NaN] },
  sin: { x: [0, PI / 2, PI, -PI / 6], y: [0, 1, 0, -0.5] },
  cos: { x: [0, PI / 2, PI, PI / 3], y: [1, 0, -1, 0.5] },
};

const A = [1, -2, 3, 0.5];
const B = [2, 4, -1, 0.5];

/** Operands and hand-computed results of every binary op (float32). */
const BINARY_TABLE: Record<BinaryOp, { a: number[]; b: number[]; y: number[] }> = {
  add: { a: A, b: B, y: [3, 2, 2, 1] },
  sub: { a: A, b: B, y: [-1, -6, 4, 0] },
  mul: { a: A, b: B, y: [2, -8, -3, 0.25] },
  div: { a: [...A, 1, -1, 0], b: [...B, 0, 0, 0], y: [0.5, -0.5, -3, 1, Infinity, -Infinity, Number.NaN] },
  pow: { a: [2, 9, 4, 2, 0, -8], b: [3, 0.5, -1, 0, 2, 1 / 3], y: [8, 3, 0.25, 1, 0, Number.NaN] },
  maximum: { a: A, b: B, y: [2, 4, 3, 0.5] },
  minimum: { a: A, b: B, y: [1, -2, -1, 0.5] },
};

const NAN = Number.NaN;
const CA = [1, 2, 3, NAN, -0];
const CB = [2, 2, 2, NAN, 0];

/** Hand-computed comparisons (any comparison with NaN is false except notEqual; −0 equals 0). */
const COMPARE_TABLE: Record<CompareOp, number[]> = {
  equal: [0, 1, 0, 0, 1],
  notEqual: [1, 0, 1, 1, 0],
  less: [1, 0, 0, 0, 0],
  lessEqual: [1, 1, 0, 0, 1],
  greater: [0, 0, 1, 0, 0],
  greaterEqual: [0, 1, 1, 0, 1],
};

function unaryCases(): ValueCase[] {
  return Object.entries(UNARY_TABLE).map(([op, { x, y }]) => ({
    name: `unary ${op}`,
    run: (b) => unary(op as UnaryOp, f32(b, x)),
    shape: [x.length],
    values: y,
  }));
}

function binaryCases(): ValueCase[] {
  return Object.entries(BINARY_TABLE).map(([op, { a, b: bv, y }]) => ({
    name: `binary ${op}`,
    run: (b) => binary(op as BinaryOp, f32(b, a), f32(b, bv)),
    shape: [a.length],
    values: y,
  }));
}

function compareCases(): ValueCase[] {
  const cases: ValueCase[] = Object.entries(COMPARE_TABLE).map(([op, y]) => ({
    name: `compare ${op} (float32, NaN and −0)`,
    run: (b) => compare(op as CompareOp, f32(b, CA), f32(b, CB)),
    shape: [CA.length],
    values: y,
    dtype: 'int32',
  }));
  cases.push({
    name: 'compare less (int32, broadcast [2,1] × [3])',
    run: (b) => compare('less', i32(b, [1, 5], [2, 1]), i32(b, [0, 2, 6])),
    shape: [2, 3],
    values: [0, 1, 1, 0, 0, 1],
    dtype: 'int32',
  });
  return cases;
}

function whereCastCases(): ValueCase[] {
  return [
    {
      name: 'where (non-zero condition is true)',
      run: (b) => where(i32(b, [1, 0, -2, 0]), f32(b, [1, 2, 3, 4]), f32(b, [10, 20, 30, 40])),
      shape: [4],
      values: [1, 20, 3, 40],
    },
    {
      name: 'where (broadcast cond [2,1], a [3], b rank 0)',
      run: (b) => where(i32(b, [1, 0], [2, 1]), f32(b, [1, 2, 3]), f32(b, [9], [])),
      shape: [2, 3],
      values: [1, 2, 3, 9, 9, 9],
    },
    {
      name: 'where (int32 branches)',
      run: (b) => where(i32(b, [0, 1, 1]), i32(b, [1, 2, 3]), i32(b, [-1, -2, -3])),
      shape: [3],
      values: [-1, 2, 3],
      dtype: 'int32',
    },
    {
      name: 'cast float32 → int32 (truncates toward zero, NaN → 0)',
      run: (b) => cast(f32(b, [1.7, -1.7, 2.5, -0.5, 0, NAN, 123456.9]), 'int32'),
      shape: [7],
      values: [1, -1, 2, 0, 0, 0, 123456],
      dtype: 'int32',
    },
    {
      name: 'cast int32 → float32 (rounds to nearest)',
      run: (b) => cast(i32(b, [16777217, -3, 0, 2147483647]), 'float32'),
      shape: [4],
      values: [16777216, -3, 0, 2147483648],
    },
    {
      name: 'cast float32 → float32 (copy)',
      run: (b) => cast(f32(b, [1.5, -2]), 'float32'),
      shape: [2],
      values: [1.5, -2],
    },
  ];
}

/** Known values of the element-wise primitives: unary, binary, comparisons, where and cast. */
export function describeElementwiseValues(ctx: SuiteContext): void {
  describe('element-wise values', () => {
    itValues(ctx, unaryCases());
    itValues(ctx, binaryCases());
    itValues(ctx, compareCases());
    itValues(ctx, whereCastCases());
  });
}
