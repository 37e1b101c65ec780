import { allocLike, type Dense, type NumericArray } from './js-buffer.js';
import { sizeOf } from './shape.js';

/** Throws a RangeError naming the first index outside [0, n). */
function checkIndices(op: string, indices: Int32Array, n: number): void {
  for (let p = 0; p < indices.length; p++) {
    const v = indices[p];
    if (v < 0 || v >= n) {
      throw new RangeError(`${op}: index ${v} (at flat position ${p} of the indices) is out of range [0, ${n})`);
    }
  }
}

/**
 * NumPy's `take`: slices of `x` along `axis` at `indices`. x (A..., n, B...), indices (I...) int32 in
 * [0, n) → (A..., I..., B...). Negative indices are out of range (no wrap-around).
 *
 * @throws RangeError naming the first index outside [0, n).
 * @example
 * ```ts
 * const table = { data: new Float32Array([0, 1, 10, 11, 20, 21]), shape: [3, 2] };
 * gather(table, { data: new Int32Array([2, 0]), shape: [2] }, 0); // { data: [20, 21, 0, 1], shape: [2, 2] }
 * ```
 */
export function gather(x: Dense, indices: Dense<Int32Array>, axis: number): { data: NumericArray; shape: number[] } {
  const n = x.shape[axis];
  const idx = indices.data;
  checkIndices('gather', idx, n);
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const out = allocLike(x.data, sizeOf(shape));
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const m = idx.length;
  const src = x.data;
  // out[o, p, :] = x[o, idx[p], :]
  for (let o = 0; o < outer; o++) {
    for (let p = 0; p < m; p++) {
      const dst = (o * m + p) * inner;
      const from = (o * n + idx[p]) * inner;
      if (inner >= 32) out.set(src.subarray(from, from + inner), dst);
      else for (let j = 0; j < inner; j++) out[dst + j] = src[from + j];
    }
  }
  return { data: out, shape };
}

/**
 * The adjoint of {@link gather}: zeros of shape (A..., size, B...) into which each slice of `updates`
 * (A..., I..., B...) is added at `indices` (I...) along `axis`; repeated indices accumulate (int32 sums
 * wrap modulo 2³²). Float sums accumulate in the output's precision, as PyTorch's `index_add_`.
 *
 * @throws RangeError naming the first index outside [0, size).
 * @example
 * ```ts
 * const ones = { data: new Float32Array([1, 1, 1]), shape: [3] };
 * scatterAdd(ones, { data: new Int32Array([1, 1, 0]), shape: [3] }, 0, 3); // { data: [1, 2, 0], shape: [3] }
 * ```
 */
export function scatterAdd(
  updates: Dense,
  indices: Dense<Int32Array>,
  axis: number,
  size: number,
): { data: NumericArray; shape: number[] } {
  const idx = indices.data;
  checkIndices('scatterAdd', idx, size);
  const rankI = indices.shape.length;
  const shape = [...updates.shape.slice(0, axis), size, ...updates.shape.slice(axis + rankI)];
  const out = allocLike(updates.data, sizeOf(shape));
  const outer = sizeOf(updates.shape.slice(0, axis));
  const inner = sizeOf(updates.shape.slice(axis + rankI));
  const m = idx.length;
  const src = updates.data;
  const isInt = out instanceof Int32Array;
  // out[o, idx[p], :] += updates[o, p, :]
  for (let o = 0; o < outer; o++) {
    for (let p = 0; p < m; p++) {
      const from = (o * m + p) * inner;
      const dst = (o * size + idx[p]) * inner;
      if (isInt) for (let j = 0; j < inner; j++) out[dst + j] = (out[dst + j] + src[from + j]) | 0;
      else for (let j = 0; j < inner; j++) out[dst + j] += src[from + j];
    }
  }
  return { data: out, shape };
}
