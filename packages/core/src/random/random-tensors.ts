import type { Shape, TensorBackend } from '../backend/backend-spec.js';
import { tensor } from '../ops/creation.js';
import { mul } from '../ops/elementwise.js';
import { sizeOf } from '../tensor/shape-utils.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Random } from './random.js';

/**
 * A float32 tensor of N(mean, std²) samples drawn from `rng` on the host.
 *
 * @example
 * ```ts
 * const w = randomNormal(backend, [256, 256], rng, 0, 0.02);
 * ```
 */
export function randomNormal(backend: TensorBackend, shape: Shape, rng: Random, mean = 0, std = 1): Tensor {
  return tensor(backend, rng.normals(sizeOf(shape), mean, std), shape);
}

/**
 * A float32 tensor of uniform samples in [low, high) drawn from `rng`.
 *
 * @example
 * ```ts
 * const w = randomUniform(backend, [4, 4], rng, -0.1, 0.1);
 * ```
 */
export function randomUniform(backend: TensorBackend, shape: Shape, rng: Random, low = 0, high = 1): Tensor {
  return tensor(backend, rng.uniforms(sizeOf(shape), low, high), shape);
}

/**
 * Inverted dropout (Srivastava et al. 2014): zeroes each element with probability `p` and scales the rest
 * by 1/(1−p), so the expectation is unchanged. The mask comes from `rng`. `p = 0` returns `x`.
 *
 * @example
 * ```ts
 * const h = dropout(x, 0.1, rng);
 * ```
 */
export function dropout(x: Tensor, p: number, rng: Random): Tensor {
  if (p <= 0) return x;
  const keepScale = 1 / (1 - p);
  const mask = new Float32Array(x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() >= p ? keepScale : 0;
  return mul(x, tensor(x.backend, mask, x.shape));
}
