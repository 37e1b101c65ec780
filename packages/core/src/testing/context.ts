import { expect } from 'vitest';
import type { BackendBuffer, DType, Shape, TensorBackend } from '../backend/backend-spec.js';
import { tidy } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * A backend that computes `float32`-dtype tensors in float64 and can move float64 values in and out
 * without rounding: the oracle of the conformance suite's finite-difference gradient checks.
 *
 * @example
 * ```ts
 * const ref: ReferenceBackend = createJsBackend({ precision: 'float64' });
 * const buf = ref.writeFloat64(Float64Array.of(1 / 3), []);
 * ref.readFloat64(buf); // Float64Array [0.3333333333333333]
 * ```
 */
export interface ReferenceBackend extends TensorBackend {
  /** Copies float64 host values into a new `float32`-dtype buffer held in float64. */
  writeFloat64(values: Float64Array, shape: Shape): BackendBuffer;
  /** Reads a `float32`-dtype buffer back at full float64 precision. */
  readFloat64(buffer: BackendBuffer): Float64Array;
}

/**
 * An element-wise closeness test: `|actual − expected| ≤ atol + rtol · |expected|` (NaN matches NaN,
 * infinities must match exactly).
 *
 * @example
 * ```ts
 * const tight: Tolerance = { atol: 1e-6, rtol: 1e-5 };
 * ```
 */
export interface Tolerance {
  /** Absolute tolerance. */
  atol: number;
  /** Relative tolerance (times the expected value's magnitude). */
  rtol: number;
}

/**
 * Every tolerance the conformance suite uses. Defaults ({@link DEFAULT_TOLERANCES}) suit a float32 backend.
 *
 * @example
 * ```ts
 * const t: ConformanceTolerances = { ...DEFAULT_TOLERANCES, gradient: { atol: 2e-4, rtol: 2e-3 } };
 * ```
 */
export interface ConformanceTolerances {
  /** Primitive values against hand-computed expected values. */
  value: Tolerance;
  /** Analytic gradients (float32 on the backend under test) against float64 central differences. */
  gradient: Tolerance;
  /** Outputs of random inputs against the float64 reference, and fused kernels against core's composition. */
  reference: Tolerance;
  /** Step `h` of the central difference `(F(x + h) − F(x − h)) / 2h`, taken in float64. */
  fdStep: number;
}

/**
 * Default tolerances. float32 carries about 7 significant digits; the analytic gradients below are sums
 * of a few dozen float32 terms, so 1e-4 absolute plus 1e-3 relative leaves a margin of roughly 100× over
 * the rounding error of a correct kernel while still catching any wrong gradient rule.
 *
 * @example
 * ```ts
 * describeBackendConformance('js', make, { reference, tolerance: { gradient: { atol: 2e-4, rtol: 2e-3 } } });
 * ```
 */
export const DEFAULT_TOLERANCES: ConformanceTolerances = {
  value: { atol: 1e-5, rtol: 1e-5 },
  gradient: { atol: 1e-4, rtol: 1e-3 },
  reference: { atol: 1e-5, rtol: 1e-4 },
  fdStep: 1e-3,
};

/** What every part of the suite gets: lazy access to the backends (created in `beforeAll`) and tolerances. */
export interface SuiteContext {
  /** The backend under test. */
  backend(): TensorBackend;
  /** A second, independent instance of the backend under test (for mixing errors). */
  otherBackend(): TensorBackend;
  /** The float64 reference. */
  reference(): ReferenceBackend;
  readonly tolerance: ConformanceTolerances;
  /** Titles of the gradient checks that passed, printed at the end of the suite. */
  readonly passedGradientChecks: string[];
}

/** A tensor's values on the host, with its shape and dtype. */
export interface HostTensor {
  shape: number[];
  dtype: DType;
  values: number[];
}

/** Reads a tensor to the host and disposes it. */
export async function take(t: Tensor): Promise<HostTensor> {
  const values = Array.from(await t.data());
  const out = { shape: [...t.shape], dtype: t.dtype, values };
  t.dispose();
  return out;
}

/** Runs `fn` in a memory scope and reads its result to the host (the result is disposed). */
export async function evaluate(fn: () => Tensor): Promise<HostTensor> {
  return take(tidy(fn));
}

function isClose(actual: number, expected: number, tol: Tolerance): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= tol.atol + tol.rtol * Math.abs(expected);
}

/**
 * Asserts element-wise closeness; the failure message lists the first mismatches with their indices.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
  label = 'values',
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  const bad: string[] = [];
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!isClose(a, e, tol)) {
      worst = Math.max(worst, Math.abs(a - e));
      if (bad.length < 8) bad.push(`[${i}] got ${a}, expected ${e}`);
    }
  }
  if (bad.length > 0) {
    expect.fail(
      `${label}: mismatch beyond atol ${tol.atol} + rtol ${tol.rtol} (worst |Δ| ${worst}):\n  ${bad.join('\n  ')}`,
    );
  }
}

/** Asserts that a host tensor has the given shape, dtype and (close) values. */
export function expectTensor(
  actual: HostTensor,
  expected: { shape: readonly number[]; values: readonly number[]; dtype?: DType },
  tol: Tolerance,
): void {
  expect(actual.shape, 'shape').toEqual(expected.shape);
  expect(actual.dtype, 'dtype').toBe(expected.dtype ?? 'float32');
  if (actual.dtype === 'int32') expect(actual.values, 'int32 values').toEqual(expected.values);
  else expectClose(actual.values, expected.values, tol);
}

/** 0, 1, …, n − 1 as a plain array (handy for building test inputs). */
export function iota(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}
