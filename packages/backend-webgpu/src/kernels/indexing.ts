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

/** Invocations of the offsets kernel (one workgroup scans all destination counts). */
export const SCAN_WG = 256;

/**
 * scatterAdd, the adjoint of gather: updates (A, I, B), indices (I) → out (A, size, B), out[a, s, b] =
 * Σ_{i: idx[i] = s} updates[a, i, b]. WGSL has no float atomics, so the sum is gathered, not scattered,
 * through a compressed list of the positions of each destination (CSR), built on the device in three
 * small kernels and then summed by one invocation per output element:
 *
 * 1. count: one invocation per destination s counts the i with idx[i] = s (indices outside [0, size) are
 *    never counted: they add nothing);
 * 2. offsets: one workgroup turns the counts into start offsets (each invocation a contiguous chunk, then
 *    a scan of the 256 chunk totals), offsets[size] = the number of valid indices;
 * 3. fill: one invocation per destination writes its positions i in increasing order;
 * 4. sum: one invocation per output element (a, s, b) adds updates[a, i, b] over its positions, in
 *    increasing i — the order of a sequential loop, so the result is deterministic and equal to the
 *    reference backend's bit for bit.
 *
 * Work: 2·size·I index comparisons (steps 1 and 3) plus one addition per update element; no barriers
 * except in step 2.
 */
export function scatterCountSource(): string {
  return `${PRELUDE}
@group(0) @binding(1) var<storage, read> idx: array<i32>;
@group(0) @binding(2) var<storage, read_write> counts: array<u32>;
${MAIN_1D} {${LINEAR_INDEX}
  let s = i32(i);
  var c = 0u;
  for (var k = 0u; k < U(2u); k++) { if (idx[k] == s) { c++; } }
  counts[i] = c;
}`;
}

/** Step 2: counts (size + 1 words, the last one unused) → exclusive start offsets; uniforms 0 size. */
export function scatterOffsetsSource(): string {
  return `${PRELUDE}
@group(0) @binding(1) var<storage, read_write> offsets: array<u32>;
var<workgroup> totals: array<u32, ${SCAN_WG}>;
@compute @workgroup_size(${SCAN_WG})
fn main(@builtin(local_invocation_index) lid: u32) {
  let size = U(0u);
  let chunk = (size + ${SCAN_WG - 1}u) / ${SCAN_WG}u;
  let begin = min(lid * chunk, size);
  let end = min(begin + chunk, size);
  var t = 0u;
  for (var k = begin; k < end; k++) { t += offsets[k]; }
  totals[lid] = t;
  workgroupBarrier();
  if (lid == 0u) {
    var run = 0u;
    for (var k = 0u; k < ${SCAN_WG}u; k++) { let v = totals[k]; totals[k] = run; run += v; }
    offsets[size] = run;
  }
  workgroupBarrier();
  var run = totals[lid];
  for (var k = begin; k < end; k++) { let v = offsets[k]; offsets[k] = run; run += v; }
}`;
}

/** Step 3: each destination's positions, in increasing order; uniforms 0 size, 1 gridX, 2 I. */
export function scatterFillSource(): string {
  return `${PRELUDE}
@group(0) @binding(1) var<storage, read> idx: array<i32>;
@group(0) @binding(2) var<storage, read> offsets: array<u32>;
@group(0) @binding(3) var<storage, read_write> positions: array<u32>;
${MAIN_1D} {${LINEAR_INDEX}
  let s = i32(i);
  var j = offsets[i];
  for (var k = 0u; k < U(2u); k++) { if (idx[k] == s) { positions[j] = k; j++; } }
}`;
}

/** Step 4: one invocation per output element; uniforms 0 n, 1 gridX, 2 I, 3 B, 4 size. */
export function scatterSumSource(type: 'f32' | 'i32'): string {
  return `${PRELUDE}
@group(0) @binding(1) var<storage, read> updates: array<${type}>;
@group(0) @binding(2) var<storage, read> positions: array<u32>;
@group(0) @binding(3) var<storage, read> offsets: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<${type}>;
${MAIN_1D} {${LINEAR_INDEX}
  let I = U(2u);
  let B = U(3u);
  let size = U(4u);
  let b = i % B;
  let s = (i / B) % size;
  let a = i / (B * size);
  var acc: ${type} = ${type}(0);
  for (var j = offsets[s]; j < offsets[s + 1u]; j++) { acc += updates[(a * I + positions[j]) * B + b]; }
  out[i] = acc;
}`;
}
