import type { Tensor } from '../tensor/tensor.js';
import { abs, add, exp, log, minimum, mul, neg, sigmoid, sub, tanh } from './elementwise.js';
import { runFused } from './fused.js';
import { expectFloat } from './op-utils.js';

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
 * SiLU / swish: `y = x · σ(x)` (Ramachandran et al. 2017; Llama's MLP activation). Runs as the backend's
 * fused `silu` kernel when offered. Gradient (core's rule, from the output y): `∂y/∂x = σ(x) + y·(1 − σ(x))`.
 *
 * @example
 * ```ts
 * const h = mul(silu(gate), up); // SwiGLU
 * ```
 */
export function silu(x: Tensor): Tensor {
  expectFloat('silu', x);
  return runFused(
    'silu',
    [x],
    (b) => b.fused.silu?.(x.buffer('silu')),
    () => mul(x, sigmoid(x)),
    (y, dy) => {
      const s = sigmoid(x);
      return [mul(dy, add(s, mul(y, sub(1, s))))];
    },
  );
}

/** √(2/π), GELU's tanh-approximation scale. */
const GELU_K = Math.sqrt(2 / Math.PI);
/** The cubic coefficient of GELU's tanh approximation. */
const GELU_C = 0.044715;

/**
 * GELU, tanh approximation (Hendrycks & Gimpel 2016, eq. in §2; GPT-2's `gelu_new`):
 * `0.5 · x · (1 + tanh(u))`, `u = √(2/π) · (x + 0.044715 x³)`. Runs as the backend's fused `gelu` kernel
 * when offered. Gradient (core's rule, fewer passes than differentiating the composition): with
 * `t = tanh(u)`, `∂y/∂x = 0.5(1 + t) + 0.5·x·(1 − t²)·u'` and `u' = √(2/π)(1 + 3·0.044715 x²)`, computed
 * as `(1 + t)·(0.5 + x(1 − t)·u'/2)`. Shapes: any → same.
 *
 * @example
 * ```ts
 * const h = gelu(fc(x));
 * ```
 */
export function gelu(x: Tensor): Tensor {
  expectFloat('gelu', x);
  const composed = () => {
    const inner = mul(add(x, mul(mul(mul(x, x), x), GELU_C)), GELU_K);
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  };
  return runFused(
    'gelu',
    [x],
    (b) => b.fused.gelu?.(x.buffer('gelu')),
    composed,
    (_y, dy) => {
      const x2 = mul(x, x);
      const t = tanh(mul(x, add(mul(x2, GELU_K * GELU_C), GELU_K))); // tanh(u), u = k·x·(1 + c·x²)
      const halfSlope = add(mul(x2, 1.5 * GELU_K * GELU_C), 0.5 * GELU_K); // u'/2
      const inner = add(mul(mul(x, sub(1, t)), halfSlope), 0.5); // 0.5 + x(1 − t)·u'/2
      return [mul(dy, mul(add(t, 1), inner))];
    },
  );
}
