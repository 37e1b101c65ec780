import type { Shape } from '../backend/backend-spec.js';
import { noGrad, tidy } from '../tensor/engine.js';
import { Tensor } from '../tensor/tensor.js';
import type { ReferenceBackend } from './context.js';

/** A function of float tensors to one float tensor, built from core ops (runs on any backend). */
export type TensorFunction = (xs: Tensor[]) => Tensor;

/** One float input of a {@link TensorFunction}: values (any precision) and shape. */
export interface FunctionInput {
  /** The input's values, row-major. */
  values: ArrayLike<number>;
  /** The input's shape. */
  shape: Shape;
}

/**
 * Evaluates `f` on the float64 reference: every input is written without rounding, the output is read at
 * full precision. Runs with the tape off in a memory scope, so it leaves nothing behind.
 *
 * @example
 * ```ts
 * const y = evaluateFloat64(ref, ([x]) => exp(x), [{ values: [1], shape: [1] }]); // Float64Array [2.718281828459045]
 * ```
 */
export function evaluateFloat64(
  ref: ReferenceBackend,
  f: TensorFunction,
  inputs: readonly FunctionInput[],
): Float64Array {
  return tidy(() =>
    noGrad(() => {
      const xs = inputs.map(
        ({ values, shape }) =>
          new Tensor(ref.writeFloat64(Float64Array.from(values), shape), [...shape], 'float32', ref),
      );
      const y = f(xs);
      return ref.readFloat64(y.buffer('evaluateFloat64'));
    }),
  );
}

/**
 * Central finite differences of `F(x) = Σ f(x) ⊙ weight`, in float64 on the reference:
 * `∂F/∂xᵢ ≈ (F(x + h eᵢ) − F(x − h eᵢ)) / 2h`, for every element of every input. The truncation error is
 * O(h²·F‴), about 1e-7 for smooth functions at the default h = 1e-3; rounding error is negligible in
 * float64. Keep inputs further than `h` from kinks (|x| for abs/relu, ties for max/min).
 *
 * @example
 * ```ts
 * const [gx] = finiteDifferenceGradient(ref, ([x]) => square(x), [{ values: [3], shape: [1] }], [1], 1e-3);
 * // gx ≈ Float64Array [6]
 * ```
 */
export function finiteDifferenceGradient(
  ref: ReferenceBackend,
  f: TensorFunction,
  inputs: readonly FunctionInput[],
  weight: ArrayLike<number>,
  h: number,
): Float64Array[] {
  const base = inputs.map(({ values, shape }) => ({ values: Float64Array.from(values), shape }));
  const objective = (): number => {
    const y = evaluateFloat64(ref, f, base);
    let total = 0;
    for (let i = 0; i < y.length; i++) total += (y[i] as number) * (weight[i] as number);
    return total;
  };
  return base.map(({ values }) => {
    const grad = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const x0 = values[i] as number;
      values[i] = x0 + h;
      const up = objective();
      values[i] = x0 - h;
      const down = objective();
      values[i] = x0;
      grad[i] = (up - down) / (2 * h);
    }
    return grad;
  });
}
