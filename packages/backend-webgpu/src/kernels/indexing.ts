import { LINEAR_INDEX, MAIN_1D, PRELUDE } from './wgsl-prelude.js';

/**
 * gather (NumPy's `take`): x viewed as (A, n, B), indices (I) → out (A, I, B), one invocation per output
 * element: out[a, i, b] = x[a, idx[i], b]. An index outside [0, n) reads 0 (the GPU cannot throw; core's
 * checked paths validate indices on the host where it can). 32-bit words are copied, so both dtypes share
 * the kernel. Uniforms: 0 n, 1 gridX, 2 I, 3 B, 4 axis length.
 */
export function gatherSource(): string {
  return `${PRELUDE}
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
${MAIN_1D} {${LINEAR_INDEX}
  let I = U(2u);
  let B = U(3u);
  let n = U(4u);
  let b = i % B;
  let ib = i / B;
  let ii = ib % I;
  let a = ib / I;
  let j = idx[ii];
  if (j < 0 || u32(j) >= n) { out[i] = 0u; return; }
  out[i] = x[(a * n + u32(j)) * B + b];
}`;
}

/** Invocations of a scatterAdd workgroup (they split the B columns; they share the index scan). */
export const SCATTER_WG = 64;

/**
 * scatterAdd, the adjoint of gather: updates (A, I, B), indices (I) → out (A, size, B), out[a, s, b] =
 * Σ_{i: idx[i] = s} updates[a, i, b]. WGSL has no float atomics, so the sum is gathered, not scattered:
 * one workgroup per destination row (a, s) scans the indices in order (staged 64 at a time in workgroup
 * memory) and each of its 64 invocations adds the matching rows' columns b, b + 64, … into registers.
 * The additions happen in index order, as in a sequential loop, so results are deterministic run to run
 * and equal the reference backend's. Work: A·size·I index comparisons (per invocation I); fine for the
 * vocabulary sizes here, a sorted (CSR) variant would scale better for very large vocabularies.
 * Uniforms: 0 rows (A·size), 1 gridX, 2 I, 3 B, 4 size.
 */
export function scatterAddSource(type: 'f32' | 'i32'): string {
  return `${PRELUDE}
@group(0) @binding(1) var<storage, read> updates: array<${type}>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> out: array<${type}>;
var<workgroup> chunk: array<i32, ${SCATTER_WG}>;
@compute @workgroup_size(${SCATTER_WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * U(1u) + wid.x;
  if (row >= U(0u)) { return; }
  let I = U(2u);
  let B = U(3u);
  let size = U(4u);
  let s = i32(row % size);
  let a = row / size;
  for (var b0 = 0u; b0 < B; b0 += ${SCATTER_WG}u) {
    let b = b0 + lid;
    var acc: ${type} = ${type}(0);
    for (var i0 = 0u; i0 < I; i0 += ${SCATTER_WG}u) {
      workgroupBarrier();
      if (i0 + lid < I) { chunk[lid] = idx[i0 + lid]; }
      workgroupBarrier();
      let m = min(${SCATTER_WG}u, I - i0);
      for (var k = 0u; k < m; k++) {
        if (chunk[k] == s && b < B) { acc += updates[(a * I + i0 + k) * B + b]; }
      }
    }
    if (b < B) { out[row * B + b] = acc; }
  }
}`;
}
