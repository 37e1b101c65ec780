import type { AdamWHyper } from '@rlhf/core';
import type { Tfjs, TfTensor } from './tfjs-types.js';

/**
 * Fused kernels on tfjs. Each runs inside one `tf.tidy` (intermediates freed at once) and costs core a
 * single tensor and tape node instead of the 3–12 of its composition. softmax and log-softmax are tfjs's
 * own kernels; the rest are short compositions of tfjs ops.
 */

/** Softmax over the last axis: exp(x − max) / Σ exp(x − max); x (..., D) → (..., D). tfjs's `softmax`. */
export function softmaxKernel(tf: Tfjs, x: TfTensor): TfTensor {
  if (x.size === 0) return tf.clone(x);
  return tf.softmax(x, -1);
}

/** Log-softmax over the last axis: x − max − log Σ exp(x − max); x (..., D) → (..., D). tfjs's `logSoftmax`. */
export function logSoftmaxKernel(tf: Tfjs, x: TfTensor): TfTensor {
  if (x.size === 0) return tf.clone(x);
  return tf.logSoftmax(x, -1);
}

/** RMSNorm (Zhang & Sennrich 2019, eq. 4): x / √(mean(x²) + eps) · weight; x (..., D), weight (D) → (..., D). */
export function rmsNormKernel(tf: Tfjs, x: TfTensor, weight: TfTensor, eps: number): TfTensor {
  return tf.tidy(() => tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))), weight));
}

/**
 * LayerNorm (Ba et al. 2016) with the biased variance: (x − mean) / √(var + eps) · weight + bias;
 * x (..., D), weight and bias (D) → (..., D).
 */
export function layerNormKernel(tf: Tfjs, x: TfTensor, weight: TfTensor, bias: TfTensor, eps: number): TfTensor {
  return tf.tidy(() => {
    const mean = tf.mean(x, -1, true);
    const centred = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centred), -1, true);
    return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, eps))), weight), bias);
  });
}

/**
 * Rotary embedding, rotate-half layout (Su et al. 2021, eq. 34; Hugging Face's `apply_rotary_pos_emb`):
 * with x = [x₁, x₂] (halves of the last axis) and c, s the first halves of cos and sin,
 * out = [x₁·c − x₂·s, x₂·c + x₁·s]. x (B, H, T, Dh); cos, sin (B or 1, 1, T, Dh) → (B, H, T, Dh).
 */
export function rotaryKernel(tf: Tfjs, x: TfTensor, cos: TfTensor, sin: TfTensor): TfTensor {
  return tf.tidy(() => {
    const dh = x.shape[x.rank - 1] as number;
    const half = dh / 2;
    const lastHalf = (t: TfTensor, start: number) => {
      const begin = t.shape.map(() => 0);
      const size = [...t.shape];
      begin[t.rank - 1] = start;
      size[t.rank - 1] = half;
      return tf.slice(t, begin, size);
    };
    const [x1, x2, c, s] = [lastHalf(x, 0), lastHalf(x, half), lastHalf(cos, 0), lastHalf(sin, 0)];
    return tf.concat([tf.sub(tf.mul(x1, c), tf.mul(x2, s)), tf.add(tf.mul(x2, c), tf.mul(x1, s))], -1);
  });
}

/** √(2/π), the constant of GELU's tanh approximation. */
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU, tanh approximation (Hendrycks & Gimpel 2016): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function geluKernel(tf: Tfjs, x: TfTensor): TfTensor {
  return tf.tidy(() => {
    const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
  });
}

/** SiLU / swish (Llama's MLP activation): x·σ(x), element-wise. */
export function siluKernel(tf: Tfjs, x: TfTensor): TfTensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

/**
 * One AdamW step (Loshchilov & Hutter 2019, Algorithm 2, as `torch.optim.AdamW` computes it), all four
 * tensors of one shape:
 * p ← p·(1 − lr·wd); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + eps). Returns new [param, m, v].
 */
export function adamwKernel(
  tf: Tfjs,
  param: TfTensor,
  grad: TfTensor,
  m: TfTensor,
  v: TfTensor,
  hyper: AdamWHyper,
): [TfTensor, TfTensor, TfTensor] {
  const { lr, beta1, beta2, eps, weightDecay, step } = hyper;
  const stepSize = lr / (1 - beta1 ** step);
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
  return tf.tidy(() => {
    const m2 = tf.add(tf.mul(m, beta1), tf.mul(grad, 1 - beta1));
    const v2 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(grad), 1 - beta2));
    const denom = tf.add(tf.div(tf.sqrt(v2), bc2Sqrt), eps);
    const p2 = tf.sub(tf.mul(param, 1 - lr * weightDecay), tf.div(tf.mul(m2, stepSize), denom));
    return [p2, m2, v2];
  });
}
