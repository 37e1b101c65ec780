import { DTypeError } from '../errors/tensor-errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, detach, div, exp, log, mul, sub } from './elementwise.js';
import { runFused } from './fused.js';
import { reshape } from './movement.js';
import { max, sum } from './reduce.js';

/**
 * Softmax over the last axis: `softmax(x)ᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m)`, m = max(x) for stability.
 * Gradient: `∂x = y ⊙ (∂y − Σ(∂y ⊙ y))` (row-wise). Shapes: (..., V) → (..., V).
 *
 * @example
 * ```ts
 * const probs = softmax(logits); // (B, T, V)
 * ```
 */
export function softmax(x: Tensor): Tensor {
  if (x.dtype !== 'float32') throw new DTypeError('softmax', [x.dtype], 'float32');
  return runFused(
    'softmax',
    [x],
    (b) => b.fused.softmax?.(x.buffer('softmax')),
    () => {
      const e = exp(sub(x, max(x, -1, true)));
      return div(e, sum(e, -1, true));
    },
    (y, dy) => [mul(y, sub(dy, sum(mul(dy, y), -1, true)))],
  );
}

/**
 * Log-softmax over the last axis: `x − m − log Σ exp(x − m)`. Gradient: `∂x = ∂y − exp(y) · Σ ∂y`.
 * Shapes: (..., V) → (..., V).
 *
 * @example
 * ```ts
 * const logp = logSoftmax(logits); // (B, T, V)
 * ```
 */
export function logSoftmax(x: Tensor): Tensor {
  if (x.dtype !== 'float32') throw new DTypeError('logSoftmax', [x.dtype], 'float32');
  return runFused(
    'logSoftmax',
    [x],
    (b) => b.fused.logSoftmax?.(x.buffer('logSoftmax')),
    () => {
      const shifted = sub(x, max(x, -1, true));
      return sub(shifted, log(sum(exp(shifted), -1, true)));
    },
    (y, dy) => [sub(dy, mul(exp(y), sum(dy, -1, true)))],
  );
}

/**
 * `log Σ exp(x)` over the last axis, stable: `m + log Σ exp(x − m)` with m = max(x) detached (its
 * gradient cancels exactly). Shapes: (..., V) → (...) (or (..., 1) with `keepDims`).
 *
 * @example
 * ```ts
 * const lse = logsumexp(logits); // (B, T, V) → (B, T)
 * ```
 */
export function logsumexp(x: Tensor, keepDims = false): Tensor {
  const m = detach(max(x, -1, true));
  const out = add(m, log(sum(exp(sub(x, m)), -1, true)));
  return keepDims ? out : reshape(out, out.shape.slice(0, -1));
}
