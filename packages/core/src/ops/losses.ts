import { DTypeError, ShapeError } from '../errors/tensor-errors.js';
import { engine, noGrad } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { arange } from './creation.js';
import { add, cast, div, exp, maximum, mul, neg, notEqual, where } from './elementwise.js';
import { gather, scatterAdd } from './indexing.js';
import { reshape } from './movement.js';
import { sum } from './reduce.js';
import { logSoftmax } from './softmax.js';

/**
 * Picks `x[..., index[...]]` along the last axis (PyTorch's `gather(-1, index)` with a size-1 index axis):
 * x (..., V), index (...) int32 → (...). Built from a flat `gather`, so its gradient is a scatter-add.
 *
 * @example
 * ```ts
 * const picked = takeAlongLastAxis(logp, targets); // (B, T, V), (B, T) → (B, T)
 * ```
 */
export function takeAlongLastAxis(x: Tensor, index: Tensor): Tensor {
  if (index.dtype !== 'int32') throw new DTypeError('takeAlongLastAxis', [index.dtype], 'int32 indices');
  const lead = x.shape.slice(0, -1);
  if (lead.length !== index.rank || lead.some((d, i) => d !== index.shape[i])) {
    throw new ShapeError('takeAlongLastAxis', [x.shape, index.shape], 'index must match x without its last axis');
  }
  const v = x.shape[x.rank - 1] as number;
  const rows = index.size;
  // flat position of (row r, column index[r]) = r·V + index[r]
  const flatIndex = add(mul(arange(x.backend, 0, rows), v), reshape(index, [rows]));
  const picked = gather(reshape(x, [rows * v]), flatIndex, 0);
  return reshape(picked, index.shape);
}

/**
 * Per-token log-probabilities of `targets` under `logits`: `log softmax(logits)[..., target]`.
 * logits (..., V) float32, targets (...) int32 → (...). Positions whose target is `ignoreIndex` get 0.
 *
 * @example
 * ```ts
 * const lp = tokenLogProbs(logits, labels); // (B, T, V), (B, T) → (B, T)
 * ```
 */
export function tokenLogProbs(logits: Tensor, targets: Tensor, ignoreIndex = -100): Tensor {
  const valid = notEqual(targets, ignoreIndex);
  const safeTargets = where(valid, targets, 0);
  return mul(pickedLogProbs(logits, safeTargets), cast(valid, 'float32'));
}

/**
 * `log softmax(logits)[..., target]`, logits (..., V), targets (...) → (...), with the gradient of the
 * composition `gather ∘ logSoftmax` written out: for the upstream g (one value per row),
 * `∂/∂logits = g·onehot(target) − g·softmax(logits)` — what the composition's rules give
 * (`dy − softmax·Σdy` with dy the one-hot scatter of g, whose row sum is g), operand for operand, so the
 * same values — computed as the scaled probabilities with g added at each target. The one-hot rows are
 * never materialised and summed: on the vocabulary-wide logits of a language model that is two passes
 * fewer over (rows, V), and a backend can add the scatter straight into the probabilities.
 */
function pickedLogProbs(logits: Tensor, targets: Tensor): Tensor {
  const logp = noGrad(() => logSoftmax(logits)); // (..., V)
  const picked = noGrad(() => takeAlongLastAxis(logp, targets)); // (...)
  return engine.record(picked, 'tokenLogProbs', [logits], (dy) => {
    const v = logits.shape[logits.rank - 1] as number;
    const rows = targets.size;
    const scaled = mul(exp(logp), reshape(neg(dy), [...targets.shape, 1])); // −g·softmax, (..., V)
    const flatIndex = add(mul(arange(logits.backend, 0, rows), v), reshape(targets, [rows]));
    const hits = reshape(scatterAdd(reshape(dy, [rows]), flatIndex, 0, rows * v), logits.shape); // g·onehot
    return [add(scaled, hits)];
  });
}

/** How {@link crossEntropy} reduces per-token losses. */
export type LossReduction = 'mean' | 'sum' | 'none';

/**
 * Cross-entropy of `targets` under `logits` (softmax over the last axis):
 * `ℓᵢ = −log softmax(logitsᵢ)[targetᵢ]`, positions with `targetᵢ = ignoreIndex` excluded.
 * `'mean'` divides the sum by the number of counted positions (at least 1), as PyTorch's
 * `F.cross_entropy(ignore_index=-100)`. logits (..., V), targets (...) → scalar (or (...) for `'none'`).
 *
 * @example
 * ```ts
 * const loss = crossEntropy(logits, labels); // mean over non-ignored tokens
 * ```
 */
export function crossEntropy(
  logits: Tensor,
  targets: Tensor,
  options: { ignoreIndex?: number; reduction?: LossReduction } = {},
): Tensor {
  const ignoreIndex = options.ignoreIndex ?? -100;
  const perToken = neg(tokenLogProbs(logits, targets, ignoreIndex));
  const reduction = options.reduction ?? 'mean';
  if (reduction === 'none') return perToken;
  const total = sum(perToken);
  if (reduction === 'sum') return total;
  const count = sum(cast(notEqual(targets, ignoreIndex), 'float32'));
  return div(total, maximum(count, 1));
}
