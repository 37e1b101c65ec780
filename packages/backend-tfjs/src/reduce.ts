import type { ReduceOp } from '@rlhf/core';
import type { Tfjs, TfTensor } from './tfjs-types.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** The reduced shape: `axes` removed, or kept as size 1 with `keepDims`. */
function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/** The identity of a reduction over an empty set: 0 for sum, −∞/+∞ (or the int32 limits) for max/min. */
function emptyValue(op: ReduceOp, dtype: string): number {
  if (op === 'sum') return 0;
  if (dtype === 'int32') return op === 'max' ? INT32_MIN : INT32_MAX;
  return op === 'max' ? -Infinity : Infinity;
}

/**
 * `sum`/`max`/`min` over sorted, unique `axes`. An empty `axes` is a copy; an empty set of reduced
 * elements gives the reduction's identity (spec). `max`/`min` propagate NaN (spec): with `fixNaN` (the
 * active tfjs kernel skips NaN), a count of the NaNs over the same axes puts NaN back.
 */
export function reduceKernel(
  tf: Tfjs,
  op: ReduceOp,
  x: TfTensor,
  axes: readonly number[],
  keepDims: boolean,
  fixNaN: boolean,
): TfTensor {
  if (axes.length === 0) return tf.clone(x);
  const reducedCount = axes.reduce((n, a) => n * (x.shape[a] as number), 1);
  if (reducedCount === 0 || x.size === 0) {
    return tf.fill(reducedShape(x.shape, axes, keepDims), emptyValue(op, x.dtype), x.dtype as 'float32' | 'int32');
  }
  const ax = [...axes];
  if (op === 'sum') return tf.sum(x, ax, keepDims);
  const f = op === 'max' ? tf.max : tf.min;
  if (x.dtype === 'int32') return f(x, ax, keepDims);
  if (!fixNaN) return f(x, ax, keepDims);
  return tf.tidy(() => {
    const r = f(x, ax, keepDims);
    const nanCount = tf.sum(tf.cast(tf.isNaN(x), 'float32'), ax, keepDims);
    return tf.where(tf.greater(nanCount, 0), tf.fill(r.shape, Number.NaN), r);
  });
}

/**
 * Index of the largest value along `axis` (removed), int32; ties give the first index (tfjs's kernels
 * keep the first maximum); a NaN counts as larger than any number, the first NaN winning (spec): with
 * `fixNaN` (the active tfjs kernel skips NaN), where the axis holds a NaN, the arg-max of the NaN mask (its first 1) replaces tfjs's answer.
 */
export function argMaxKernel(tf: Tfjs, x: TfTensor, axis: number, fixNaN: boolean): TfTensor {
  if (x.dtype === 'int32' || !fixNaN) return tf.argMax(x, axis);
  return tf.tidy(() => {
    const mask = tf.cast(tf.isNaN(x), 'int32');
    const hasNaN = tf.greater(tf.max(mask, axis), 0);
    return tf.where(hasNaN, tf.argMax(mask, axis), tf.argMax(x, axis));
  });
}
