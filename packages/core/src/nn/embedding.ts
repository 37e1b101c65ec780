import type { TensorBackend } from '../backend/backend-spec.js';
import { gather } from '../ops/indexing.js';
import type { Random } from '../random/random.js';
import { randomNormal } from '../random/random-tensors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * A lookup table `weight` (V, D): ids (...) int32 → (..., D), as PyTorch's `nn.Embedding`.
 *
 * @example
 * ```ts
 * const embed = new Embedding(backend, 512, 64, rng);
 * const h = embed.forward(ids); // (B, T) → (B, T, 64)
 * ```
 */
export class Embedding extends Module {
  /** The embedding table (V, D), one row per token id. */
  readonly weight: Tensor;

  /** Creates a `numEmbeddings × embeddingDim` table on `backend`, initialised from N(0, `initStd`²) drawn from `rng`. */
  constructor(backend: TensorBackend, numEmbeddings: number, embeddingDim: number, rng: Random, initStd = 0.02) {
    super(backend);
    this.weight = this.registerParameter(
      'weight',
      randomNormal(backend, [numEmbeddings, embeddingDim], rng, 0, initStd),
    );
  }

  /** Looks up the rows of `ids` (`int32`, any shape): (...) → (..., D). */
  forward(ids: Tensor): Tensor {
    return gather(this.weight, ids, 0);
  }
}
