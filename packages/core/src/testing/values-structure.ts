import { describe } from 'vitest';
import type { ReduceOp, TensorBackend } from '../backend/backend-spec.js';
import { tensor } from '../ops/creation.js';
import { gather, scatterAdd } from '../ops/indexing.js';
import { matmul } from '../ops/matmul.js';
import { broadcastTo, concat, pad, permute, reshape, slice } from '../ops/movement.js';
import { argMax, reduce } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { iota, type SuiteContext } from './context.js';
import { itValues, type ValueCase } from './value-case.js';

const f32 = (b: TensorBackend, values: number[], shape = [values.length]): Tensor => tensor(b, values, shape);
const i32 = (b: TensorBackend, values: number[], shape = [values.length]): Tensor => tensor(b, values, shape, 'int32');

// x2 = [[3, -1, 2], [0, 5, -4]]; x3[i][j][k] = 1 + 6i + 3j + k, shape [2, 2, 3].
const X2 = [3, -1, 2, 0, 5, -4];
const X3 = iota(12, 1);

function reduceCase(
  op: ReduceOp,
  x: number[],
  xShape: number[],
  axes: number | number[] | undefined,
  keepDims: boolean,
  shape: number[],
  values: number[],
): ValueCase {
  const axesText = axes === undefined ? 'all axes' : `axes ${JSON.stringify(axes)}`;
  return {
    name: `reduce ${op} over ${axesText}${keepDims ? ', keepDims' : ''} of [${xShape.join(', ')}]`,
    run: (b) => reduce(op, f32(b, x, xShape), axes, keepDims),
    shape,
    values,
  };
}

function reductionCases(): ValueCase[] {
  return [
    reduceCase('sum', X2, [2, 3], 0, false, [3], [3, 4, -2]),
    reduceCase('sum', X2, [2, 3], -1, false, [2], [4, 1]),
    reduceCase('sum', X2, [2, 3], 1, true, [2, 1], [4, 1]),
    reduceCase('sum', X2, [2, 3], undefined, false, [], [5]),
    reduceCase('sum', X2, [2, 3], undefined, true, [1, 1], [5]),
    reduceCase('sum', X3, [2, 2, 3], [0, 2], false, [2], [30, 48]),
    reduceCase('sum', X3, [2, 2, 3], [0, 2], true, [1, 2, 1], [30, 48]),
    reduceCase('max', X2, [2, 3], 0, false, [3], [3, 5, 2]),
    reduceCase('max', X2, [2, 3], 1, true, [2, 1], [3, 5]),
    reduceCase('max', X2, [2, 3], undefined, false, [], [5]),
    reduceCase('max', X3, [2, 2, 3], [0, 2], false, [2], [9, 12]),
    reduceCase('min', X2, [2, 3], 0, false, [3], [0, -1, -4]),
    reduceCase('min', X2, [2, 3], 1, true, [2, 1], [-1, -4]),
    reduceCase('min', X2, [2, 3], undefined, true, [1, 1], [-4]),
    reduceCase('min', X3, [2, 2, 3], [0, 2], true, [1, 2, 1], [1, 4]),
    {
      name: 'reduce sum over all axes of int32',
      run: (b) => reduce('sum', i32(b, [1, -2, 7], [3]), undefined, false),
      shape: [],
      values: [6],
      dtype: 'int32',
    },
    {
      name: 'reduce max/min of int32',
      run: (b) => reduce('max', i32(b, [1, -2, 7, 4], [2, 2]), 1, false),
      shape: [2],
      values: [1, 7],
      dtype: 'int32',
    },
    {
      name: 'argMax along the last axis (ties → first, NaN wins)',
      run: (b) =>
        argMax(f32(b, [1, 3, 3, 2, Number.NaN, Number.NaN, -1, -2, -3, -Infinity, -Infinity, -Infinity], [4, 3])),
      shape: [4],
      values: [1, 1, 0, 0],
      dtype: 'int32',
    },
    {
      name: 'argMax along axis 0',
      run: (b) => argMax(f32(b, [1, 5, 3, 5], [2, 2]), 0),
      shape: [2],
      values: [1, 0],
      dtype: 'int32',
    },
  ];
}

// A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]], A·B = [[58, 64], [139, 154]].
const MA = [1, 2, 3, 4, 5, 6];
const MA_T = [1, 4, 2, 5, 3, 6];
const MB = [7, 8, 9, 10, 11, 12];
const MB_T = [7, 9, 11, 8, 10, 12];
const AB = [58, 64, 139, 154];
const scaled = (xs: number[], s: number): number[] => xs.map((x) => x * s);

function matmulCases(): ValueCase[] {
  const combos: [string, boolean, boolean, number[], number[], number[], number[]][] = [
    ['A·B', false, false, MA, [2, 3], MB, [3, 2]],
    ['Aᵀ·B (transposeA)', true, false, MA_T, [3, 2], MB, [3, 2]],
    ['A·Bᵀ (transposeB)', false, true, MA, [2, 3], MB_T, [2, 3]],
    ['Aᵀ·Bᵀ (transposeA, transposeB)', true, true, MA_T, [3, 2], MB_T, [2, 3]],
  ];
  const cases: ValueCase[] = combos.map(([name, ta, tb, a, as, bv, bs]) => ({
    name: `matmul ${name}`,
    run: (b) => matmul(f32(b, a, as), f32(b, bv, bs), ta, tb),
    shape: [2, 2],
    values: AB,
  }));
  cases.push(
    {
      name: 'matmul batch [2] × unbatched',
      run: (b) => matmul(f32(b, [...MA, ...scaled(MA, 2)], [2, 2, 3]), f32(b, MB, [3, 2])),
      shape: [2, 2, 2],
      values: [...AB, ...scaled(AB, 2)],
    },
    {
      name: 'matmul broadcast batch [2,1] × [2] (transposeB)',
      run: (b) =>
        matmul(
          f32(b, [...MA, ...scaled(MA, 2)], [2, 1, 2, 3]),
          f32(b, [...MB_T, ...scaled(MB_T, -1)], [2, 2, 3]),
          false,
          true,
        ),
      shape: [2, 2, 2, 2],
      values: [...AB, ...scaled(AB, -1), ...scaled(AB, 2), ...scaled(AB, -2)],
    },
  );
  return cases;
}

