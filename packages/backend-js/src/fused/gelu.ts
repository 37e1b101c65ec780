import { allocLike, type FloatArray } from '../js-buffer.js';

/** √(2/π). */
const K = Math.sqrt(2 / Math.PI);

/**
 * GELU, tanh approximation (Hendrycks & Gimpel 2016, §2; GPT-2's `gelu_new`), one pass:
 * `yᵢ = 0.5·xᵢ·(1 + tanh(√(2/π)·(xᵢ + 0.044715·xᵢ³)))`. Any shape → same shape.
 *
 * @example
 * ```ts
 * gelu(new Float32Array([0, 1])); // [0, 0.8412]
 * ```
 */
export function gelu(x: FloatArray): FloatArray {
  const out = allocLike(x, x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    out[i] = 0.5 * v * (1 + Math.tanh(K * (v + 0.044715 * v * v * v)));
  }
  return out;
}
