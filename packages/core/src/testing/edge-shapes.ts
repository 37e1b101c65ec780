import { describe, expect, it } from 'vitest';
import type { TensorBackend } from '../backend/backend-spec.js';
import { tensor, zeros } from '../ops/creation.js';
import { add, exp, mul } from '../ops/elementwise.js';
import { gather, scatterAdd } from '../ops/indexing.js';
import { matmul } from '../ops/matmul.js';
import { broadcastTo, concat, pad, permute, reshape, slice } from '../ops/movement.js';
import { argMax, max, min, sum } from '../ops/reduce.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { Random } from '../random/random.js';
import { tidy } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { iota, type SuiteContext } from './context.js';
import { hostMatmul, hostPermute, hostSum } from './host-math.js';
import { itValues, type ValueCase } from './value-case.js';

const f32 = (b: TensorBackend, values: number[], shape: number[]): Tensor => tensor(b, values, shape);
const i32 = (b: TensorBackend, values: number[], shape = [values.length]): Tensor => tensor(b, values, shape, 'int32');
const empty = (b: TensorBackend, shape: number[]): Tensor => zeros(b, shape);

function sizeZeroCases(): ValueCase[] {
  const INF = Infinity;
  return [
    {
      name: 'sum of [0,3] over axis 0 is zeros(3)',
      run: (b) => sum(empty(b, [0, 3]), 0),
      shape: [3],
      values: [0, 0, 0],
    },
    { name: 'sum of [0] over all axes is 0', run: (b) => sum(empty(b, [0])), shape: [], values: [0] },
    {
      name: 'sum of [2,0] over axis 1, keepDims',
      run: (b) => sum(empty(b, [2, 0]), 1, true),
      shape: [2, 1],
      values: [0, 0],
    },
    {
      name: 'max / min of [0,2] over axis 0 are −∞ / +∞',
      run: (b) => concat([max(empty(b, [0, 2]), 0), min(empty(b, [0, 2]), 0)], 0),
      shape: [4],
      values: [-INF, -INF, INF, INF],
    },
    {
      name: 'int32 max of [0] is the smallest int32',
      run: (b) => max(i32(b, [])),
      shape: [],
      values: [-2147483648],
      dtype: 'int32',
    },
    {
      name: 'matmul with K = 0 gives zeros',
      run: (b) => matmul(empty(b, [2, 0]), empty(b, [0, 3])),
      shape: [2, 3],
      values: [0, 0, 0, 0, 0, 0],
    },
    {
      name: 'matmul with M = 0',
      run: (b) => matmul(empty(b, [0, 3]), f32(b, iota(6), [3, 2])),
      shape: [0, 2],
      values: [],
    },
    {
      name: 'matmul with batch 0',
      run: (b) => matmul(empty(b, [0, 2, 3]), f32(b, iota(6), [3, 2])),
      shape: [0, 2, 2],
      values: [],
    },
    { name: 'unary on [0]', run: (b) => exp(empty(b, [0])), shape: [0], values: [] },
    {
      name: 'binary [0,3] + [3]',
      run: (b) => add(empty(b, [0, 3]), f32(b, [1, 2, 3], [3])),
      shape: [0, 3],
      values: [],
    },
    { name: 'reshape [0,3] → [3,0]', run: (b) => reshape(empty(b, [0, 3]), [3, 0]), shape: [3, 0], values: [] },
    { name: 'permute [0,2] → [2,0]', run: (b) => permute(empty(b, [0, 2]), [1, 0]), shape: [2, 0], values: [] },
    { name: 'slice of size 0', run: (b) => slice(f32(b, iota(6), [2, 3]), [1, 3], [1, 0]), shape: [1, 0], values: [] },
    {
      name: 'concat with a size-0 input',
      run: (b) => concat([empty(b, [0, 2]), f32(b, [1, 2], [1, 2])], 0),
      shape: [1, 2],
      values: [1, 2],
    },
    {
      name: 'pad of [0,2] to [2,2]',
      run: (b) =>
        pad(
          empty(b, [0, 2]),
          [
            [1, 1],
            [0, 0],
          ],
          3,
        ),
      shape: [2, 2],
      values: [3, 3, 3, 3],
    },
    { name: 'broadcastTo [1] → [0]', run: (b) => broadcastTo(f32(b, [5], [1]), [0]), shape: [0], values: [] },
    {
      name: 'gather with no indices',
      run: (b) => gather(f32(b, iota(6), [3, 2]), i32(b, []), 0),
      shape: [0, 2],
      values: [],
    },
    {
      name: 'scatterAdd of no updates gives zeros',
      run: (b) => scatterAdd(empty(b, [0, 2]), i32(b, []), 0, 2),
      shape: [2, 2],
      values: [0, 0, 0, 0],
    },
    {
      name: 'argMax of [3,0] along axis 0',
      run: (b) => argMax(empty(b, [3, 0]), 0),
      shape: [0],
      values: [],
      dtype: 'int32',
    },
  ];
}

