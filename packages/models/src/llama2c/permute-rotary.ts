import { RlhfError } from '@rlhf/core';

/**
 * Reorders the rows of a query or key projection from the interleaved rotary convention (Meta's Llama,
 * llama2.c: rotated pairs are rows `2i, 2i+1` of each head) to the rotate-half convention of Hugging Face
 * (pairs are rows `i, i + headSize/2`), exactly as `convert_llama_weights_to_hf.py` does:
 * `w.view(nHeads, rows / nHeads / 2, 2, cols).transpose(1, 2).reshape(rows, cols)`.
 *
 * @param weight - `(rows, cols)` row-major, `rows = nHeads × headSize`
 * @param nHeads - query heads for `q_proj`, key/value heads for `k_proj`
 *
 * @example
 * ```ts
 * // one head of size 4: rows [r0, r1, r2, r3] become [r0, r2, r1, r3]
 * permuteRotaryToHf(new Float32Array([0, 1, 2, 3]), 1, 4, 1); // Float32Array [0, 2, 1, 3]
 * ```
 */
export function permuteRotaryToHf(weight: Float32Array, nHeads: number, rows: number, cols: number): Float32Array {
  if (weight.length !== rows * cols || rows % (2 * nHeads) !== 0) {
    throw new RlhfError(
      'INVALID_ARGUMENT',
      `permuteRotaryToHf: ${weight.length} values cannot be (${rows}, ${cols}) split into ${nHeads} heads of even size.`,
    );
  }
  const headSize = rows / nHeads;
  const half = headSize / 2;
  const out = new Float32Array(weight.length);
  for (let h = 0; h < nHeads; h++) {
    for (let i = 0; i < half; i++) {
      for (let j = 0; j < 2; j++) {
        const from = h * headSize + 2 * i + j; // view index (h, i, j)
        const to = h * headSize + j * half + i; // after transpose(1, 2): (h, j, i)
        out.set(weight.subarray(from * cols, (from + 1) * cols), to * cols);
      }
    }
  }
  return out;
}
