import { allocLike, type FloatArray } from '../js-buffer.js';

/**
 * SiLU / swish (Ramachandran et al. 2017), one pass: `yᵢ = xᵢ · σ(xᵢ) = xᵢ / (1 + e^(−xᵢ))`. Any shape →
 * same shape.
 *
 * @example
 * ```ts
 * silu(new Float32Array([0, 1])); // [0, 0.7311]
 * ```
 */
export function silu(x: FloatArray): FloatArray {
  const out = allocLike(x, x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    out[i] = v / (1 + Math.exp(-v));
  }
  return out;
}
