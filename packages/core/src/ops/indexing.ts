import { DTypeError, InvalidArgumentError } from '../errors/tensor-errors.js';
import { engine } from '../tensor/engine.js';
import { normalizeAxis } from '../tensor/shape-utils.js';
import type { Tensor } from '../tensor/tensor.js';
import { backendOf, wrap } from './op-utils.js';

/**
 * Takes slices of `x` along `axis` at int32 `indices` (NumPy's `take`):
 * x (A..., n, B...), indices (I...) → (A..., I..., B...). Gradient: {@link scatterAdd}.
 *
 * @example
 * ```ts
 * const h = gather(embedding, ids, 0); // (V, D) with (B, T) → (B, T, D)
 * ```
 */
export function gather(x: Tensor, indices: Tensor, axis = 0): Tensor {
  if (indices.dtype !== 'int32') throw new DTypeError('gather', [indices.dtype], 'int32 indices');
  const backend = backendOf('gather', [x, indices]);
  const a = normalizeAxis('gather', axis, x.rank);
  const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  const out = wrap(backend, backend.gather(x.buffer('gather'), indices.buffer('gather'), a), shape, x.dtype);
  const n = x.shape[a] as number;
  return engine.record(out, 'gather', [x], (dy) => [scatterAdd(dy, indices, a, n)]);
}

/**
 * The adjoint of {@link gather}: zeros of shape (A..., size, B...) with each slice of `updates`
 * (A..., I..., B...) added at `indices` (I...) along `axis`. Gradient: {@link gather}.
 *
 * @example
 * ```ts
 * const counts = scatterAdd(onesLike(ids), ids, 0, vocab); // token histogram (float32 ids ones)
 * ```
 */
export function scatterAdd(updates: Tensor, indices: Tensor, axis: number, size: number): Tensor {
  if (indices.dtype !== 'int32') throw new DTypeError('scatterAdd', [indices.dtype], 'int32 indices');
  if (!Number.isInteger(size) || size < 0)
    throw new InvalidArgumentError('scatterAdd', 'size', size, 'must be a non-negative integer');
  const backend = backendOf('scatterAdd', [updates, indices]);
  const a = normalizeAxis('scatterAdd', axis, updates.rank - indices.rank + 1);
  const shape = [...updates.shape.slice(0, a), size, ...updates.shape.slice(a + indices.rank)];
  const out = wrap(
    backend,
    backend.scatterAdd(updates.buffer('scatterAdd'), indices.buffer('scatterAdd'), a, size),
    shape,
    updates.dtype,
  );
  return engine.record(out, 'scatterAdd', [updates], (dy) => [gather(dy, indices, a)]);
}
