import { allocLike, type Dense, type FloatArray } from '../js-buffer.js';

/**
 * Rotary embedding, rotate-half layout (Su et al. 2021, eq. 34; Hugging Face's `apply_rotary_pos_emb`):
 * for i < Dh/2, `yᵢ = xᵢ·cosᵢ − xᵢ₊h·sinᵢ` and `yᵢ₊h = xᵢ₊h·cosᵢ₊h + xᵢ·sinᵢ₊h` (h = Dh/2), i.e.
 * `x·cos + rotate_half(x)·sin`. x (B, H, T, Dh); cos and sin (B or 1, 1, T, Dh), broadcast over heads
 * (and over the batch when their first axis is 1) → (B, H, T, Dh). One pass, no temporaries.
 *
 * @example
 * ```ts
 * const x = { data: new Float32Array([1, 0]), shape: [1, 1, 1, 2] };
 * const c = { data: new Float32Array([0, 0]), shape: [1, 1, 1, 2] };
 * const s = { data: new Float32Array([1, 1]), shape: [1, 1, 1, 2] };
 * rotary(x, c, s); // [0, 1]: a quarter turn
 * ```
 */
export function rotary(x: Dense<FloatArray>, cos: Dense<FloatArray>, sin: Dense<FloatArray>): FloatArray {
  const [batch, heads, seqLen, headDim] = x.shape as [number, number, number, number];
  const tableBatch = cos.shape[0] as number;
  const half = headDim / 2;
  const xs = x.data;
  const c = cos.data;
  const s = sin.data;
  const out = allocLike(xs, xs.length);
  for (let b = 0; b < batch; b++) {
    const tableBase = tableBatch === 1 ? 0 : b * seqLen * headDim;
    for (let h = 0; h < heads; h++) {
      for (let t = 0; t < seqLen; t++) {
        const row = ((b * heads + h) * seqLen + t) * headDim;
        const tr = tableBase + t * headDim;
        for (let i = 0; i < half; i++) {
          const x1 = xs[row + i] as number;
          const x2 = xs[row + half + i] as number;
          out[row + i] = x1 * (c[tr + i] as number) - x2 * (s[tr + i] as number);
          out[row + half + i] = x2 * (c[tr + half + i] as number) + x1 * (s[tr + half + i] as number);
        }
      }
    }
  }
  return out;
}
