import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors/tensor-errors.js';
import { tensor } from '../ops/creation.js';
import { add, compare, sub, where } from '../ops/elementwise.js';
import { matmul } from '../ops/matmul.js';
import { broadcastTo, concat } from '../ops/movement.js';
import { Random } from '../random/random.js';
import { tidy } from '../tensor/engine.js';
import { broadcastShapes, sizeOf } from '../tensor/shape-utils.js';
import type { Tensor } from '../tensor/tensor.js';
import { evaluate, expectTensor, type SuiteContext } from './context.js';
import { hostBroadcast } from './host-math.js';

/** Shape pairs that broadcast: rank 0, size-1 dimensions on either side, rank differences, size 0. */
const PAIRS: [number[], number[], number[]][] = [
  [[], [2, 3], [2, 3]],
  [[3], [2, 3], [2, 3]],
  [
    [2, 1],
    [1, 3],
    [2, 3],
  ],
  [
    [4, 1, 3],
    [2, 1],
    [4, 2, 3],
  ],
  [[1], [], [1]],
  [
    [2, 1, 1, 3],
    [5, 1],
    [2, 1, 5, 3],
  ],
  [[0, 3], [3], [0, 3]],
  [
    [1, 0],
    [2, 1],
    [2, 0],
  ],
];

/** Shape pairs that do not broadcast. */
const BAD_PAIRS: [number[], number[]][] = [
  [[2, 3], [4]],
  [
    [2, 1],
    [3, 3, 2],
  ],
  [[0], [2]],
];

function expectShapeError(op: string, fn: () => unknown): void {
  let caught: unknown;
  tidy(() => {
    try {
      fn();
    } catch (error) {
      caught = error;
    }
  });
  expect(caught, `${op} throws ShapeError`).toBeInstanceOf(ShapeError);
  expect((caught as ShapeError).op, 'the error names the op').toBe(op);
  expect((caught as Error).message).toContain(op);
}

/** NumPy broadcasting in binary ops, comparisons, where and broadcastTo; ShapeError for bad shapes. */
export function describeBroadcasting(ctx: SuiteContext): void {
  describe('broadcasting', () => {
    for (const [sa, sb, so] of PAIRS) {
      it(`broadcast: [${sa}] with [${sb}] → [${so}] (sub, less, where, broadcastTo)`, async () => {
        const b = ctx.backend();
        expect(broadcastShapes('test', sa, sb)).toEqual(so);
        const rng = new Random(sizeOf(sa) * 31 + sizeOf(sb));
        const av = Array.from(rng.normals(sizeOf(sa)));
        const bv = Array.from(rng.normals(sizeOf(sb)));
        const mk = (v: number[], s: number[]): Tensor => tensor(b, v, s);
        const diff = hostBroadcast(av, sa, bv, sb, so, (x, y) => Math.fround(x) - Math.fround(y));
        expectTensor(
          await evaluate(() => sub(mk(av, sa), mk(bv, sb))),
          { shape: so, values: diff },
          ctx.tolerance.value,
        );
        expectTensor(
          await evaluate(() => sub(mk(bv, sb), mk(av, sa))),
          { shape: so, values: diff.map((d) => -d) },
          ctx.tolerance.value,
        );
        const less = hostBroadcast(av, sa, bv, sb, so, (x, y) => (Math.fround(x) < Math.fround(y) ? 1 : 0));
        expectTensor(
          await evaluate(() => compare('less', mk(av, sa), mk(bv, sb))),
          { shape: so, values: less, dtype: 'int32' },
          ctx.tolerance.value,
        );
        const chosen = hostBroadcast(av, sa, bv, sb, so, (x, y) => (x < y ? x : y));
        expectTensor(
          await evaluate(() => where(compare('less', mk(av, sa), mk(bv, sb)), mk(av, sa), mk(bv, sb))),
          { shape: so, values: chosen.map(Math.fround) },
          ctx.tolerance.value,
        );
        const spread = hostBroadcast(av, sa, [0], [], so, (x) => x);
        expectTensor(
          await evaluate(() => broadcastTo(mk(av, sa), so)),
          { shape: so, values: spread.map(Math.fround) },
          ctx.tolerance.value,
        );
      });
    }

    for (const [sa, sb] of BAD_PAIRS) {
      it(`broadcast: [${sa}] with [${sb}] throws ShapeError naming the op`, () => {
        const b = ctx.backend();
        const live = b.memory().liveBuffers;
        const mk = (s: number[]): Tensor => tensor(b, new Array<number>(sizeOf(s)).fill(1), s);
        expectShapeError('add', () => add(mk(sa), mk(sb)));
        expectShapeError('sub', () => sub(mk(sa), mk(sb)));
        expectShapeError('less', () => compare('less', mk(sa), mk(sb)));
        expectShapeError('where', () =>
          where(tensor(b, new Array<number>(sizeOf(sa)).fill(1), sa, 'int32'), mk(sa), mk(sb)),
        );
        expectShapeError('broadcastTo', () => broadcastTo(mk(sa), sb));
        expect(b.memory().liveBuffers, 'failed ops leak nothing inside tidy').toBe(live);
      });
    }

    it('matmul and concat shape errors name the op', () => {
      const b = ctx.backend();
      const mk = (s: number[]): Tensor => tensor(b, new Array<number>(sizeOf(s)).fill(1), s);
      expectShapeError('matmul', () => matmul(mk([2, 3]), mk([4, 2])));
      expectShapeError('matmul', () => matmul(mk([2, 2, 3]), mk([3, 3, 2])));
      expectShapeError('matmul', () => matmul(mk([3]), mk([3, 2])));
      expectShapeError('concat', () => concat([mk([2, 3]), mk([3, 2])], 0));
    });
  });
}
