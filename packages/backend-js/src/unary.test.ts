import { UNARY_OPS } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { createJsBackend } from './index.js';

const be = createJsBackend();
const run = (op: (typeof UNARY_OPS)[number], values: number[], shape = [values.length]) =>
  Array.from(be.readSync(be.unary(op, be.write(Float32Array.from(values), shape, 'float32'))));
const runInt = (op: (typeof UNARY_OPS)[number], values: number[]) =>
  Array.from(be.readSync(be.unary(op, be.write(Int32Array.from(values), [values.length], 'int32'))));
const f = Math.fround;

describe('unary (float32)', () => {
  it('computes each op', () => {
    const x = [-2, -0.5, 0, 1.5];
    const expected: Record<(typeof UNARY_OPS)[number], number[]> = {
      neg: [2, 0.5, -0, -1.5],
      abs: [2, 0.5, 0, 1.5],
      sign: [-1, -1, 0, 1],
      exp: x.map((v) => f(Math.exp(v))),
      log: [Number.NaN, Number.NaN, Number.NEGATIVE_INFINITY, f(Math.log(1.5))],
      sqrt: [Number.NaN, Number.NaN, 0, f(Math.sqrt(1.5))],
      rsqrt: [Number.NaN, Number.NaN, Number.POSITIVE_INFINITY, f(1 / Math.sqrt(1.5))],
      reciprocal: [-0.5, -2, Number.POSITIVE_INFINITY, f(1 / 1.5)],
      square: [4, 0.25, 0, 2.25],
      tanh: x.map((v) => f(Math.tanh(v))),
      sigmoid: x.map((v) => f(1 / (1 + Math.exp(-v)))),
      relu: [0, 0, 0, 1.5],
      sin: x.map((v) => f(Math.sin(v))),
      cos: x.map((v) => f(Math.cos(v))),
    };
    for (const op of UNARY_OPS) expect(run(op, x), op).toEqual(expected[op]);
  });

  it('sigmoid saturates without overflow for large |x|', () => {
    expect(run('sigmoid', [-1000, -100, 100, 1000, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY])).toEqual([
      0,
      f(Math.exp(-100)),
      1,
      1,
      0,
      1,
    ]);
  });

  it('propagates NaN through sign, relu and every other op', () => {
    for (const op of UNARY_OPS) expect(Number.isNaN(run(op, [Number.NaN])[0]), op).toBe(true);
  });

  it('handles rank 0 and size 0', () => {
    expect(run('exp', [0], [])).toEqual([1]);
    const empty = be.unary('exp', be.write(new Float32Array(0), [2, 0], 'float32'));
    expect(be.readSync(empty).length).toBe(0);
  });
});

describe('unary (int32)', () => {
  it('neg, abs and sign wrap as 32-bit two’s complement', () => {
    expect(runInt('neg', [3, -4, 0, -2147483648, 2147483647])).toEqual([-3, 4, 0, -2147483648, -2147483647]);
    expect(runInt('abs', [3, -4, 0, -2147483648])).toEqual([3, 4, 0, -2147483648]);
    expect(runInt('sign', [3, -4, 0])).toEqual([1, -1, 0]);
    expect(be.readSync(be.unary('neg', be.write(Int32Array.of(1), [1], 'int32')))).toBeInstanceOf(Int32Array);
  });

  it('rejects float-only ops on int32', () => {
    expect(() => runInt('exp', [1])).toThrow(/not supported/);
  });
});
