import { zeros } from '../ops/creation.js';
import { add } from '../ops/elementwise.js';
import { matmul } from '../ops/matmul.js';
import type { Random } from '../random/random.js';
import { randomNormal } from '../random/random-tensors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TensorBackend } from '../backend/backend-spec.js';
import { Module } from './module.js';

/** Options of {@link Linear}. */
export interface LinearConfig {
  inFeatures: number;
  outFeatures: number;
  /** Add a bias. @defaultValue true */
  bias?: boolean;
  /** Std of the normal initialisation (Hugging Face's `initializer_range`). @defaultValue 0.02 */
  initStd?: number;
}

/**
 * `y = x·Wᵀ + b` with `weight` (out, in) and `bias` (out), as PyTorch's `nn.Linear`.
 * Shapes: x (..., in) → (..., out).
 *
 * @example
 * ```ts
 * const proj = new Linear(backend, { inFeatures: 64, outFeatures: 64, bias: false }, rng);
 * const y = proj.forward(x);
 * ```
 */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(backend: TensorBackend, readonly config: LinearConfig, rng: Random) {
    super(backend);
    this.weight = this.registerParameter(
      'weight',
      randomNormal(backend, [config.outFeatures, config.inFeatures], rng, 0, config.initStd ?? 0.02),
    );
    this.bias = config.bias === false ? null : this.registerParameter('bias', zeros(backend, [config.outFeatures]));
  }

  forward(x: Tensor): Tensor {
    const y = matmul(x, this.weight, false, true); // (..., in)·(out, in)ᵀ → (..., out)
    return this.bias ? add(y, this.bias) : y;
  }
}
