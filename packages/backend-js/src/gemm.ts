import type { FloatArray } from './js-buffer.js';

/**
 * Columns of C (rows of B) per cache block: 64 rows of B with K ≤ 4096 floats each stay in L2 while
 * every row pair of A streams past them.
 */
const COL_BLOCK = 64;

/**
 * C = A·Bᵀ for row-major A (M×K), B (N×K) and C (M×N), at the given offsets: every output is a dot
 * product of two contiguous rows, so the innermost loop walks memory with unit stride. Register
 * blocking: a 2×4 tile of C (8 float64 accumulators) per pass over k, which in V8 gives ~3 GFLOP/s on
 * one core (each loaded value feeds 2–4 multiply-adds). Sums accumulate in float64 and are rounded once
 * on store.
 *
 * @example
 * ```ts
 * const c = new Float32Array(1);
 * gemmNT(new Float32Array([1, 2]), 0, new Float32Array([3, 4]), 0, c, 0, 1, 1, 2); // c = [11]
 * ```
 */
export function gemmNT(
  A: FloatArray,
  aOff: number,
  B: FloatArray,
  bOff: number,
  C: FloatArray,
  cOff: number,
  M: number,
  N: number,
  K: number,
): void {
  for (let j0 = 0; j0 < N; j0 += COL_BLOCK) {
    const j1 = Math.min(N, j0 + COL_BLOCK);
    let i = 0;
    for (; i + 1 < M; i += 2) rowPair(A, aOff + i * K, B, bOff, C, cOff + i * N, N, K, j0, j1);
    if (i < M) singleRow(A, aOff + i * K, B, bOff, C, cOff + i * N, K, j0, j1);
  }
}

/** Rows i, i+1 of C over columns [j0, j1): 2×4 tiles, then 2×1 for the leftover columns. */
function rowPair(
  A: FloatArray,
  a0: number,
  B: FloatArray,
  bOff: number,
  C: FloatArray,
  c0: number,
  N: number,
  K: number,
  j0: number,
  j1: number,
): void {
  const a1 = a0 + K;
  const c1 = c0 + N;
  let j = j0;
  for (; j + 3 < j1; j += 4) {
    const b0 = bOff + j * K;
    const b1 = b0 + K;
    const b2 = b1 + K;
    const b3 = b2 + K;
    let s00 = 0,
      s01 = 0,
      s02 = 0,
      s03 = 0,
      s10 = 0,
      s11 = 0,
      s12 = 0,
      s13 = 0;
    for (let k = 0; k < K; k++) {
      const x0 = A[a0 + k];
      const x1 = A[a1 + k];
      const y0 = B[b0 + k];
      const y1 = B[b1 + k];
      const y2 = B[b2 + k];
      const y3 = B[b3 + k];
      s00 += x0 * y0;
      s01 += x0 * y1;
      s02 += x0 * y2;
      s03 += x0 * y3;
      s10 += x1 * y0;
      s11 += x1 * y1;
      s12 += x1 * y2;
      s13 += x1 * y3;
    }
    C[c0 + j] = s00;
    C[c0 + j + 1] = s01;
    C[c0 + j + 2] = s02;
    C[c0 + j + 3] = s03;
    C[c1 + j] = s10;
    C[c1 + j + 1] = s11;
    C[c1 + j + 2] = s12;
    C[c1 + j + 3] = s13;
  }
  for (; j < j1; j++) {
    const b = bOff + j * K;
    let s0 = 0;
    let s1 = 0;
    for (let k = 0; k < K; k++) {
      const y = B[b + k];
      s0 += A[a0 + k] * y;
      s1 += A[a1 + k] * y;
    }
    C[c0 + j] = s0;
    C[c1 + j] = s1;
  }
}

/** One row of C over columns [j0, j1): 1×4 tiles, then single dot products with 4-way unrolled k. */
function singleRow(
  A: FloatArray,
  a: number,
  B: FloatArray,
  bOff: number,
  C: FloatArray,
  c: number,
  K: number,
  j0: number,
  j1: number,
): void {
  let j = j0;
  for (; j + 3 < j1; j += 4) {
    const b0 = bOff + j * K;
    const b1 = b0 + K;
    const b2 = b1 + K;
    const b3 = b2 + K;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < K; k++) {
      const x = A[a + k];
      s0 += x * B[b0 + k];
      s1 += x * B[b1 + k];
      s2 += x * B[b2 + k];
      s3 += x * B[b3 + k];
    }
    C[c + j] = s0;
    C[c + j + 1] = s1;
    C[c + j + 2] = s2;
    C[c + j + 3] = s3;
  }
  for (; j < j1; j++) {
    const b = bOff + j * K;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let k = 0;
    for (; k + 3 < K; k += 4) {
      s0 += A[a + k] * B[b + k];
      s1 += A[a + k + 1] * B[b + k + 1];
      s2 += A[a + k + 2] * B[b + k + 2];
      s3 += A[a + k + 3] * B[b + k + 3];
    }
    for (; k < K; k++) s0 += A[a + k] * B[b + k];
    C[c + j] = s0 + s1 + (s2 + s3);
  }
}

/**
 * C = op(A)·B for a row-major B (K×N) without packing, in i-k-j order: for each row i, the float64
 * accumulator row gathers `A[i,k] · B[k,:]` for every k (contiguous, unit stride), then is stored to C.
 * Used when op(A) has so few rows that transposing B would cost as much as the product itself (e.g.
 * one token at a time in generation). A is read at `A[aOff + i·aRowStride + k·aColStride]`.
 *
 * @example
 * ```ts
 * const c = new Float32Array(2);
 * gemmRowsNN(new Float32Array([1, 2]), 0, 2, 1, new Float32Array([1, 0, 0, 1]), 0, c, 0, 1, 2, 2); // c = [1, 2]
 * ```
 */
export function gemmRowsNN(
  A: FloatArray,
  aOff: number,
  aRowStride: number,
  aColStride: number,
  B: FloatArray,
  bOff: number,
  C: FloatArray,
  cOff: number,
  M: number,
  N: number,
  K: number,
): void {
  const acc = new Float64Array(N);
  for (let i = 0; i < M; i++) {
    acc.fill(0);
    for (let k = 0; k < K; k++) {
      const x = A[aOff + i * aRowStride + k * aColStride];
      const row = bOff + k * N;
      for (let j = 0; j < N; j++) acc[j] += x * B[row + j];
    }
    const c = cOff + i * N;
    for (let j = 0; j < N; j++) C[c + j] = acc[j];
  }
}
