import { scalar } from '../ops/creation.js';
import { add, div, minimum, mul, sqrt } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { keep, noGrad, tidy } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Global-norm gradient clipping as `torch.nn.utils.clip_grad_norm_`: `n = √(Σ‖g‖²)` over every gradient;
 * each gradient is scaled by `min(1, maxNorm / (n + 1e-6))`. Runs on the device (no read). Returns the
 * norm before clipping as a scalar tensor the caller owns (read it when logging). `maxNorm ≤ 0` only
 * measures.
 *
 * @example
 * ```ts
 * const norm = clipGradNorm(model.parameters(), 1.0);
 * console.log(await norm.item());
 * norm.dispose();
 * ```
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number): Tensor {
  const grads = params.flatMap((p) => (p.grad ? [p] : []));
  return noGrad(() => {
    const norm = tidy(() => {
      let total: Tensor = scalar(params[0]?.backend ?? (grads[0] as Tensor).backend, 0);
      for (const p of grads) total = add(total, sum(mul(p.grad as Tensor, p.grad as Tensor)));
      return sqrt(total);
    });
    if (maxNorm > 0 && grads.length > 0) {
      const coef = tidy(() => minimum(div(maxNorm, add(norm, 1e-6)), 1));
      for (const p of grads) {
        const g = p.grad as Tensor;
        g.assign(mul(g, coef));
      }
      coef.dispose();
    }
    return keep(norm);
  });
}
