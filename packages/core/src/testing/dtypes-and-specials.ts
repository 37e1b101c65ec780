import { describe, expect, it } from 'vitest';
import type { TensorBackend } from '../backend/backend-spec.js';
import { DTypeError } from '../errors/tensor-errors.js';
import { logSigmoid } from '../ops/activations.js';
import { tensor } from '../ops/creation.js';
import {
  abs,
  add,
  compare,
  div,
  exp,
  log,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  sigmoid,
  sign,
  sqrt,
  sub,
  tanh,
  where,
} from '../ops/elementwise.js';
import { matmul } from '../ops/matmul.js';
import { concat } from '../ops/movement.js';
import { max, mean, min, sum } from '../ops/reduce.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { tidy } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SuiteContext } from './context.js';
import { itValues, type ValueCase } from './value-case.js';

const f32 = (b: TensorBackend, values: number[], shape = [values.length]): Tensor => tensor(b, values, shape);
const i32 = (b: TensorBackend, values: number[], shape = [values.length]): Tensor => tensor(b, values, shape, 'int32');

const IA = [7, -3, 2147483647, -2147483648, 65536];
const IB = [2, 5, 1, -1, 65536];

function intCases(): ValueCase[] {
  const int = (name: string, run: ValueCase['run'], values: number[]): ValueCase => ({
    name: `int32 ${name}`,
    run,
    shape: [values.length],
    values,
    dtype: 'int32',
  });
  return [
    // Integer arithmetic wraps as 32-bit two's complement.
    int('add (wraps)', (b) => add(i32(b, IA), i32(b, IB)), [9, 2, -2147483648, 2147483647, 131072]),
    int('sub (wraps)', (b) => sub(i32(b, IA), i32(b, IB)), [5, -8, 2147483646, -2147483647, 0]),
    int('mul (wraps)', (b) => mul(i32(b, IA), i32(b, IB)), [14, -15, 2147483647, -2147483648, 0]),
    int('maximum', (b) => maximum(i32(b, IA), i32(b, IB)), [7, 5, 2147483647, -1, 65536]),
    int('minimum', (b) => minimum(i32(b, IA), i32(b, IB)), [2, -3, 1, -2147483648, 65536]),
    int('add with a number operand', (b) => add(i32(b, [1, -2]), 3), [4, 1]),
    int('neg', (b) => neg(i32(b, [3, -4, 0])), [-3, 4, 0]),
    int('abs', (b) => abs(i32(b, [3, -4, 0])), [3, 4, 0]),
    int('sign', (b) => sign(i32(b, [3, -4, 0])), [1, -1, 0]),
    int('sum', (b) => sum(i32(b, [1, 2, 3, 4], [2, 2]), 0), [4, 6]),
    int('comparison of float32 gives int32', (b) => compare('greaterEqual', f32(b, [1, 2]), f32(b, [2, 2])), [0, 1]),
  ];
}

const NAN = Number.NaN;
const INF = Infinity;