function movementCases(): ValueCase[] {
  return [
    { name: 'reshape [2,3] → [3,2]', run: (b) => reshape(f32(b, MA, [2, 3]), [3, 2]), shape: [3, 2], values: MA },
    { name: 'reshape with −1 → [6]', run: (b) => reshape(f32(b, MA, [2, 3]), [-1]), shape: [6], values: MA },
    { name: 'reshape to rank 0', run: (b) => reshape(f32(b, [4], [1, 1]), []), shape: [], values: [4] },
    {
      name: 'permute [1,0]',
      run: (b) => permute(f32(b, iota(6), [2, 3]), [1, 0]),
      shape: [3, 2],
      values: [0, 3, 1, 4, 2, 5],
    },
    {
      name: 'permute [2,0,1] of rank 3',
      run: (b) => permute(f32(b, iota(8), [2, 2, 2]), [2, 0, 1]),
      shape: [2, 2, 2],
      values: [0, 2, 4, 6, 1, 3, 5, 7],
    },
    {
      name: 'slice [1,1] size [2,2] of [3,4]',
      run: (b) => slice(f32(b, iota(12), [3, 4]), [1, 1], [2, 2]),
      shape: [2, 2],
      values: [5, 6, 9, 10],
    },
    {
      name: 'slice to the end (size −1)',
      run: (b) => slice(f32(b, iota(12), [3, 4]), [0, 2], [-1, -1]),
      shape: [3, 2],
      values: [2, 3, 6, 7, 10, 11],
    },
    {
      name: 'concat along axis 0',
      run: (b) => concat([f32(b, [1, 2], [1, 2]), f32(b, [3, 4, 5, 6], [2, 2])], 0),
      shape: [3, 2],
      values: [1, 2, 3, 4, 5, 6],
    },
    {
      name: 'concat along axis 1 (three inputs, int32)',
      run: (b) => concat([i32(b, [1, 2], [2, 1]), i32(b, [3, 4, 5, 6], [2, 2]), i32(b, [7, 8], [2, 1])], 1),
      shape: [2, 4],
      values: [1, 3, 4, 7, 2, 5, 6, 8],
      dtype: 'int32',
    },
    {
      name: 'pad [[1,0],[0,2]] with 9',
      run: (b) =>
        pad(
          f32(b, [1, 2, 3, 4], [2, 2]),
          [
            [1, 0],
            [0, 2],
          ],
          9,
        ),
      shape: [3, 4],
      values: [9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9],
    },
    {
      name: 'broadcastTo [3] → [2,3]',
      run: (b) => broadcastTo(f32(b, [1, 2, 3]), [2, 3]),
      shape: [2, 3],
      values: [1, 2, 3, 1, 2, 3],
    },
    {
      name: 'broadcastTo [2,1] → [2,3]',
      run: (b) => broadcastTo(f32(b, [1, 2], [2, 1]), [2, 3]),
      shape: [2, 3],
      values: [1, 1, 1, 2, 2, 2],
    },
    {
      name: 'broadcastTo rank 0 → [2,2]',
      run: (b) => broadcastTo(f32(b, [7], []), [2, 2]),
      shape: [2, 2],
      values: [7, 7, 7, 7],
    },
  ];
}

function indexingCases(): ValueCase[] {
  const x = [1, 2, 3, 4, 5, 6]; // [[1, 2], [3, 4], [5, 6]]
  return [
    {
      name: 'gather axis 0 (repeated indices)',
      run: (b) => gather(f32(b, x, [3, 2]), i32(b, [2, 0, 2]), 0),
      shape: [3, 2],
      values: [5, 6, 1, 2, 5, 6],
    },
    {
      name: 'gather axis 1 with 2-D indices',
      run: (b) => gather(f32(b, x, [3, 2]), i32(b, [1, 0], [1, 2]), 1),
      shape: [3, 1, 2],
      values: [2, 1, 4, 3, 6, 5],
    },
    {
      name: 'gather of int32 values',
      run: (b) => gather(i32(b, [10, 20, 30]), i32(b, [2, 2, 0]), 0),
      shape: [3],
      values: [30, 30, 10],
      dtype: 'int32',
    },
    {
      name: 'scatterAdd axis 0 (repeated indices accumulate)',
      run: (b) => scatterAdd(f32(b, iota(8, 1), [4, 2]), i32(b, [1, 0, 1, 1]), 0, 3),
      shape: [3, 2],
      values: [3, 4, 13, 16, 0, 0],
    },
    {
      name: 'scatterAdd axis 1',
      run: (b) => scatterAdd(f32(b, [1, 2, 3, 4], [2, 2]), i32(b, [2, 2]), 1, 3),
      shape: [2, 3],
      values: [0, 0, 3, 0, 0, 7],
    },
  ];
}

/** Known values of reductions, argMax, matmul, movement and indexing primitives. */
export function describeStructureValues(ctx: SuiteContext): void {
  describe('reduction, matmul, movement and indexing values', () => {
    itValues(ctx, reductionCases());
    itValues(ctx, matmulCases());
    itValues(ctx, movementCases());
    itValues(ctx, indexingCases());
  });
}
