import type { ReduceOp } from '@rlhf/core';
import { allocLike, type Dense, type NumericArray } from './js-buffer.js';
import { sizeOf, stridesOf } from './shape.js';
import { StridedWalk } from './strided-walk.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Folds one run of the input into the float64 accumulator. `sAcc` is 0 when the run lies along reduced
 * axes (fold into one scalar: the tight last-axis loop) and 1 when it lies along kept axes (fold
 * element-wise into a row of accumulators).
 */
type FoldLoop = (
  x: NumericArray,
  ix: number,
  sx: number,
  acc: Float64Array,
  ia: number,
  sAcc: number,
  n: number,
) => void;

const FOLDS: Record<'sum' | 'sumInt' | 'max' | 'min', FoldLoop> = {
  sum: (x, ix, sx, acc, ia, sAcc, n) => {
    if (sAcc === 0) {
      let s = 0;
      for (let i = 0; i < n; i++, ix += sx) s += x[ix];
      acc[ia] += s;
    } else {
      for (let i = 0; i < n; i++, ix += sx, ia += sAcc) acc[ia] += x[ix];
    }
  },
  // int32 sums wrap as C's 32-bit two's complement: reduce modulo 2³² after every addition.
  sumInt: (x, ix, sx, acc, ia, sAcc, n) => {
    if (sAcc === 0) {
      let s = acc[ia];
      for (let i = 0; i < n; i++, ix += sx) s = (s + x[ix]) | 0;
      acc[ia] = s;
    } else {
      for (let i = 0; i < n; i++, ix += sx, ia += sAcc) acc[ia] = (acc[ia] + x[ix]) | 0;
    }
  },
  // Math.max/min return NaN as soon as either argument is NaN, so NaN propagates (as torch.amax).
  max: (x, ix, sx, acc, ia, sAcc, n) => {
    if (sAcc === 0) {
      let m = acc[ia];
      for (let i = 0; i < n; i++, ix += sx) m = Math.max(m, x[ix]);
      acc[ia] = m;
    } else {
      for (let i = 0; i < n; i++, ix += sx, ia += sAcc) acc[ia] = Math.max(acc[ia], x[ix]);
    }
  },
  min: (x, ix, sx, acc, ia, sAcc, n) => {
    if (sAcc === 0) {
      let m = acc[ia];
      for (let i = 0; i < n; i++, ix += sx) m = Math.min(m, x[ix]);
      acc[ia] = m;
    } else {
      for (let i = 0; i < n; i++, ix += sx, ia += sAcc) acc[ia] = Math.min(acc[ia], x[ix]);
    }
  },
};

/** Identity of each reduction: Σ∅ = 0, max ∅ = −∞ (int32: −2³¹), min ∅ = +∞ (int32: 2³¹−1). */
function identity(op: ReduceOp, isInt: boolean): number {
  if (op === 'sum') return 0;
  if (op === 'max') return isInt ? INT32_MIN : Number.NEGATIVE_INFINITY;
  return isInt ? INT32_MAX : Number.POSITIVE_INFINITY;
}

/**
 * Reduces `x` over `axes` (sorted, unique) with sum, max or min, accumulating in float64. With
 * `keepDims` the reduced axes stay as size 1. Empty `axes` gives a copy; empty reductions give the
 * identity (see {@link identity}).
 *
 * @example
 * ```ts
 * reduce('sum', { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] }, [1], false);
 * // { data: Float32Array [6, 15], shape: [2] }
 * ```
 */
export function reduce(
  op: ReduceOp,
  x: Dense,
  axes: readonly number[],
  keepDims: boolean,
): { data: NumericArray; shape: number[] } {
  const reduced = x.shape.map((_, i) => axes.includes(i));
  const keptShape = x.shape.map((d, i) => (reduced[i] ? 1 : d));
  const shape = keepDims ? keptShape : x.shape.filter((_, i) => !reduced[i]);
  if (axes.length === 0) return { data: x.data.slice(), shape };
  const isInt = x.data instanceof Int32Array;
  const acc = new Float64Array(sizeOf(keptShape)).fill(identity(op, isInt));
  // Walk the input in memory order; the accumulator is addressed with stride 0 along reduced axes.
  const accStrides = stridesOf(keptShape).map((s, i) => (reduced[i] ? 0 : s));
  const walk = new StridedWalk(x.shape, [stridesOf(x.shape), accStrides]);
  const fold = FOLDS[op === 'sum' && isInt ? 'sumInt' : op];
  const n = walk.runLength;
  const [sx, sAcc] = walk.runStrides;
  const off = walk.offsets;
  for (let r = 0; r < walk.runs; r++) {
    fold(x.data, off[0], sx, acc, off[1], sAcc, n);
    walk.next();
  }
  const out = allocLike(x.data, acc.length);
  out.set(acc);
  return { data: out, shape };
}

/**
 * Index of the largest value along `axis` (removed) as int32. Ties keep the first index; NaN counts as
 * larger than every number, so the first NaN wins (as `torch.argmax`). The axis has size ≥ 1.
 *
 * @example
 * ```ts
 * argMax({ data: new Float32Array([1, 3, 3, 0]), shape: [2, 2] }, 1); // { data: Int32Array [1, 0], shape: [2] }
 * ```
 */
export function argMax(x: Dense, axis: number): { data: Int32Array; shape: number[] } {
  const n = x.shape[axis];
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const out = new Int32Array(outer * inner);
  const data = x.data;
  const shape = x.shape.filter((_, i) => i !== axis);
  if (inner === 1) {
    // Last (or only non-trivial) axis: one tight scan per row.
    for (let o = 0, base = 0; o < outer; o++, base += n) {
      let b = data[base];
      let bi = 0;
      for (let k = 1; k < n; k++) {
        const v = data[base + k];
        if (v > b || (Number.isNaN(v) && !Number.isNaN(b))) {
          b = v;
          bi = k;
        }
      }
      out[o] = bi;
    }
    return { data: out, shape };
  }
  // Otherwise sweep whole rows of the axis, keeping the best value of every column.
  const best = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let j = 0; j < inner; j++) best[j] = data[base + j];
    const idx = out.subarray(o * inner, (o + 1) * inner);
    // Row k replaces the best so far when strictly larger, or when it is the first NaN.
    for (let k = 1; k < n; k++) {
      const row = base + k * inner;
      for (let j = 0; j < inner; j++) {
        const v = data[row + j];
        const b = best[j];
        if (v > b || (Number.isNaN(v) && !Number.isNaN(b))) {
          best[j] = v;
          idx[j] = k;
        }
      }
    }
  }
  return { data: out, shape };
}
