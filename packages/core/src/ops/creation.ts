import type { DType, Shape, TensorBackend, TensorData } from '../backend/backend-spec.js';
import { InvalidArgumentError } from '../errors/tensor-errors.js';
import { assertValidShape, sizeOf } from '../tensor/shape-utils.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A tensor from host values. `values` may be a flat array or typed array; `shape` defaults to
 * `[values.length]`.
 *
 * @example
 * ```ts
 * const x = tensor(backend, [1, 2, 3, 4, 5, 6], [2, 3]);
 * const ids = tensor(backend, [5, 7], [2], 'int32');
 * ```
 */
export function tensor(
  backend: TensorBackend,
  values: ArrayLike<number>,
  shape?: Shape,
  dtype: DType = values instanceof Int32Array ? 'int32' : 'float32',
): Tensor {
  const s = shape ?? [values.length];
  assertValidShape('tensor', s);
  if (sizeOf(s) !== values.length) {
    throw new InvalidArgumentError(
      'tensor',
      'values',
      `${values.length} values`,
      `do not fill shape [${s.join(', ')}]`,
    );
  }
  const data: TensorData = dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values);
  return new Tensor(backend.write(data, s, dtype), [...s], dtype, backend);
}

/**
 * A tensor of `shape` filled with `value`.
 *
 * @example
 * ```ts
 * const mask = full(backend, [2, 2], -Infinity);
 * ```
 */
export function full(backend: TensorBackend, shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  assertValidShape('full', shape);
  return new Tensor(backend.fill(shape, value, dtype), [...shape], dtype, backend);
}

/**
 * A tensor of zeros.
 *
 * @example
 * ```ts
 * const z = zeros(backend, [3]);
 * ```
 */
export function zeros(backend: TensorBackend, shape: Shape, dtype: DType = 'float32'): Tensor {
  return full(backend, shape, 0, dtype);
}

/**
 * A tensor of ones.
 *
 * @example
 * ```ts
 * const o = ones(backend, [3]);
 * ```
 */
export function ones(backend: TensorBackend, shape: Shape, dtype: DType = 'float32'): Tensor {
  return full(backend, shape, 1, dtype);
}

/**
 * A rank-0 tensor.
 *
 * @example
 * ```ts
 * const two = scalar(backend, 2);
 * ```
 */
export function scalar(backend: TensorBackend, value: number, dtype: DType = 'float32'): Tensor {
  return full(backend, [], value, dtype);
}

/**
 * A tensor with the shape, dtype and backend of `like`, filled with `value`.
 *
 * @example
 * ```ts
 * const z = fullLike(x, 0);
 * ```
 */
export function fullLike(like: Tensor, value: number, dtype: DType = like.dtype): Tensor {
  return full(like.backend, like.shape, value, dtype);
}

/**
 * Ones shaped like `like`.
 *
 * @example
 * ```ts
 * const o = onesLike(x);
 * ```
 */
export function onesLike(like: Tensor): Tensor {
  return fullLike(like, 1);
}

/**
 * Zeros shaped like `like`.
 *
 * @example
 * ```ts
 * const z = zerosLike(x);
 * ```
 */
export function zerosLike(like: Tensor): Tensor {
  return fullLike(like, 0);
}

/**
 * `[start, start + 1, ..., end − 1]` as int32 (or float32).
 *
 * @example
 * ```ts
 * const pos = arange(backend, 0, 8); // int32 [0..7]
 * ```
 */
export function arange(backend: TensorBackend, start: number, end: number, dtype: DType = 'int32'): Tensor {
  const n = Math.max(0, end - start);
  const values = dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = start + i;
  return new Tensor(backend.write(values, [n], dtype), [n], dtype, backend);
}
