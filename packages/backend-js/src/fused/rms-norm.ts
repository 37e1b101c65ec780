import { allocLike, type Dense, type FloatArray } from '../js-buffer.js';

/**
 * RMSNorm over the last axis (Zhang & Sennrich 2019, eq. 4): `yᵢ = xᵢ / √(mean(x²) + eps) · wᵢ`.
 * x (..., D), weight (D) → (..., D). The mean of squares accumulates in float64.
 *
 * @example
 * ```ts
 * const x = { data: new Float32Array([3, 4]), shape: [2] };
 * rmsNorm(x, { data: new Float32Array([1, 1]), shape: [2] }, 0); // [3, 4] / √12.5
 * ```
 */
export function rmsNorm(x: Dense<FloatArray>, weight: Dense<FloatArray>, eps: number): FloatArray {
  const data = x.data;
  const w = weight.data;
  const d = w.length;
  const out = allocLike(data, data.length);
  if (d === 0) return out;
  for (let base = 0; base < data.length; base += d) {
    let ss = 0;
    for (let i = 0; i < d; i++) {
      const v = data[base + i];
      ss += v * v;
    }
    const r = 1 / Math.sqrt(ss / d + eps); // 1/√(mean(x²) + eps)
    for (let i = 0; i < d; i++) out[base + i] = data[base + i] * r * w[i];
  }
  return out;
}
