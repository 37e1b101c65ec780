import type { TensorBackend } from '../backend/backend-spec.js';
import type { Random } from '../random/random.js';
import { dropout } from '../random/random-tensors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * Inverted dropout, active only in training mode; masks come from the shared seeded generator.
 *
 * @example
 * ```ts
 * const drop = new Dropout(backend, 0.1, rng);
 * const y = drop.forward(x);
 * ```
 */
export class Dropout extends Module {
  constructor(
    backend: TensorBackend,
    readonly p: number,
    private readonly rng: Random,
  ) {
    super(backend);
  }

  forward(x: Tensor): Tensor {
    return this.training && this.p > 0 ? dropout(x, this.p, this.rng) : x;
  }
}
