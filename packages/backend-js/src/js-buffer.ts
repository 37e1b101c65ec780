import type { BackendBuffer, DType } from '@rlhf/core';

/**
 * Storage of a float tensor: `Float32Array`, or `Float64Array` in the float64 oracle mode.
 *
 * @example
 * ```ts
 * const data: FloatArray = new Float64Array([0.1]);
 * ```
 */
export type FloatArray = Float32Array | Float64Array;

/**
 * Storage of any tensor held by the JS backend (`Int32Array` for int32).
 *
 * @example
 * ```ts
 * const ids: NumericArray = new Int32Array([1, 2]);
 * ```
 */
export type NumericArray = FloatArray | Int32Array;

/**
 * A dense row-major array with its shape: what every kernel of this package takes and returns.
 *
 * @example
 * ```ts
 * const x: Dense = { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] };
 * ```
 */
export interface Dense<T extends NumericArray = NumericArray> {
  /** Values in row-major (C) order; `data.length` is the product of `shape`. */
  readonly data: T;
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
}

/**
 * Reference count of one typed array shared by several handles (e.g. a tensor and its reshape). Buffers
 * are immutable, so sharing is safe; the count only keeps `liveBytes` exact.
 *
 * @example
 * ```ts
 * const storage: SharedStorage = { refs: 1, bytes: data.byteLength };
 * ```
 */
export interface SharedStorage {
  /** Live handles holding the array. */
  refs: number;
  /** Size of the array in bytes. */
  readonly bytes: number;
}

/**
 * A buffer of the JS backend: a typed array, its shape and dtype. Opaque to core.
 *
 * @example
 * ```ts
 * const buf = backend.write(new Float32Array([1, 2]), [2], 'float32') as JsBuffer;
 * buf.data; // Float32Array [1, 2]
 * ```
 */
export class JsBuffer implements BackendBuffer, Dense {
  /** Brand of core's opaque buffer type (never set at runtime). */
  declare readonly __backendBuffer?: true;
  /** True once {@link JsBackend.dispose} released this handle. */
  disposed = false;

  /** Wraps row-major values of the given shape and dtype as a buffer of a JS backend (no copy). */
  constructor(
    /** Values, row-major. Never mutated after creation. */
    readonly data: NumericArray,
    /** Dimensions, outermost first. */
    readonly shape: readonly number[],
    /** Element type as core sees it (a `Float64Array` still holds a `float32` tensor). */
    readonly dtype: DType,
    /** Shared reference count of `data`. */
    readonly storage: SharedStorage,
  ) {}
}

/**
 * The dtype core sees for a typed array: `Int32Array` is `int32`, any float array is `float32`.
 *
 * @example
 * ```ts
 * dtypeOf(new Float64Array(1)); // 'float32'
 * ```
 */
export function dtypeOf(data: NumericArray): DType {
  return data instanceof Int32Array ? 'int32' : 'float32';
}

/**
 * A zeroed array of the same kind as `like` with `n` elements.
 *
 * @example
 * ```ts
 * allocLike(new Float64Array(2), 5); // Float64Array(5) [0, 0, 0, 0, 0]
 * ```
 */
export function allocLike<T extends NumericArray>(like: T, n: number): T {
  const Ctor = like.constructor as new (length: number) => T;
  return new Ctor(n);
}
