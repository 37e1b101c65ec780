import { PRELUDE } from './wgsl-prelude.js';

/** A tiling of the matmul kernel: output tile edge, K slice depth, and the register block edge. */
export interface MatmulTiling {
  /** Rows and columns of C per workgroup (64 or 128). */
  tile: number;
  /** Depth of the K slice staged in workgroup memory per step. */
  tileK: number;
  /** Each invocation computes a block×block block of C (tile / 16). */
  block: number;
}

/** 64 × 64 tiles, 4 × 4 per invocation, K slices of 16: the default. */
export const TILING_64: MatmulTiling = { tile: 64, tileK: 16, block: 4 };
/** 128 × 128 tiles, 8 × 8 per invocation, K slices of 8: twice the arithmetic per shared-memory read. */
export const TILING_128: MatmulTiling = { tile: 128, tileK: 8, block: 8 };

/**
 * Batched matmul C (…, M, N) = op(A) (…, M, K) · op(B) (…, K, N), op = transpose when the flag says so
 * (A stored as (…, K, M), B as (…, N, K)). Classic shared-memory tiling with register blocking:
 * a 16 × 16 workgroup computes a tile × tile block of C, each invocation a block × block sub-block held in
 * registers (rows ty + 16i, columns tx + 16j, so that neighbouring invocations read neighbouring shared
 * words and write neighbouring columns of C). Per step of tileK along K the workgroup stages A's
 * tile × tileK and B's tileK × tile slices in workgroup memory (8 KiB for both tilings), each invocation
 * loading 4 + 4 values with the index order that makes consecutive invocations read consecutive addresses
 * for the operand's layout (this is where the transposes are handled: no transposed copy is ever made);
 * zeros pad the edges. The K loop runs in the same order for every element, so results are deterministic.
 *
 * Batch: workgroup z is the output batch index, decomposed through the broadcast batch shape with A's and
 * B's batch strides (0 on a broadcast axis). Uniforms: 0 M, 1 N, 2 K, 8..15 batch shape, 16..23 A batch
 * strides, 24..31 B batch strides.
 */
export function matmulSource(
  transposeA: boolean,
  transposeB: boolean,
  batchRank: number,
  tiling: MatmulTiling = TILING_64,
  vectorA = false,
  vectorB = false,
): string {
  const { tile: T, tileK: TK, block: R } = tiling;
  const aLoad = vectorA ? vectorLoad('A', transposeA ? 'rows' : 'depth', T, TK) : scalarLoadA(transposeA, T, TK);
  const bLoad = vectorB ? vectorLoad('B', transposeB ? 'depth' : 'rows', T, TK) : scalarLoadB(transposeB, T, TK);
  const aLoads = vectorA ? (T * TK) / 1024 : (T * TK) / 256;
  const bLoads = vectorB ? (T * TK) / 1024 : (T * TK) / 256;
  const idx = [...Array(R).keys()];
  const reads = [
    ...idx.map((i) => `      let a${i} = As[kk * ${T}u + ty + ${16 * i}u];`),
    ...idx.map((j) => `      let b${j} = Bs[kk * ${T}u + tx + ${16 * j}u];`),
  ].join('\n');
  const fmas = idx.map((i) => `      ${idx.map((j) => `acc[${i * R + j}] += a${i} * b${j};`).join(' ')}`).join('\n');
  return `${PRELUDE}
@group(0) @binding(1) var<storage, read> A: array<${vectorA ? 'vec4<f32>' : 'f32'}>;
@group(0) @binding(2) var<storage, read> B: array<${vectorB ? 'vec4<f32>' : 'f32'}>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
var<workgroup> As: array<f32, ${T * TK}>;
var<workgroup> Bs: array<f32, ${T * TK}>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
  let M = U(0u);
  let N = U(1u);
  let K = U(2u);
  let tx = lid3.x;
  let ty = lid3.y;
  let tid = ty * 16u + tx;
  let row0 = wid.y * ${T}u;
  let col0 = wid.x * ${T}u;
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
  var acc: array<f32, ${R * R}>;
  for (var i = 0u; i < ${R * R}u; i++) { acc[i] = 0.0f; }
  for (var k0 = 0u; k0 < K; k0 += ${TK}u) {
    for (var l = 0u; l < ${aLoads}u; l++) {
      let e = tid + l * 256u;
      ${aLoad}
    }
    for (var l = 0u; l < ${bLoads}u; l++) {
      let e = tid + l * 256u;
      ${bLoad}
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk++) {
${reads}
${fmas}
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < ${R}u; i++) {
    let m = row0 + ty + 16u * i;
    if (m < M) {
      for (var j = 0u; j < ${R}u; j++) {
        let n = col0 + tx + 16u * j;
        if (n < N) { C[cOff + m * N + n] = acc[i * ${R}u + j]; }
      }
    }
  }
}`;
}

