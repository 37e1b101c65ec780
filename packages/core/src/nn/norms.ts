import type { TensorBackend } from '../backend/backend-spec.js';
import { ones, zeros } from '../ops/creation.js';
import { layerNorm, rmsNorm } from '../ops/normalization.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * RMSNorm with a learned scale `weight` (D) (Zhang & Sennrich 2019; Llama's `LlamaRMSNorm`).
 *
 * @example
 * ```ts
 * const norm = new RMSNorm(backend, 64, 1e-5);
 * const y = norm.forward(x); // (..., 64)
 * ```
 */
export class RMSNorm extends Module {
  /** The learned scale (D), initialised to ones. */
  readonly weight: Tensor;

  /** Creates an RMSNorm over the last `dim` features, its weight initialised to ones. */
  constructor(
    backend: TensorBackend,
    dim: number,
    /** Added to the mean square before the square root. */
    readonly eps = 1e-6,
  ) {
    super(backend);
    this.weight = this.registerParameter('weight', ones(backend, [dim]));
  }

  /** Normalises over the last axis and scales: (..., D) → (..., D). */
  forward(x: Tensor): Tensor {
    return rmsNorm(x, this.weight, this.eps);
  }
}

/**
 * LayerNorm with `weight` and `bias` (D) (Ba et al. 2016; GPT-2's `ln_1`, `ln_2`, `ln_f`).
 *
 * @example
 * ```ts
 * const ln = new LayerNorm(backend, 768, 1e-5);
 * const y = ln.forward(x);
 * ```
 */
export class LayerNorm extends Module {
  /** The learned scale (D), initialised to ones. */
  readonly weight: Tensor;
  /** The learned shift (D), initialised to zeros. */
  readonly bias: Tensor;

  /** Creates a LayerNorm over the last `dim` features, weight ones and bias zeros. */
  constructor(
    backend: TensorBackend,
    dim: number,
    /** Added to the variance before the square root. */
    readonly eps = 1e-5,
  ) {
    super(backend);
    this.weight = this.registerParameter('weight', ones(backend, [dim]));
    this.bias = this.registerParameter('bias', zeros(backend, [dim]));
  }

  /** Normalises over the last axis, scales and shifts: (..., D) → (..., D). */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.weight, this.bias, this.eps);
  }
}
