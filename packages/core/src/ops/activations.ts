import type { Tensor } from '../tensor/tensor.js';
import { abs, add, exp, log, minimum, mul, neg, sigmoid, tanh } from './elementwise.js';

/**
 * log σ(x), stable for large |x|: `min(x, 0) − log(1 + e^{−|x|})`.
 *
 * @example
 * ```ts
 * const loss = neg(logSigmoid(mul(margin, beta))); // DPO's sigmoid loss
 * ```
 */
export function logSigmoid(x: Tensor): Tensor {
  return add(minimum(x, 0), neg(log(add(exp(neg(abs(x))), 1))));
}

/**
 * SiLU / swish: `x · σ(x)` (Ramachandran et al. 2017; Llama's MLP activation).
 *
 * @example
 * ```ts
 * const h = mul(silu(gate), up); // SwiGLU
 * ```
 */
export function silu(x: Tensor): Tensor {
  return mul(x, sigmoid(x));
}

/**
 * GELU, tanh approximation (Hendrycks & Gimpel 2016, eq. in §2; GPT-2's `gelu_new`):
 * `0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 x³)))`.
 *
 * @example
 * ```ts
 * const h = gelu(fc(x));
 * ```
 */
export function gelu(x: Tensor): Tensor {
  const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return mul(mul(x, 0.5), add(tanh(inner), 1));
}
