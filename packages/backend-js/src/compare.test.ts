import { COMPARE_OPS, type CompareOp } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { createJsBackend } from './index.js';

const be = createJsBackend();
const f32 = (values: number[], shape = [values.length]) => be.write(Float32Array.from(values), shape, 'float32');
const i32 = (values: number[], shape = [values.length]) => be.write(Int32Array.from(values), shape, 'int32');
const read = (b: ReturnType<typeof f32>) => Array.from(be.readSync(b));

describe('compare', () => {
  it('gives int32 0/1 for each op, false with NaN except notEqual', () => {
    const a = f32([1, 2, 3, Number.NaN, Number.NaN]);
    const b = f32([2, 2, 2, 1, Number.NaN]);
    const expected: Record<CompareOp, number[]> = {
      equal: [0, 1, 0, 0, 0],
      notEqual: [1, 0, 1, 1, 1],
      less: [1, 0, 0, 0, 0],
      lessEqual: [1, 1, 0, 0, 0],
      greater: [0, 0, 1, 0, 0],
      greaterEqual: [0, 1, 1, 0, 0],
    };
    for (const op of COMPARE_OPS) {
      const out = be.compare(op, a, b);
      expect(be.readSync(out), op).toBeInstanceOf(Int32Array);
      expect(read(out), op).toEqual(expected[op]);
    }
  });

  it('compares int32 with broadcasting', () => {
    expect(read(be.compare('greater', i32([1, 5, 3, 7], [2, 2]), i32([2, 6])))).toEqual([0, 0, 1, 1]);
    expect(read(be.compare('equal', i32([-1, 0, -1]), i32([-1], [])))).toEqual([1, 0, 1]);
  });

  it('handles rank 0 and size 0', () => {
    expect(read(be.compare('less', f32([1], []), f32([2], [])))).toEqual([1]);
    expect(be.readSync(be.compare('less', f32([], [0]), f32([2], []))).length).toBe(0);
  });
});