/**
 * One scalar of A's slice into `As[kk·T + mm]` (k-major, so the inner loop reads a row of the tile). With
 * A stored (M, K) consecutive invocations take consecutive k; stored (K, M) (transposed), consecutive m.
 */
function scalarLoadA(transposed: boolean, T: number, TK: number): string {
  return transposed
    ? `{ let mm = e % ${T}u; let kk = e / ${T}u; let m = row0 + mm; let k = k0 + kk; var v = 0.0f; if (m < M && k < K) { v = A[aOff + k * M + m]; } As[kk * ${T}u + mm] = v; }`
    : `{ let kk = e % ${TK}u; let mm = e / ${TK}u; let m = row0 + mm; let k = k0 + kk; var v = 0.0f; if (m < M && k < K) { v = A[aOff + m * K + k]; } As[kk * ${T}u + mm] = v; }`;
}

/** One scalar of B's slice into `Bs[kk·T + nn]`; B stored (K, N), or (N, K) when transposed. */
function scalarLoadB(transposed: boolean, T: number, TK: number): string {
  return transposed
    ? `{ let kk = e % ${TK}u; let nn = e / ${TK}u; let n = col0 + nn; let k = k0 + kk; var v = 0.0f; if (n < N && k < K) { v = B[bOff + n * K + k]; } Bs[kk * ${T}u + nn] = v; }`
    : `{ let nn = e % ${T}u; let kk = e / ${T}u; let n = col0 + nn; let k = k0 + kk; var v = 0.0f; if (n < N && k < K) { v = B[bOff + k * N + n]; } Bs[kk * ${T}u + nn] = v; }`;
}

/**
 * One vec4 (four consecutive floats of the operand's contiguous axis) per invocation and step, for an
 * operand whose contiguous axis is a multiple of 4 (so every vec4 is aligned and wholly inside or outside
 * the matrix, batch offsets included). `depth`: the contiguous axis is K (A (M, K), B (N, K)); `rows`: it
 * is A's M or B's N (A (K, M), B (K, N)). The four values land in the k-major tile as the scalar path would.
 */
function vectorLoad(operand: 'A' | 'B', contiguous: 'depth' | 'rows', T: number, TK: number): string {
  const [shared, edge, origin, off] = operand === 'A' ? ['As', 'M', 'row0', 'aOff'] : ['Bs', 'N', 'col0', 'bOff'];
  if (contiguous === 'depth') {
    // element (r, k) at off + r·K + k; invocation → (row r, k quad)
    return `{ let kq = e % ${TK / 4}u; let rr = e / ${TK / 4}u; let r = ${origin} + rr; let k = k0 + kq * 4u;
      var v = vec4<f32>(0.0f); if (r < ${edge} && k < K) { v = ${operand}[(${off} + r * K + k) / 4u]; }
      ${shared}[(kq * 4u) * ${T}u + rr] = v.x; ${shared}[(kq * 4u + 1u) * ${T}u + rr] = v.y;
      ${shared}[(kq * 4u + 2u) * ${T}u + rr] = v.z; ${shared}[(kq * 4u + 3u) * ${T}u + rr] = v.w; }`;
  }
  // element (k, r) at off + k·edge + r; invocation → (k, row quad)
  return `{ let rq = e % ${T / 4}u; let kk = e / ${T / 4}u; let r = ${origin} + rq * 4u; let k = k0 + kk;
      var v = vec4<f32>(0.0f); if (r < ${edge} && k < K) { v = ${operand}[(${off} + k * ${edge} + r) / 4u]; }
      let base = kk * ${T}u + rq * 4u;
      ${shared}[base] = v.x; ${shared}[base + 1u] = v.y; ${shared}[base + 2u] = v.z; ${shared}[base + 3u] = v.w; }`;
}
