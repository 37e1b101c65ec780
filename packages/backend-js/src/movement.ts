import { allocLike, type Dense, type NumericArray } from './js-buffer.js';
import { sizeOf, stridesOf } from './shape.js';
import { StridedWalk } from './strided-walk.js';
import { transposeInto } from './transpose.js';

/** Runs shorter than this are copied element by element; longer ones with `set` (a memcpy). */
const MEMCPY_MIN = 32;

/** Copies `n` contiguous elements `src[i…]` to `dst[o…]` (both arrays of the same kind). */
function copyRun(dst: NumericArray, o: number, src: NumericArray, i: number, n: number): void {
  if (n >= MEMCPY_MIN) dst.set(src.subarray(i, i + n), o);
  else for (let k = 0; k < n; k++) dst[o + k] = src[i + k];
}

/** Copies every run of `walk` from `src` (its operand 1) to `dst` (its operand 0), at any strides. */
function copyRuns(dst: NumericArray, src: NumericArray, walk: StridedWalk): void {
  const n = walk.runLength;
  const [sd, ss] = walk.runStrides;
  const off = walk.offsets;
  for (let r = 0; r < walk.runs; r++) {
    let o = off[0];
    let i = off[1];
    if (sd === 1 && ss === 1) copyRun(dst, o, src, i, n);
    else for (let k = 0; k < n; k++, o += sd, i += ss) dst[o] = src[i];
    walk.next();
  }
}

/**
 * Permutes axes: output axis i is input axis `perm[i]`. Swapping the last two axes (batched matrix
 * transpose) takes a cache-blocked path; everything else walks the output with permuted input strides.
 *
 * @example
 * ```ts
 * permute({ data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] }, [1, 0]);
 * // { data: [1, 4, 2, 5, 3, 6], shape: [3, 2] }
 * ```
 */
export function permute(x: Dense, perm: readonly number[]): { data: NumericArray; shape: number[] } {
  const shape = perm.map((a) => x.shape[a]);
  const out = allocLike(x.data, x.data.length);
  const r = perm.length;
  const swapsLastTwo =
    r >= 2 && perm[r - 2] === r - 1 && perm[r - 1] === r - 2 && perm.slice(0, r - 2).every((a, i) => a === i);
  if (swapsLastTwo) {
    const rows = x.shape[r - 2];
    const cols = x.shape[r - 1];
    const batch = sizeOf(x.shape.slice(0, r - 2));
    for (let b = 0; b < batch; b++) transposeInto(x.data, b * rows * cols, rows, cols, out, b * rows * cols);
    return { data: out, shape };
  }
  const inStrides = stridesOf(x.shape);
  copyRuns(out, x.data, new StridedWalk(shape, [stridesOf(shape), perm.map((a) => inStrides[a])]));
  return { data: out, shape };
}

/**
 * The block of `x` starting at `begin` with extent `size` (in bounds, one entry per axis).
 *
 * @example
 * ```ts
 * slice({ data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] }, [0, 1], [2, 2]); // [2, 3, 5, 6]
 * ```
 */
export function slice(x: Dense, begin: readonly number[], size: readonly number[]): NumericArray {
  const out = allocLike(x.data, sizeOf(size));
  const inStrides = stridesOf(x.shape);
  let start = 0;
  for (let i = 0; i < begin.length; i++) start += begin[i] * inStrides[i];
  copyRuns(out, x.data, new StridedWalk(size, [stridesOf(size), inStrides], [0, start]));
  return out;
}

/**
 * Joins arrays of one kind along `axis` (all other dimensions equal).
 *
 * @example
 * ```ts
 * const a = { data: new Float32Array([1, 2]), shape: [1, 2] };
 * const b = { data: new Float32Array([3, 4]), shape: [1, 2] };
 * concat([a, b], 1); // { data: [1, 2, 3, 4], shape: [1, 4] }
 * ```
 */
export function concat(xs: readonly Dense[], axis: number): { data: NumericArray; shape: number[] } {
  const first = xs[0];
  const shape = [...first.shape];
  shape[axis] = xs.reduce((n, x) => n + x.shape[axis], 0);
  const out = allocLike(first.data, sizeOf(shape));
  // Each input contributes a chunk of shape[axis]·inner elements to every one of the `outer` blocks.
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const outChunk = shape[axis] * inner;
  let offset = 0;
  for (const x of xs) {
    const chunk = x.shape[axis] * inner;
    for (let o = 0; o < outer; o++) copyRun(out, o * outChunk + offset, x.data, o * chunk, chunk);
    offset += chunk;
  }
  return { data: out, shape };
}

/**
 * Pads each axis with `paddings[i] = [before, after]` elements equal to `value`.
 *
 * @example
 * ```ts
 * pad({ data: new Float32Array([1, 2]), shape: [2] }, [[1, 2]], 0); // { data: [0, 1, 2, 0, 0], shape: [5] }
 * ```
 */
export function pad(
  x: Dense,
  paddings: readonly (readonly [number, number])[],
  value: number,
): { data: NumericArray; shape: number[] } {
  const shape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const out = allocLike(x.data, sizeOf(shape));
  if (value !== 0) out.fill(value);
  // Scatter x into the interior: walk x in order, writing at the padded output's strides.
  const outStrides = stridesOf(shape);
  let start = 0;
  for (let i = 0; i < shape.length; i++) start += paddings[i][0] * outStrides[i];
  copyRuns(out, x.data, new StridedWalk(x.shape, [outStrides, stridesOf(x.shape)], [start, 0]));
  return { data: out, shape };
}
