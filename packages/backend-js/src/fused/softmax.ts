import { allocLike, type Dense, type FloatArray } from '../js-buffer.js';

/**
 * Softmax over the last axis, numerically stable: `yᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m)` with m = max(x)
 * (Goodfellow et al., Deep Learning §4.1; the exponent is ≤ 0, so nothing overflows). Sums in float64.
 * A row that is all −∞ gives NaN, as the composition of primitives does.
 *
 * @example
 * ```ts
 * softmax({ data: new Float32Array([0, Math.log(3)]), shape: [2] }); // [0.25, 0.75]
 * ```
 */
export function softmax(x: Dense<FloatArray>): FloatArray {
  const data = x.data;
  const d = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
  const out = allocLike(data, data.length);
  const e = new Float64Array(d); // this row's exponentials, unrounded
  for (let base = 0; base < data.length; base += d) {
    let m = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < d; i++) m = Math.max(m, data[base + i]);
    let s = 0;
    for (let i = 0; i < d; i++) {
      const v = Math.exp(data[base + i] - m);
      e[i] = v;
      s += v;
    }
    for (let i = 0; i < d; i++) out[base + i] = e[i] / s;
  }
  return out;
}

/**
 * Log-softmax over the last axis: `yᵢ = xᵢ − m − log Σⱼ exp(xⱼ − m)` with m = max(x) (the log-sum-exp
 * trick). Sums in float64.
 *
 * @example
 * ```ts
 * logSoftmax({ data: new Float32Array([0, 0]), shape: [2] }); // [−ln 2, −ln 2]
 * ```
 */
export function logSoftmax(x: Dense<FloatArray>): FloatArray {
  const data = x.data;
  const d = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
  const out = allocLike(data, data.length);
  for (let base = 0; base < data.length; base += d) {
    const end = base + d;
    let m = Number.NEGATIVE_INFINITY;
    for (let i = base; i < end; i++) m = Math.max(m, data[i]);
    let s = 0;
    for (let i = base; i < end; i++) s += Math.exp(data[i] - m);
    const logS = Math.log(s);
    for (let i = base; i < end; i++) out[i] = data[i] - m - logS;
  }
  return out;
}
