import { ShapeError } from '../errors/tensor-errors.js';
import { engine } from '../tensor/engine.js';
import { broadcastShapes } from '../tensor/shape-utils.js';
import type { Tensor } from '../tensor/tensor.js';
import { reshape } from './movement.js';
import { backendOf, expectFloat, wrap } from './op-utils.js';
import { unbroadcast } from './unbroadcast.js';

/**
 * Batched matrix product: a (..., M, K) · b (..., K, N) → (..., M, N). `transposeA` reads a as
 * (..., K, M); `transposeB` reads b as (..., N, K) (so `matmul(x, w, false, true)` is `x · wᵀ`, a
 * PyTorch `Linear`). Batch dimensions broadcast.
 *
 * Gradients (C = op(A)·op(B)): ∂A = ∂C·op(B)ᵀ, ∂B = op(A)ᵀ·∂C, mapped back through the transposes.
 *
 * @example
 * ```ts
 * const y = matmul(x, weight, false, true); // (B, T, in) · (out, in)ᵀ → (B, T, out)
 * ```
 */
export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  expectFloat('matmul', a, b);
  const backend = backendOf('matmul', [a, b]);
  if (a.rank < 2 || b.rank < 2) throw new ShapeError('matmul', [a.shape, b.shape], 'inputs need rank ≥ 2');
  const [m, ka] = transposeA ? [a.shape[a.rank - 1], a.shape[a.rank - 2]] : [a.shape[a.rank - 2], a.shape[a.rank - 1]];
  const [kb, n] = transposeB ? [b.shape[b.rank - 1], b.shape[b.rank - 2]] : [b.shape[b.rank - 2], b.shape[b.rank - 1]];
  if (ka !== kb) throw new ShapeError('matmul', [a.shape, b.shape], `inner dimensions ${ka} and ${kb} differ`);
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const shape = [...batch, m as number, n as number];
  const out = wrap(
    backend,
    backend.matmul(a.buffer('matmul'), b.buffer('matmul'), transposeA, transposeB),
    shape,
    'float32',
  );
  return engine.record(out, 'matmul', [a, b], (dc) => {
    let da: Tensor;
    let db: Tensor;
    // A weight shared by every batch entry (b of rank 2 under a batched a, as in `Linear`): its gradient,
    // Σ over the batch of per-entry products, is one product of the rows flattened across the batch —
    // a (..., M, K) → (R, K), ∂C (..., M, N) → (R, N) with R = the product of a's leading dimensions —
    // instead of a batched product the size of the batch that `unbroadcast` then sums.
    const flatRows = b.rank === 2 && a.rank > 2 && !transposeA;
    const rows = (t: Tensor) => reshape(t, [-1, t.shape[t.rank - 1] as number]);
    if (!transposeA && !transposeB) {
      da = matmul(dc, b, false, true); // ∂A = ∂C Bᵀ
      db = flatRows ? matmul(rows(a), rows(dc), true, false) : matmul(a, dc, true, false); // ∂B = Aᵀ ∂C
    } else if (!transposeA && transposeB) {
      da = matmul(dc, b, false, false); // C = A Bᵀ: ∂A = ∂C B
      db = flatRows ? matmul(rows(dc), rows(a), true, false) : matmul(dc, a, true, false); // ∂B = ∂Cᵀ A
    } else if (transposeA && !transposeB) {
      da = matmul(b, dc, false, true); // C = Aᵀ B: ∂A = B ∂Cᵀ
      db = matmul(a, dc, false, false); // ∂B = A ∂C
    } else {
      da = matmul(b, dc, true, true); // C = Aᵀ Bᵀ: ∂A = Bᵀ ∂Cᵀ
      db = matmul(dc, a, true, true); // ∂B = ∂Cᵀ Aᵀ
    }
    return [unbroadcast(da, a.shape), unbroadcast(db, b.shape)];
  });
}
