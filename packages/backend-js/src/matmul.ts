import { gemmNT, gemmRowsNN } from './gemm.js';
import { allocLike, type Dense, type FloatArray } from './js-buffer.js';
import { broadcastShape, broadcastStrides, sizeOf } from './shape.js';
import { StridedWalk } from './strided-walk.js';
import { transposeInto } from './transpose.js';

/** Up to this many rows of op(A), A·B runs unpacked in i-k-j order instead of transposing B. */
const ROWS_NN_MAX = 2;

/**
 * Batched matrix product a (..., M, K) · b (..., K, N) → (..., M, N); `transposeA` reads a as
 * (..., K, M) and `transposeB` reads b as (..., N, K). Leading dimensions broadcast (NumPy `matmul`).
 *
 * Every product is brought to the form A·Bᵀ with both operands row-major over K ("packing": A is
 * transposed when `transposeA`, B when not `transposeB`, each with a cache-blocked transpose costing
 * O(MK + KN) against the product's O(MNK)) and computed by {@link gemmNT}. A packed B is reused across
 * batches that broadcast it. Accumulation is float64.
 *
 * @example
 * ```ts
 * const a = { data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] };
 * matmul(a, a, false, true); // a·aᵀ = { data: [5, 11, 11, 25], shape: [2, 2] }
 * ```
 */
export function matmul(
  a: Dense<FloatArray>,
  b: Dense<FloatArray>,
  transposeA: boolean,
  transposeB: boolean,
): { data: FloatArray; shape: number[] } {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShape(batchA, batchB);
  const shape = [...batch, M, N];
  const out = allocLike(a.data, sizeOf(shape));
  if (out.length === 0 || K === 0) return { data: out, shape }; // an empty sum is 0

  const sizeA = M * K;
  const sizeB = K * N;
  const sizeC = M * N;
  const unpackedNN = !transposeB && M <= ROWS_NN_MAX;
  const packA = transposeA && !unpackedNN ? allocLike(a.data, sizeA) : null;
  const packB = !transposeB && !unpackedNN ? allocLike(b.data, sizeB) : null;
  let packedBFrom = -1;

  const walk = new StridedWalk(batch, [
    broadcastStrides(batch, batch).map((s) => s * sizeC),
    broadcastStrides(batchA, batch).map((s) => s * sizeA),
    broadcastStrides(batchB, batch).map((s) => s * sizeB),
  ]);
  const [sc, sa, sb] = walk.runStrides;
  for (let r = 0; r < walk.runs; r++) {
    for (let t = 0; t < walk.runLength; t++) {
      const cOff = walk.offsets[0] + t * sc;
      const aOff = walk.offsets[1] + t * sa;
      const bOff = walk.offsets[2] + t * sb;
      if (unpackedNN) {
        // op(A)[i, k] = A[i·K + k], or A[k·M + i] when transposed.
        const [rowStride, colStride] = transposeA ? [1, M] : [K, 1];
        gemmRowsNN(a.data, aOff, rowStride, colStride, b.data, bOff, out, cOff, M, N, K);
        continue;
      }
      let aRows: FloatArray = a.data;
      let aStart = aOff;
      if (packA) {
        transposeInto(a.data, aOff, K, M, packA, 0); // (K, M) → (M, K)
        aRows = packA;
        aStart = 0;
      }
      let bRows: FloatArray = b.data;
      let bStart = bOff;
      if (packB) {
        if (packedBFrom !== bOff) transposeInto(b.data, bOff, K, N, packB, 0); // (K, N) → (N, K)
        packedBFrom = bOff;
        bRows = packB;
        bStart = 0;
      }
      gemmNT(aRows, aStart, bRows, bStart, out, cOff, M, N, K);
    }
    walk.next();
  }
  return { data: out, shape };
}
