import { allocLike, type Dense, type NumericArray } from './js-buffer.js';
import { broadcastShape, broadcastStrides, sameShape, sizeOf, stridesOf } from './shape.js';
import { StridedWalk } from './strided-walk.js';

/**
 * Inner loop of a broadcast binary kernel over one run: for i < n,
 * `out[o + i] = f(a[ia + i·sa], b[ib + i·sb])`. Strides are 0 (broadcast) or the run's own stride.
 *
 * @example
 * ```ts
 * const add: BinaryRunLoop = (out, o, a, ia, sa, b, ib, sb, n) => {
 *   for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] + b[ib];
 * };
 * ```
 */
export type BinaryRunLoop = (
  out: NumericArray,
  o: number,
  a: NumericArray,
  ia: number,
  sa: number,
  b: NumericArray,
  ib: number,
  sb: number,
  n: number,
) => void;

/**
 * Applies `loop` over the NumPy broadcast of `a` and `b` into `out` (contiguous, broadcast shape).
 * Equal shapes, a scalar operand and a bias along the last axis all reduce to a few long runs; only
 * irregular broadcasts pay for the odometer between runs.
 *
 * @example
 * ```ts
 * const out = new Float32Array(6);
 * broadcastBinary(x, bias, out, [2, 3], add); // x (2, 3) + bias (3)
 * ```
 */
export function broadcastBinary(
  a: Dense,
  b: Dense,
  out: NumericArray,
  shape: readonly number[],
  loop: BinaryRunLoop,
): void {
  if (sameShape(a.shape, b.shape)) {
    loop(out, 0, a.data, 0, 1, b.data, 0, 1, out.length);
    return;
  }
  const walk = new StridedWalk(shape, [
    stridesOf(shape),
    broadcastStrides(a.shape, shape),
    broadcastStrides(b.shape, shape),
  ]);
  const n = walk.runLength;
  const [, sa, sb] = walk.runStrides;
  const off = walk.offsets;
  for (let r = 0; r < walk.runs; r++) {
    loop(out, off[0], a.data, off[1], sa, b.data, off[2], sb, n);
    walk.next();
  }
}

/**
 * Copies `x` broadcast to `shape` (NumPy rules; core has checked that it broadcasts).
 *
 * @example
 * ```ts
 * broadcastTo({ data: new Float32Array([1, 2]), shape: [2] }, [2, 2]); // [1, 2, 1, 2]
 * ```
 */
export function broadcastTo(x: Dense, shape: readonly number[]): NumericArray {
  const out = allocLike(x.data, sizeOf(shape));
  const walk = new StridedWalk(shape, [stridesOf(shape), broadcastStrides(x.shape, shape)]);
  const n = walk.runLength;
  const s = walk.runStrides[1];
  const off = walk.offsets;
  const src = x.data;
  for (let r = 0; r < walk.runs; r++) {
    const o = off[0];
    const i = off[1];
    if (s === 1) out.set(src.subarray(i, i + n), o);
    else if (s === 0) out.fill(src[i], o, o + n);
    else for (let k = 0; k < n; k++) out[o + k] = src[i + k * s];
    walk.next();
  }
  return out;
}

/**
 * `cond ? a : b` element-wise with all three broadcast together; `cond` is int32 (non-zero = true), the
 * output has the array kind of `a`.
 *
 * @example
 * ```ts
 * where(cond, a, b); // cond [1, 0], a [1, 2], b [9] → [1, 9]
 * ```
 */
export function where(cond: Dense<Int32Array>, a: Dense, b: Dense): { data: NumericArray; shape: number[] } {
  const shape = broadcastShape(cond.shape, a.shape, b.shape);
  const out = allocLike(a.data, sizeOf(shape));
  const walk = new StridedWalk(shape, [
    stridesOf(shape),
    broadcastStrides(cond.shape, shape),
    broadcastStrides(a.shape, shape),
    broadcastStrides(b.shape, shape),
  ]);
  const n = walk.runLength;
  const [, sc, sa, sb] = walk.runStrides;
  const off = walk.offsets;
  const c = cond.data;
  const x = a.data;
  const y = b.data;
  for (let r = 0; r < walk.runs; r++) {
    let o = off[0];
    let ic = off[1];
    let ia = off[2];
    let ib = off[3];
    for (let k = 0; k < n; k++) {
      out[o++] = c[ic] !== 0 ? x[ia] : y[ib];
      ic += sc;
      ia += sa;
      ib += sb;
    }
    walk.next();
  }
  return { data: out, shape };
}
