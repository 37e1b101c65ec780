import { broadcastShapes } from './elementwise.js';
import type { Tfjs, TfTensor } from './tfjs-types.js';

/**
 * Below this many multiply-adds per batch entry (M·K·N), a batched product stays one call of tfjs's
 * batched kernel on wasm: measured here, 32 products of 128 × 64 × 128 took 85 ms batched against ~100 ms
 * as 32 slices and 2-D calls (each 2-D call on a new right operand pays ~1 ms for XNNPACK's operator).
 */
const SMALL_PRODUCT = 1 << 21;

const prod = (dims: readonly number[]): number => dims.reduce((n, d) => n * d, 1);

/** Swaps the last two axes (a materialised transpose). */
function swapLast(tf: Tfjs, t: TfTensor): TfTensor {
  const perm = t.shape.map((_, i) => i);
  perm[t.rank - 2] = t.rank - 1;
  perm[t.rank - 1] = t.rank - 2;
  return tf.transpose(t, perm);
}

/**
 * Batched matmul a (..., M, K) × b (..., K, N) → (broadcast batch..., M, N), `transposeA`/`transposeB`
 * reading a as (..., K, M) and b as (..., N, K).
 *
 * With `plain2d` (tfjs's wasm backend), every product is issued as 2-D, untransposed matMuls: tfjs 4.22's
 * wasm BatchMatMul reaches XNNPACK only for one batch with no transpose flag, and otherwise runs a naive
 * loop (measured here on a (1024, 256) × (256, 256) product: 12 GFLOP/s plain, 0.6–1.0 GFLOP/s transposed
 * or batched). So transposed operands are transposed in memory first; a b without batch (or with batch 1)
 * takes a's batch folded into its rows — (B·M, K) × (K, N), one call; other batched products run one
 * 2-D matMul per batch entry, unless each entry is small (see `SMALL_PRODUCT`). Without `plain2d`, tfjs's matMul does it all, after both operands are
 * broadcast to a common batch when their batch shapes differ (tfjs 4.22's cpu kernel mis-sizes the output
 * of a multi-dimensional batch broadcast such as [2, 1] × [2]).
 */
export function matmulKernel(
  tf: Tfjs,
  a: TfTensor,
  b: TfTensor,
  transposeA: boolean,
  transposeB: boolean,
  plain2d: boolean,
): TfTensor {
  const [batchA, batchB] = [a.shape.slice(0, -2), b.shape.slice(0, -2)];
  const batch = broadcastShapes(batchA, batchB);
  const m = a.shape[transposeA ? a.rank - 1 : a.rank - 2] as number;
  const n = b.shape[transposeB ? b.rank - 2 : b.rank - 1] as number;
  if (a.size === 0 || b.size === 0) return tf.zeros([...batch, m, n], 'float32'); // a sum over K = 0, or no rows
  const sameBatch = batchA.length === batchB.length && batchA.every((d, i) => d === batchB[i]);
  if (!plain2d && !transposeA && batchA.length > 0 && prod(batchB) === 1) {
    // b has no batch: fold a's batch into its rows, (B·M, K) × (K, N) — one 2-D product. On webgl
    // (SwiftShader), broadcasting b instead took 620 ms for the Llama's (8, 128, 256) × (688, 256)ᵀ against
    // 140 ms for a 2-D product of the same size.
    return tf.tidy(() => {
      const k = a.shape[a.rank - 1] as number;
      const b2 = tf.reshape(b, b.shape.slice(-2));
      return tf.reshape(tf.matMul(tf.reshape(a, [prod(batchA) * m, k]), b2, false, transposeB), [...batch, m, n]);
    });
  }
  if (!plain2d) {
    if (sameBatch) return tf.matMul(a, b, transposeA, transposeB);
    return tf.tidy(() => {
      const to = (t: TfTensor, own: number[]) =>
        own.length === batch.length && own.every((d, i) => d === batch[i])
          ? t
          : tf.broadcastTo(t, [...batch, ...t.shape.slice(-2)]);
      return tf.matMul(to(a, batchA), to(b, batchB), transposeA, transposeB);
    });
  }
  return tf.tidy(() => {
    const full = (t: TfTensor, own: number[]) =>
      own.length === batch.length && own.every((d, i) => d === batch[i])
        ? t
        : tf.broadcastTo(t, [...batch, ...t.shape.slice(-2)]);
    const k = a.shape[transposeA ? a.rank - 2 : a.rank - 1] as number;
    if (prod(batchB) !== 1 && m * k * n < SMALL_PRODUCT) {
      // Many small products (attention's scores and values): tfjs's batched kernel beats one call each.
      return tf.matMul(full(a, batchA), full(b, batchB), transposeA, transposeB);
    }
    const A = transposeA ? swapLast(tf, a) : a; // (..., M, K)
    const B = transposeB ? swapLast(tf, b) : b; // (..., K, N)
    if (prod(batchB) === 1) {
      // b has no batch: fold a's batch into its rows.
      const out = tf.matMul(tf.reshape(A, [prod(batchA) * m, k]), tf.reshape(B, [k, n]));
      return tf.reshape(out, [...batch, m, n]);
    }
    const nb = prod(batch);
    const as = tf.reshape(full(A, batchA), [nb, m, k]);
    const bs = tf.reshape(full(B, batchB), [nb, k, n]);
    const outs = Array.from({ length: nb }, (_, i) =>
      tf.matMul(
        tf.reshape(tf.slice(as, [i, 0, 0], [1, m, k]), [m, k]),
        tf.reshape(tf.slice(bs, [i, 0, 0], [1, k, n]), [k, n]),
      ),
    );
    return tf.reshape(tf.stack(outs), [...batch, m, n]);
  });
}
