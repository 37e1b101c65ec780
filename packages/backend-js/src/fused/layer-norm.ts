import { allocLike, type Dense, type FloatArray } from '../js-buffer.js';

/**
 * LayerNorm over the last axis (Ba et al. 2016, eq. 4): `yᵢ = (xᵢ − μ) / √(σ² + eps) · wᵢ + bᵢ` with
 * μ = mean(x) and the biased variance σ² = mean((x − μ)²), computed in two passes in float64 (stable
 * where E[x²] − μ² would cancel). x (..., D), weight and bias (D) → (..., D).
 *
 * @example
 * ```ts
 * const ones = { data: new Float32Array([1, 1]), shape: [2] };
 * const zeros = { data: new Float32Array([0, 0]), shape: [2] };
 * layerNorm({ data: new Float32Array([1, 3]), shape: [2] }, ones, zeros, 0); // [−1, 1]
 * ```
 */
export function layerNorm(
  x: Dense<FloatArray>,
  weight: Dense<FloatArray>,
  bias: Dense<FloatArray>,
  eps: number,
): FloatArray {
  const data = x.data;
  const w = weight.data;
  const b = bias.data;
  const d = w.length;
  const out = allocLike(data, data.length);
  if (d === 0) return out;
  for (let base = 0; base < data.length; base += d) {
    let sum = 0;
    for (let i = 0; i < d; i++) sum += data[base + i];
    const mu = sum / d;
    let sq = 0;
    for (let i = 0; i < d; i++) {
      const c = data[base + i] - mu;
      sq += c * c;
    }
    const r = 1 / Math.sqrt(sq / d + eps); // 1/√(σ² + eps)
    for (let i = 0; i < d; i++) out[base + i] = (data[base + i] - mu) * r * w[i] + b[i];
  }
  return out;
}
