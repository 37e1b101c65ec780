import { FLOAT_FUNCTIONS } from './elementwise.js';
import { PRELUDE, WG } from './wgsl-prelude.js';

/** The fused kernels that work on one row (the last axis) at a time. */
export type RowKernel = 'softmax' | 'logSoftmax' | 'rmsNorm' | 'layerNorm';

/**
 * One workgroup of 256 per row of D values (the last axis), with each statistic (max, Σ, mean, variance)
 * combined as a tree in workgroup memory and every value read from the input at most three times:
 *
 * - softmax: y = e^{x − max} / Σ e^{x − max}; log-softmax: y = x − max − log Σ e^{x − max} (the max shift
 *   keeps e^{·} ≤ 1; a row whose max is −∞ or NaN gives NaN, as the composition does);
 * - RMSNorm (Zhang & Sennrich 2019, eq. 4): y = x / √(mean(x²) + eps) · w;
 * - LayerNorm (Ba et al. 2016): y = (x − mean) / √(var + eps) · w + b, biased variance, computed as the
 *   mean of (x − mean)² (two passes, not E[x²] − mean², which cancels badly in float32).
 *
 * Bindings: x, then w (and b) for the norms, then out. Uniforms: 0 rows, 1 gridX, 2 D, 3 eps (f32 bits).
 */
export function rowKernelSource(kind: RowKernel): string {
  const params =
    kind === 'rmsNorm'
      ? '@group(0) @binding(2) var<storage, read> w: array<f32>;\n@group(0) @binding(3) var<storage, read_write> out: array<f32>;'
      : kind === 'layerNorm'
        ? '@group(0) @binding(2) var<storage, read> w: array<f32>;\n@group(0) @binding(3) var<storage, read> bias: array<f32>;\n@group(0) @binding(4) var<storage, read_write> out: array<f32>;'
        : '@group(0) @binding(2) var<storage, read_write> out: array<f32>;';
  const body: Record<RowKernel, string> = {
    softmax: `
  var m = -infF();
  for (var k = lid; k < D; k += ${WG}u) { m = fMax(m, x[base + k]); }
  let mx = treeMax(m, lid);
  var s = 0.0f;
  for (var k = lid; k < D; k += ${WG}u) { s += safeExp(x[base + k] - mx); }
  let total = treeSum(s, lid);
  for (var k = lid; k < D; k += ${WG}u) { out[base + k] = safeExp(x[base + k] - mx) / total; }`,
    logSoftmax: `
  var m = -infF();
  for (var k = lid; k < D; k += ${WG}u) { m = fMax(m, x[base + k]); }
  let mx = treeMax(m, lid);
  var s = 0.0f;
  for (var k = lid; k < D; k += ${WG}u) { s += safeExp(x[base + k] - mx); }
  let lse = mx + safeLog(treeSum(s, lid));
  for (var k = lid; k < D; k += ${WG}u) { out[base + k] = x[base + k] - lse; }`,
    rmsNorm: `
  var s = 0.0f;
  for (var k = lid; k < D; k += ${WG}u) { let v = x[base + k]; s += v * v; }
  let r = 1.0f / sqrt(treeSum(s, lid) / f32(D) + UF(3u));
  for (var k = lid; k < D; k += ${WG}u) { out[base + k] = x[base + k] * r * w[k]; }`,
    layerNorm: `
  var s = 0.0f;
  for (var k = lid; k < D; k += ${WG}u) { s += x[base + k]; }
  let mean = treeSum(s, lid) / f32(D);
  var q = 0.0f;
  for (var k = lid; k < D; k += ${WG}u) { let c = x[base + k] - mean; q += c * c; }
  let r = 1.0f / sqrt(treeSum(q, lid) / f32(D) + UF(3u));
  for (var k = lid; k < D; k += ${WG}u) { out[base + k] = (x[base + k] - mean) * r * w[k] + bias[k]; }`,
  };
  return `${PRELUDE}${FLOAT_FUNCTIONS}
@group(0) @binding(1) var<storage, read> x: array<f32>;
${params}
var<workgroup> partial: array<f32, ${WG}>;
// Each tree starts with a barrier, so that every invocation has read the previous tree's result from
// partial[0] before anyone overwrites it (a barrier after the read is not enough: a compiler may move the
// read of a \`let\` down to its use).
fn treeSum(v: f32, lid: u32) -> f32 {
  workgroupBarrier();
  partial[lid] = v;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { partial[lid] = partial[lid] + partial[lid + s]; }
    workgroupBarrier();
  }
  return partial[0];
}
fn treeMax(v: f32, lid: u32) -> f32 {
  workgroupBarrier();
  partial[lid] = v;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { partial[lid] = fMax(partial[lid], partial[lid + s]); }
    workgroupBarrier();
  }
  return partial[0];
}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * U(1u) + wid.x;
  if (row >= U(0u)) { return; }
  let D = U(2u);
  let base = row * D;${body[kind]}
}`;
}
