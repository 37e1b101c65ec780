import { sizeOf, stridesOf } from '../tensor/shape-utils.js';

/** Plain host implementations used to compute expected values of shape-generic checks. */

/** Multi-index of flat position `flat` in `shape`. */
function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i] as number;
    idx[i] = flat % d;
    flat = Math.floor(flat / d);
  }
  return idx;
}

/** Flat position in `shape` of a (right-aligned, broadcast) multi-index of the output. */
function broadcastOffset(outIdx: readonly number[], shape: readonly number[]): number {
  const strides = stridesOf(shape);
  const lead = outIdx.length - shape.length;
  let off = 0;
  for (let i = 0; i < shape.length; i++) {
    if ((shape[i] as number) !== 1) off += (outIdx[lead + i] as number) * (strides[i] as number);
  }
  return off;
}

/** NumPy broadcast of `a` (shape sa) and `b` (shape sb) combined by `fn`, into `out` shape. */
export function hostBroadcast(
  a: readonly number[],
  sa: readonly number[],
  b: readonly number[],
  sb: readonly number[],
  out: readonly number[],
  fn: (x: number, y: number) => number,
): number[] {
  return Array.from({ length: sizeOf(out) }, (_, flat) => {
    const idx = unravel(flat, out);
    return fn(a[broadcastOffset(idx, sa)] as number, b[broadcastOffset(idx, sb)] as number);
  });
}

/** Output axis i is input axis perm[i]. */
export function hostPermute(x: readonly number[], shape: readonly number[], perm: readonly number[]): number[] {
  const outShape = perm.map((p) => shape[p] as number);
  const strides = stridesOf(shape);
  return Array.from({ length: x.length }, (_, flat) => {
    const idx = unravel(flat, outShape);
    let off = 0;
    perm.forEach((p, i) => {
      off += (idx[i] as number) * (strides[p] as number);
    });
    return x[off] as number;
  });
}

/** Sum over `axes` (keepDims layout: the result is row-major over the kept axes). */
export function hostSum(x: readonly number[], shape: readonly number[], axes: readonly number[]): number[] {
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Array<number>(sizeOf(outShape)).fill(0);
  for (let flat = 0; flat < x.length; flat++) {
    const idx = unravel(flat, shape);
    out[broadcastOffset(idx, outShape)] += x[flat] as number;
  }
  return out;
}

/** Plain triple-loop matrix product of row-major (m, k) and (k, n). */
export function hostMatmul(a: readonly number[], b: readonly number[], m: number, k: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[i * k + p] as number) * (b[p * n + j] as number);
      out[i * n + j] = s;
    }
  }
  return out;
}
