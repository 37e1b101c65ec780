import { ShapeError } from '../errors/tensor-errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul, rsqrt, sub } from './elementwise.js';
import { runFused } from './fused.js';
import { expectFloat } from './op-utils.js';
import { mean, sum } from './reduce.js';

function leadingAxes(x: Tensor): number[] {
  return x.shape.slice(0, -1).map((_, i) => i);
}

function checkLastDim(op: string, x: Tensor, ...params: Tensor[]): void {
  const d = x.shape[x.rank - 1];
  for (const p of params) {
    if (p.rank !== 1 || p.shape[0] !== d)
      throw new ShapeError(op, [x.shape, p.shape], 'parameter must be (D) with D = last dim');
  }
}

/**
 * RMSNorm (Zhang & Sennrich 2019, eq. 4; Llama): `y = x · r · w`, `r = 1/√(mean(x²) + eps)` over the last
 * axis. Gradient: `∂x = r·(∂y·w) − x·r³·mean(∂y·w·x)`, `∂w = Σ_rows ∂y·x·r`.
 * Shapes: x (..., D), weight (D) → (..., D).
 *
 * @example
 * ```ts
 * const h = rmsNorm(x, weight, 1e-5);
 * ```
 */
export function rmsNorm(x: Tensor, weight: Tensor, eps: number): Tensor {
  expectFloat('rmsNorm', x, weight);
  checkLastDim('rmsNorm', x, weight);
  const rstd = () => rsqrt(add(mean(mul(x, x), -1, true), eps)); // (..., 1)
  return runFused(
    'rmsNorm',
    [x, weight],
    (b) => b.fused.rmsNorm?.(x.buffer('rmsNorm'), weight.buffer('rmsNorm'), eps),
    () => mul(mul(x, rstd()), weight),
    (_y, dy) => {
      const r = rstd();
      const dyw = mul(dy, weight);
      const dx = sub(mul(dyw, r), mul(mul(x, mul(mul(r, r), r)), mean(mul(dyw, x), -1, true)));
      const dw = sum(mul(dy, mul(x, r)), leadingAxes(x));
      return [dx, dw];
    },
  );
}

/**
 * LayerNorm (Ba et al. 2016, eq. 4; GPT-2): `y = x̂·w + b`, `x̂ = (x − μ)·r`, `r = 1/√(σ² + eps)` with the
 * biased variance over the last axis. Gradient: `∂x = r·(g − mean(g) − x̂·mean(g·x̂))` with `g = ∂y·w`;
 * `∂w = Σ_rows ∂y·x̂`, `∂b = Σ_rows ∂y`. Shapes: x (..., D), weight and bias (D) → (..., D).
 *
 * @example
 * ```ts
 * const h = layerNorm(x, weight, bias, 1e-5);
 * ```
 */
export function layerNorm(x: Tensor, weight: Tensor, bias: Tensor, eps: number): Tensor {
  expectFloat('layerNorm', x, weight, bias);
  checkLastDim('layerNorm', x, weight, bias);
  const normalized = () => {
    const centered = sub(x, mean(x, -1, true));
    return mul(centered, rsqrt(add(mean(mul(centered, centered), -1, true), eps)));
  };
  return runFused(
    'layerNorm',
    [x, weight, bias],
    (b) => b.fused.layerNorm?.(x.buffer('layerNorm'), weight.buffer('layerNorm'), bias.buffer('layerNorm'), eps),
    () => add(mul(normalized(), weight), bias),
    (_y, dy) => {
      const centered = sub(x, mean(x, -1, true));
      const r = rsqrt(add(mean(mul(centered, centered), -1, true), eps));
      const xhat = mul(centered, r);
      const g = mul(dy, weight);
      const dx = mul(r, sub(sub(g, mean(g, -1, true)), mul(xhat, mean(mul(g, xhat), -1, true))));
      const lead = leadingAxes(x);
      return [dx, sum(mul(dy, xhat), lead), sum(dy, lead)];
    },
  );
}
