import { BINARY_OPS, type BinaryOp } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { createJsBackend } from './index.js';

const be = createJsBackend();
const f32 = (values: number[], shape = [values.length]) => be.write(Float32Array.from(values), shape, 'float32');
const i32 = (values: number[], shape = [values.length]) => be.write(Int32Array.from(values), shape, 'int32');
const read = (b: ReturnType<typeof f32>) => Array.from(be.readSync(b));
const f = Math.fround;

describe('binary (float32)', () => {
  it('computes each op element-wise', () => {
    const a = f32([6, -3, 0, 2]);
    const b = f32([4, 2, 0, 0.5]);
    const expected: Record<BinaryOp, number[]> = {
      add: [10, -1, 0, 2.5],
      sub: [2, -5, 0, 1.5],
      mul: [24, -6, 0, 1],
      div: [1.5, -1.5, Number.NaN, 4],
      pow: [1296, 9, 1, f(Math.SQRT2)],
      maximum: [6, 2, 0, 2],
      minimum: [4, -3, 0, 0.5],
    };
    for (const op of BINARY_OPS) expect(read(be.binary(op, a, b)), op).toEqual(expected[op]);
  });

  it('follows IEEE for division by zero and NaN in maximum/minimum', () => {
    expect(read(be.binary('div', f32([1, -1, 0]), f32([0, 0, 0])))).toEqual([Infinity, -Infinity, Number.NaN]);
    expect(read(be.binary('maximum', f32([Number.NaN, 1]), f32([1, Number.NaN])))).toEqual([Number.NaN, Number.NaN]);
    expect(read(be.binary('minimum', f32([Number.NaN, 1]), f32([1, Number.NaN])))).toEqual([Number.NaN, Number.NaN]);
    expect(read(be.binary('pow', f32([-8, 0]), f32([1 / 3, -1])))).toEqual([Number.NaN, Infinity]);
  });

  it('broadcasts a scalar, a bias along the last axis, and outer products', () => {
    const x = f32([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(read(be.binary('mul', x, f32([10], [])))).toEqual([10, 20, 30, 40, 50, 60]);
    expect(read(be.binary('sub', f32([10], []), x))).toEqual([9, 8, 7, 6, 5, 4]);
    expect(read(be.binary('add', x, f32([10, 20, 30])))).toEqual([11, 22, 33, 14, 25, 36]);
    expect(read(be.binary('add', x, f32([100, 200], [2, 1])))).toEqual([101, 102, 103, 204, 205, 206]);
    const outer = be.binary('mul', f32([1, 2], [2, 1]), f32([1, 10, 100], [1, 3]));
    expect(read(outer)).toEqual([1, 10, 100, 2, 20, 200]);
  });

  it('broadcasts irregular shapes against a naive index computation', () => {
    // (2, 1, 3) with (4, 1): output (2, 4, 3)
    const av = [0, 1, 2, 3, 4, 5];
    const bv = [10, 20, 30, 40];
    const out = read(be.binary('sub', f32(av, [2, 1, 3]), f32(bv, [4, 1])));
    const expected: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) expected.push(av[i * 3 + k] - bv[j]);
    expect(out).toEqual(expected);
    // size-1 axes in the middle of both: (3, 1, 2, 1) with (1, 2, 1, 2) → (3, 2, 2, 2)
    const cv = [1, 2, 3, 4, 5, 6];
    const dv = [100, 200, 300, 400];
    const out2 = read(be.binary('add', f32(cv, [3, 1, 2, 1]), f32(dv, [1, 2, 1, 2])));
    const expected2: number[] = [];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 2; j++)
        for (let k = 0; k < 2; k++) for (let l = 0; l < 2; l++) expected2.push(cv[i * 2 + k] + dv[j * 2 + l]);
    expect(out2).toEqual(expected2);
  });

  it('handles rank 0 and size-0 operands', () => {
    expect(read(be.binary('add', f32([2], []), f32([3], [])))).toEqual([5]);
    const empty = be.binary('add', f32([], [0, 3]), f32([1, 2, 3]));
    expect(be.readSync(empty).length).toBe(0);
    const empty2 = be.binary('mul', f32([], [0]), f32([7], []));
    expect(be.readSync(empty2).length).toBe(0);
  });

  it('rounds results to float32', () => {
    expect(read(be.binary('add', f32([0.1]), f32([0.2])))).toEqual([f(f(0.1) + f(0.2))]);
  });
});

describe('binary (int32)', () => {
  it('wraps add, sub and mul as C’s 32-bit arithmetic', () => {
    expect(read(be.binary('add', i32([2147483647, -2147483648, 5]), i32([1, -1, -7])))).toEqual([
      -2147483648, 2147483647, -2,
    ]);
    expect(read(be.binary('sub', i32([-2147483648, 3]), i32([1, 5])))).toEqual([2147483647, -2]);
    expect(read(be.binary('mul', i32([65536, 46341, -7, 123456789]), i32([65536, 46341, 6, 987654321])))).toEqual([
      0,
      -2147479015, // 46341² = 2147488281 − 2³²
      -42,
      Math.imul(123456789, 987654321),
    ]);
  });

  it('computes maximum/minimum and broadcasts, returning int32', () => {
    const out = be.binary('maximum', i32([1, 5, -3, 8], [2, 2]), i32([4], []));
    expect(be.readSync(out)).toBeInstanceOf(Int32Array);
    expect(read(out)).toEqual([4, 5, 4, 8]);
    expect(read(be.binary('minimum', i32([1, 5, -3, 8], [2, 2]), i32([0, 6])))).toEqual([0, 5, -3, 6]);
  });

  it('rejects div and pow on int32', () => {
    expect(() => be.binary('div', i32([1]), i32([1]))).toThrow(/not supported/);
    expect(() => be.binary('pow', i32([1]), i32([1]))).toThrow(/not supported/);
  });
});
