import type { AdamWHyper } from '@rlhf/core';
import { allocLike, type FloatArray } from '../js-buffer.js';

/**
 * One AdamW step (Loshchilov & Hutter 2019, Algorithm 2, in the form of `torch.optim.AdamW`'s
 * single-tensor implementation), element-wise on arrays of one shape:
 *
 * ```
 * p ← p · (1 − lr·wd)
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + eps)
 * ```
 *
 * which equals the spec's `p − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + eps)`. Returns new arrays
 * `[param, m, v]`; the inputs are not modified.
 *
 * @example
 * ```ts
 * const z = new Float32Array([0]);
 * const [p] = adamw(new Float32Array([1]), new Float32Array([1]), z, z,
 *   { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 0, weightDecay: 0, step: 1 }); // p = [0.9]
 * ```
 */
export function adamw(
  param: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  hyper: AdamWHyper,
): [FloatArray, FloatArray, FloatArray] {
  const { lr, beta1, beta2, eps, weightDecay, step } = hyper;
  const decay = 1 - lr * weightDecay;
  const stepSize = lr / (1 - beta1 ** step); // lr / bias correction 1
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step); // √(bias correction 2)
  const n = param.length;
  const p2 = allocLike(param, n);
  const m2 = allocLike(param, n);
  const v2 = allocLike(param, n);
  for (let i = 0; i < n; i++) {
    const g = grad[i];
    const mi = beta1 * m[i] + (1 - beta1) * g;
    const vi = beta2 * v[i] + (1 - beta2) * g * g;
    m2[i] = mi;
    v2[i] = vi;
    p2[i] = param[i] * decay - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
  return [p2, m2, v2];
}
