import { PRELUDE } from './wgsl-prelude.js';

/** Output rows and columns of one workgroup's tile. */
export const TILE = 64;
/** Depth of the K slice staged in workgroup memory per step. */
export const TILE_K = 16;

/**
 * Batched matmul C (…, M, N) = op(A) (…, M, K) · op(B) (…, K, N), op = transpose when the flag says so
 * (A stored as (…, K, M), B as (…, N, K)). Classic shared-memory tiling with register blocking:
 * a 16 × 16 workgroup computes a 64 × 64 tile of C, each invocation a 4 × 4 block held in registers
 * (rows ty + 16i, columns tx + 16j, so that neighbouring invocations read neighbouring shared words and
 * write neighbouring columns of C). Per step of 16 along K the workgroup stages A's 64 × 16 and B's
 * 16 × 64 slices in workgroup memory (8 KiB), each invocation loading 4 + 4 values with the index order
 * that makes consecutive invocations read consecutive addresses for the operand's layout (this is where
 * the transposes are handled: no transposed copy is ever made); zeros pad the edges. The K loop is the
 * same for every element, so results are deterministic and independent of the tiling of M and N.
 *
 * Batch: workgroup z is the output batch index, decomposed through the broadcast batch shape with A's and
 * B's batch strides (0 on a broadcast axis). Uniforms: 0 M, 1 N, 2 K, 8..15 batch shape, 16..23 A batch
 * strides, 24..31 B batch strides.
 */
export function matmulSource(transposeA: boolean, transposeB: boolean, batchRank: number): string {
  const aLoad = transposeA
    ? // A stored (K, M): consecutive invocations → consecutive m
      'let mm = e % 64u; let kk = e / 64u; let m = row0 + mm; let k = k0 + kk; var v = 0.0f; if (m < M && k < K) { v = A[aOff + k * M + m]; } As[kk * 64u + mm] = v;'
    : 'let kk = e % 16u; let mm = e / 16u; let m = row0 + mm; let k = k0 + kk; var v = 0.0f; if (m < M && k < K) { v = A[aOff + m * K + k]; } As[kk * 64u + mm] = v;';
  const bLoad = transposeB
    ? 'let kk = e % 16u; let nn = e / 16u; let n = col0 + nn; let k = k0 + kk; var v = 0.0f; if (n < N && k < K) { v = B[bOff + n * K + k]; } Bs[kk * 64u + nn] = v;'
    : 'let nn = e % 64u; let kk = e / 64u; let n = col0 + nn; let k = k0 + kk; var v = 0.0f; if (n < N && k < K) { v = B[bOff + k * N + n]; } Bs[kk * 64u + nn] = v;';
  return `${PRELUDE}
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
var<workgroup> As: array<f32, ${TILE * TILE_K}>;
var<workgroup> Bs: array<f32, ${TILE * TILE_K}>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
  let M = U(0u);
  let N = U(1u);
  let K = U(2u);
  let tx = lid3.x;
  let ty = lid3.y;
  let tid = ty * 16u + tx;
  let row0 = wid.y * 64u;
  let col0 = wid.x * 64u;
  var rem = wid.z;
  var aOff = 0u;
  var bOff = 0u;
  for (var d = ${batchRank - 1}; d >= 0; d--) {
    let s = U(8u + u32(d));
    let c = rem % s;
    rem = rem / s;
    aOff += c * U(16u + u32(d));
    bOff += c * U(24u + u32(d));
  }
  let cOff = wid.z * M * N;
  var acc: array<f32, 16>;
  for (var i = 0u; i < 16u; i++) { acc[i] = 0.0f; }
  for (var k0 = 0u; k0 < K; k0 += 16u) {
    for (var l = 0u; l < 4u; l++) {
      let e = tid + l * 256u;
      { ${aLoad} }
      { ${bLoad} }
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk++) {
      let a0 = As[kk * 64u + ty];
      let a1 = As[kk * 64u + ty + 16u];
      let a2 = As[kk * 64u + ty + 32u];
      let a3 = As[kk * 64u + ty + 48u];
      let b0 = Bs[kk * 64u + tx];
      let b1 = Bs[kk * 64u + tx + 16u];
      let b2 = Bs[kk * 64u + tx + 32u];
      let b3 = Bs[kk * 64u + tx + 48u];
      acc[0] += a0 * b0; acc[1] += a0 * b1; acc[2] += a0 * b2; acc[3] += a0 * b3;
      acc[4] += a1 * b0; acc[5] += a1 * b1; acc[6] += a1 * b2; acc[7] += a1 * b3;
      acc[8] += a2 * b0; acc[9] += a2 * b1; acc[10] += a2 * b2; acc[11] += a2 * b3;
      acc[12] += a3 * b0; acc[13] += a3 * b1; acc[14] += a3 * b2; acc[15] += a3 * b3;
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let m = row0 + ty + 16u * i;
    if (m < M) {
      for (var j = 0u; j < 4u; j++) {
        let n = col0 + tx + 16u * j;
        if (n < N) { C[cOff + m * N + n] = acc[i * 4u + j]; }
      }
    }
  }
}`;
}