function sizeOneCases(): ValueCase[] {
  return [
    {
      name: 'matmul [1,1] × [1,1]',
      run: (b) => matmul(f32(b, [3], [1, 1]), f32(b, [-2], [1, 1])),
      shape: [1, 1],
      values: [-6],
    },
    { name: 'sum over a size-1 axis', run: (b) => sum(f32(b, [1, 2, 3], [3, 1]), 1), shape: [3], values: [1, 2, 3] },
    {
      name: 'softmax over a size-1 axis is 1',
      run: (b) => softmax(f32(b, [-5, 7], [2, 1])),
      shape: [2, 1],
      values: [1, 1],
    },
    { name: 'logSoftmax over a size-1 axis is 0', run: (b) => logSoftmax(f32(b, [42], [1])), shape: [1], values: [0] },
    {
      name: 'argMax of a size-1 axis is 0',
      run: (b) => argMax(f32(b, [4, -4], [2, 1])),
      shape: [2],
      values: [0, 0],
      dtype: 'int32',
    },
  ];
}

// Rank-4 inputs with host-computed expectations.
const R4_SHAPE = [2, 1, 3, 2];
const R4 = Array.from(new Random(11).normals(12));

function rankCases(): ValueCase[] {
  return [
    { name: 'rank 0: exp', run: (b) => exp(f32(b, [1], [])), shape: [], values: [Math.E] },
    { name: 'rank 0 × rank 0: mul', run: (b) => mul(f32(b, [3], []), f32(b, [-0.5], [])), shape: [], values: [-1.5] },
    { name: 'rank 0: sum over no axes', run: (b) => sum(f32(b, [2.5], []), []), shape: [], values: [2.5] },
    { name: 'rank 1: sum', run: (b) => sum(f32(b, [1, 2, 3], [3])), shape: [], values: [6] },
    {
      name: 'rank 3: max over axis 1',
      run: (b) => max(f32(b, iota(12), [2, 3, 2]), 1),
      shape: [2, 2],
      values: [4, 5, 10, 11],
    },
    {
      name: 'rank 4: sum over axes [1,3], keepDims',
      run: (b) => sum(f32(b, R4, R4_SHAPE), [1, 3], true),
      shape: [2, 1, 3, 1],
      values: hostSum(R4, R4_SHAPE, [1, 3]),
    },
    {
      name: 'rank 4: permute [3,1,0,2]',
      run: (b) => permute(f32(b, R4, R4_SHAPE), [3, 1, 0, 2]),
      shape: [2, 1, 2, 3],
      values: hostPermute(R4, R4_SHAPE, [3, 1, 0, 2]),
    },
    {
      name: 'rank 4: slice',
      run: (b) => slice(f32(b, iota(24), [2, 2, 3, 2]), [1, 0, 1, 1], [1, 2, 2, 1]),
      shape: [1, 2, 2, 1],
      values: [15, 17, 21, 23],
    },
    {
      name: 'rank 4: concat along axis 2',
      run: (b) => concat([f32(b, [1, 2], [1, 1, 1, 2]), f32(b, [3, 4, 5, 6], [1, 1, 2, 2])], 2),
      shape: [1, 1, 3, 2],
      values: [1, 2, 3, 4, 5, 6],
    },
    {
      name: 'rank 4: batched matmul [2,1,2,3] × [3,2]',
      run: (b) => matmul(f32(b, iota(12), [2, 1, 2, 3]), f32(b, [1, -1, 2, 0, 0.5, 3], [3, 2])),
      shape: [2, 1, 2, 2],
      values: hostMatmul(iota(12), [1, -1, 2, 0, 0.5, 3], 4, 3, 2),
    },
  ];
}

/** Size-0 and size-1 tensors, ranks 0 to 4, and gradients through empty tensors. */
export function describeEdgeShapes(ctx: SuiteContext): void {
  describe('edge shapes', () => {
    itValues(ctx, sizeZeroCases());
    itValues(ctx, sizeOneCases());
    itValues(ctx, rankCases());

    it('backward through size-0 tensors gives size-0 and zero gradients', async () => {
      const b = ctx.backend();
      const x = tensor(b, [], [0, 3]);
      const w = tensor(b, [1, 2, 3], [3]);
      x.requiresGrad = true;
      w.requiresGrad = true;
      tidy(() => sum(mul(add(x, w), 2)).backward());
      expect(x.grad?.shape).toEqual([0, 3]);
      expect(Array.from((await w.grad?.data()) ?? [])).toEqual([0, 0, 0]);
      x.dispose();
      w.dispose();
    });
  });
}