function specialCases(): ValueCase[] {
  const c = (name: string, run: ValueCase['run'], values: number[], shape = [values.length]): ValueCase => ({
    name,
    run,
    shape,
    values,
  });
  return [
    c(
      'NaN propagates through add and mul',
      (b) => concat([add(f32(b, [NAN, 1]), f32(b, [1, NAN])), mul(f32(b, [NAN, 0]), f32(b, [0, NAN]))], 0),
      [NAN, NAN, NAN, NAN],
    ),
    c(
      'NaN propagates through exp, log, sqrt, tanh, sigmoid',
      (b) =>
        concat(
          [exp(f32(b, [NAN])), log(f32(b, [NAN])), sqrt(f32(b, [NAN])), tanh(f32(b, [NAN])), sigmoid(f32(b, [NAN]))],
          0,
        ),
      [NAN, NAN, NAN, NAN, NAN],
    ),
    c(
      'maximum / minimum with NaN give NaN (either side)',
      (b) => concat([maximum(f32(b, [NAN, 1]), f32(b, [1, NAN])), minimum(f32(b, [NAN, 1]), f32(b, [1, NAN]))], 0),
      [NAN, NAN, NAN, NAN],
    ),
    c(
      'reduce max / min with NaN give NaN',
      (b) =>
        concat(
          [
            max(f32(b, [1, NAN, 3], [3]), 0, true),
            min(f32(b, [NAN, 1, 3], [3]), 0, true),
            max(f32(b, [1, 3, NAN], [3]), 0, true),
          ],
          0,
        ),
      [NAN, NAN, NAN],
    ),
    c('reduce sum with NaN gives NaN', (b) => sum(f32(b, [1, NAN, 3])), [NAN], []),
    c('1/0 = ∞, −1/0 = −∞, 0/0 = NaN', (b) => div(f32(b, [1, -1, 0]), f32(b, [0, 0, 0])), [INF, -INF, NAN]),
    c('log(0) = −∞', (b) => log(f32(b, [0])), [-INF]),
    c('exp overflows to ∞ and underflows to 0', (b) => exp(f32(b, [1000, -1000])), [INF, 0]),
    c(
      '∞ − ∞ = NaN, ∞ · 0 = NaN',
      (b) => concat([sub(f32(b, [INF]), f32(b, [INF])), mul(f32(b, [INF]), f32(b, [0]))], 0),
      [NAN, NAN],
    ),
    c('sigmoid(±1000) = 1 / 0 without NaN', (b) => sigmoid(f32(b, [1000, -1000, INF, -INF])), [1, 0, 1, 0]),
    c('tanh(±1000) = ±1', (b) => tanh(f32(b, [1000, -1000])), [1, -1]),
    c('logSigmoid(±1000) is finite', (b) => logSigmoid(f32(b, [1000, -1000])), [0, -1000]),
    c('logSoftmax of [1000, 0] is finite', (b) => logSoftmax(f32(b, [1000, 0])), [0, -1000]),
    c('softmax of [1000, 0] is [1, 0]', (b) => softmax(f32(b, [1000, 0])), [1, 0]),
    c('where selects away from NaN and ∞', (b) => where(i32(b, [1, 0]), f32(b, [2, NAN]), f32(b, [INF, 3])), [2, 3]),
    c('max reduction with −∞ entries', (b) => max(f32(b, [-INF, -5, -INF])), [-5], []),
  ];
}

function expectDTypeError(b: TensorBackend, fn: () => unknown): void {
  const live = b.memory().liveBuffers;
  let caught: unknown;
  tidy(() => {
    try {
      fn();
    } catch (error) {
      caught = error;
    }
  });
  expect(caught).toBeInstanceOf(DTypeError);
  expect(b.memory().liveBuffers, 'nothing leaks').toBe(live);
}

/** Dtype rules (int32 arithmetic, int32 comparisons, DTypeError) and NaN/∞ propagation. */
export function describeDTypesAndSpecials(ctx: SuiteContext): void {
  describe('dtype rules', () => {
    itValues(ctx, intCases());

    it('dtype: div, pow, exp, log, sqrt, mean and matmul on int32 throw DTypeError', () => {
      const b = ctx.backend();
      const x = (): Tensor => i32(b, [1, 2, 3, 4], [2, 2]);
      expectDTypeError(b, () => div(x(), x()));
      expectDTypeError(b, () => pow(x(), x()));
      expectDTypeError(b, () => exp(x()));
      expectDTypeError(b, () => log(x()));
      expectDTypeError(b, () => sqrt(x()));
      expectDTypeError(b, () => mean(x()));
      expectDTypeError(b, () => matmul(x(), x()));
    });

    it('dtype: mixing float32 and int32 throws DTypeError', () => {
      const b = ctx.backend();
      const f = (): Tensor => f32(b, [1, 2]);
      const i = (): Tensor => i32(b, [1, 2]);
      expectDTypeError(b, () => add(f(), i()));
      expectDTypeError(b, () => maximum(i(), f()));
      expectDTypeError(b, () => compare('less', f(), i()));
      expectDTypeError(b, () => where(i(), f(), i()));
      expectDTypeError(b, () => where(f(), f(), f()));
      expectDTypeError(b, () => concat([f(), i()], 0));
    });
  });

  describe('NaN and infinity', () => {
    itValues(ctx, specialCases());
  });
}
