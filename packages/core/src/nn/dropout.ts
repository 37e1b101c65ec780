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
  /** Creates a dropout layer with drop probability `p` drawing its masks from `rng`. */
  constructor(
    backend: TensorBackend,
    /** Probability of zeroing an element (survivors are scaled by 1 / (1 − p)). */
    readonly p: number,
    private readonly rng: Random,
  ) {
    super(backend);
  }

  /** In training mode with p > 0, drops elements and rescales; otherwise returns `x` unchanged. */
  forward(x: Tensor): Tensor {
    return this.training && this.p > 0 ? dropout(x, this.p, this.rng) : x;
  }
}
