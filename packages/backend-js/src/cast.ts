import type { DType } from '@rlhf/core';
import type { FloatArray, NumericArray } from './js-buffer.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Converts to `dtype`. float → int32 truncates toward zero (Math.trunc) with NaN → 0; values outside the
 * int32 range saturate to its ends (the rule of WGSL's `i32(f32)` and Rust's `as`; the spec leaves
 * them open). int32 → float rounds to nearest, ties to even (a Float32Array store is IEEE 754 roundTiesToEven).
 * A same-dtype cast is a copy.
 *
 * @example
 * ```ts
 * cast(new Float32Array([-1.7, 2.9, NaN]), 'int32', Float32Array); // Int32Array [-1, 2, 0]
 * ```
 */
export function cast(
  x: NumericArray,
  dtype: DType,
  FloatCtor: new (values: ArrayLike<number>) => FloatArray,
): NumericArray {
  if (dtype === 'float32') return x instanceof Int32Array ? new FloatCtor(x) : x.slice();
  if (x instanceof Int32Array) return x.slice();
  const out = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    // NaN fails both tests and lands in the last branch, where `| 0` maps it to 0.
    out[i] = v >= INT32_MAX ? INT32_MAX : v <= INT32_MIN ? INT32_MIN : v | 0;
  }
  return out;
}
