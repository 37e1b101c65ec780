import type { ReduceOp } from '../backend/backend-spec.js';
import { DTypeError, InvalidArgumentError } from '../errors/tensor-errors.js';
import { engine } from '../tensor/engine.js';
import { normalizeAxes, normalizeAxis, reducedShape, sizeOf } from '../tensor/shape-utils.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast, compare, div, mul } from './elementwise.js';
import { broadcastTo, reshape } from './movement.js';
import { wrap } from './op-utils.js';

/** Axes argument of reductions: one axis, a list, or `undefined` for all axes. Negative axes count from the end. */
export type Axes = number | readonly number[] | undefined;

/** Applies a reduction primitive over `axes`, recording its gradient rule. */
export function reduce(op: ReduceOp, x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = normalizeAxes(op, axes, x.rank);
  const shape = reducedShape(x.shape, ax, keepDims);
  const y = wrap(x.backend, x.backend.reduce(op, x.buffer(op), ax, keepDims), shape, x.dtype);
  if (x.dtype === 'float32') {
    engine.record(y, op, [x], (dy) => {
      const kept = reducedShape(x.shape, ax, true);
      const g = broadcastTo(reshape(dy, kept), x.shape);
      if (op === 'sum') return [g];
      // max/min: the gradient is shared evenly among the elements equal to the extreme (as torch.amax).
      const hit = cast(compare('equal', x, broadcastTo(reshape(y, kept), x.shape)), 'float32');
      const count = broadcastTo(reduce('sum', hit, ax, true), x.shape);
      return [div(mul(g, hit), count)];
    });
  }
  return y;
}

/**
 * Sum over `axes` (all by default).
 *
 * @example
 * ```ts
 * const rowSums = sum(x, -1); // (B, T) → (B)
 * ```
 */
export function sum(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return reduce('sum', x, axes, keepDims);
}

/**
 * Maximum over `axes` (all by default); NaN propagates.
 *
 * @example
 * ```ts
 * const m = max(logits, -1, true);
 * ```
 */
export function max(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return reduce('max', x, axes, keepDims);
}

/**
 * Minimum over `axes` (all by default); NaN propagates.
 *
 * @example
 * ```ts
 * const m = min(x);
 * ```
 */
export function min(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return reduce('min', x, axes, keepDims);
}

/**
 * Arithmetic mean over `axes` (all by default), float32.
 *
 * @example
 * ```ts
 * const avg = mean(x, -1, true);
 * ```
 */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  if (x.dtype !== 'float32') throw new DTypeError('mean', [x.dtype], 'float32');
  const ax = normalizeAxes('mean', axes, x.rank);
  const n = sizeOf(ax.map((a) => x.shape[a] as number));
  return mul(sum(x, ax, keepDims), 1 / n);
}

/**
 * Index of the largest value along `axis` (removed from the shape), int32. Ties → first index.
 *
 * @example
 * ```ts
 * const next = argMax(logits, -1); // greedy decoding
 * ```
 */
export function argMax(x: Tensor, axis = -1): Tensor {
  const a = normalizeAxis('argMax', axis, x.rank);
  if (x.shape[a] === 0) throw new InvalidArgumentError('argMax', 'axis', axis, 'has size 0');
  return wrap(x.backend, x.backend.argMax(x.buffer('argMax'), a), reducedShape(x.shape, [a], false), 'int32');
}
