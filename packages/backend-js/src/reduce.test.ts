import type { ReduceOp } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { createJsBackend } from './index.js';

const be = createJsBackend();
const f32 = (values: number[], shape = [values.length]) => be.write(Float32Array.from(values), shape, 'float32');
const i32 = (values: number[], shape = [values.length]) => be.write(Int32Array.from(values), shape, 'int32');
const read = (b: ReturnType<typeof f32>) => Array.from(be.readSync(b));
const shapeOf = (b: ReturnType<typeof f32>) => (b as unknown as { shape: number[] }).shape;

/** Naive reduction: visit every element by its multi-index (independent of the kernel's strided walk). */
function naiveReduce(op: ReduceOp, values: number[], shape: number[], axes: number[]): number[] {
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outSize = outShape.reduce((a, b) => a * b, 1);
  const init = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
  const out = new Array<number>(outSize).fill(init);
  const index = new Array<number>(shape.length).fill(0);
  for (const v of values) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) o = o * outShape[d] + (axes.includes(d) ? 0 : index[d]);
    out[o] = op === 'sum' ? out[o] + v : op === 'max' ? Math.max(out[o], v) : Math.min(out[o], v);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

describe('reduce', () => {
  const x = f32([1, 2, 3, 4, 5, 6], [2, 3]);

  it('sums, maxes and mins over one axis with and without keepDims', () => {
    expect(read(be.reduce('sum', x, [1], false))).toEqual([6, 15]);
    expect(read(be.reduce('sum', x, [0], false))).toEqual([5, 7, 9]);
    expect(read(be.reduce('max', x, [0], true))).toEqual([4, 5, 6]);
    expect(shapeOf(be.reduce('max', x, [0], true))).toEqual([1, 3]);
    expect(shapeOf(be.reduce('max', x, [0], false))).toEqual([3]);
    expect(read(be.reduce('min', x, [1], true))).toEqual([1, 4]);
    expect(read(be.reduce('sum', x, [0, 1], false))).toEqual([21]);
    expect(shapeOf(be.reduce('sum', x, [0, 1], false))).toEqual([]);
    expect(shapeOf(be.reduce('sum', x, [0, 1], true))).toEqual([1, 1]);
  });

  it('matches a naive reduction for every axis subset of a rank-4 tensor', () => {
    const shape = [2, 3, 4, 5];
    const values = Array.from({ length: 120 }, (_, i) => ((i * 37) % 23) - 11);
    const t = f32(values, shape);
    for (let mask = 0; mask < 16; mask++) {
      const axes = [0, 1, 2, 3].filter((a) => mask & (1 << a));
      for (const op of ['sum', 'max', 'min'] as const) {
        const expected = axes.length === 0 ? values : naiveReduce(op, values, shape, axes);
        expect(read(be.reduce(op, t, axes, true)), `${op} ${axes}`).toEqual(expected);
      }
    }
  });

  it('returns a copy for empty axes, also at rank 0', () => {
    expect(read(be.reduce('sum', x, [], false))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(read(be.reduce('max', f32([3], []), [], false))).toEqual([3]);
  });

  it('gives the identity for empty reductions', () => {
    const empty = f32([], [0, 3]);
    expect(read(be.reduce('sum', empty, [0], false))).toEqual([0, 0, 0]);
    expect(read(be.reduce('max', empty, [0], false))).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(read(be.reduce('min', empty, [0], false))).toEqual([Infinity, Infinity, Infinity]);
    expect(read(be.reduce('sum', empty, [1], false))).toEqual([]);
    const emptyInt = i32([], [2, 0]);
    expect(read(be.reduce('sum', emptyInt, [1], false))).toEqual([0, 0]);
    expect(read(be.reduce('max', emptyInt, [1], false))).toEqual([-2147483648, -2147483648]);
    expect(read(be.reduce('min', emptyInt, [1], false))).toEqual([2147483647, 2147483647]);
  });

  it('propagates NaN through max, min and sum', () => {
    const t = f32([1, Number.NaN, 3, 4], [2, 2]);
    expect(read(be.reduce('max', t, [1], false))).toEqual([Number.NaN, 4]);
    expect(read(be.reduce('min', t, [0], false))).toEqual([1, Number.NaN]);
    expect(read(be.reduce('sum', t, [1], false))).toEqual([Number.NaN, 7]);
    expect(read(be.reduce('max', f32([Number.NaN, 5]), [0], false))).toEqual([Number.NaN]);
  });

  it('reduces int32 with wrap-around sums and int32 output', () => {
    const t = i32([2147483647, 1, -5, 3], [2, 2]);
    const s = be.reduce('sum', t, [1], false);
    expect(be.readSync(s)).toBeInstanceOf(Int32Array);
    expect(read(s)).toEqual([-2147483648, -2]);
    expect(read(be.reduce('sum', t, [0], false))).toEqual([2147483642, 4]);
    expect(read(be.reduce('max', t, [0, 1], false))).toEqual([2147483647]);
    expect(read(be.reduce('min', t, [1], false))).toEqual([1, -5]);
  });

  it('accumulates float32 sums in float64', () => {
    // 2²⁴ + 1 + 1 in float32 steps would stay at 2²⁴; in float64 it is 2²⁴ + 2 (a float32 value).
    expect(read(be.reduce('sum', f32([16777216, 1, 1]), [0], false))).toEqual([16777218]);
  });
});

describe('argMax', () => {
  it('finds the first maximum along any axis', () => {
    const t = f32([1, 3, 3, 0, 9, 2], [2, 3]);
    expect(read(be.argMax(t, 1))).toEqual([1, 1]);
    expect(read(be.argMax(t, 0))).toEqual([0, 1, 0]);
    expect(be.readSync(be.argMax(t, 0))).toBeInstanceOf(Int32Array);
    const t3 = f32([0, 5, 1, 5, 7, 1, 2, 8], [2, 2, 2]);
    expect(read(be.argMax(t3, 1))).toEqual([1, 0, 0, 1]); // ties (5, 5) keep index 0
    expect(shapeOf(be.argMax(t3, 1))).toEqual([2, 2]);
  });

  it('lets the first NaN win', () => {
    expect(read(be.argMax(f32([1, Number.NaN, 5, Number.NaN]), 0))).toEqual([1]);
    expect(read(be.argMax(f32([Number.NaN, 9, 1, Number.NaN], [2, 2]), 0))).toEqual([0, 1]);
    expect(read(be.argMax(f32([-Infinity, -Infinity]), 0))).toEqual([0]);
  });

  it('handles int32, a rank-1 input (rank-0 output) and size-0 outer dims', () => {
    expect(read(be.argMax(i32([-4, 2, 2, -1]), 0))).toEqual([1]);
    expect(shapeOf(be.argMax(i32([-4, 2]), 0))).toEqual([]);
    expect(read(be.argMax(f32([], [0, 3]), 1))).toEqual([]);
  });
});
