import { PRELUDE, WG } from './wgsl-prelude.js';

/**
 * Index of the largest value along one axis of a tensor viewed as (outer, n, inner): ties → the first
 * index, a NaN is larger than any number (the first NaN wins). One invocation per output for n ≤ 64,
 * else a workgroup tree over (value, index) pairs. Uniforms: 0 outputs, 1 gridX, 2 n, 3 inner.
 */
export function argMaxSource(perWorkgroup: boolean): string {
  const better = /* wgsl */ `
// (va, ia) beats (vb, ib): NaN first, then larger, then smaller index.
fn better(va: f32, ia: u32, vb: f32, ib: u32) -> bool {
  let na = isNanF(va);
  let nb = isNanF(vb);
  if (na || nb) { return na && (!nb || ia < ib); }
  return va > vb || (va == vb && ia < ib);
}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<i32>;`;
  if (!perWorkgroup) {
    return `${PRELUDE}${better}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = (wid.y * U(1u) + wid.x) * ${WG}u + lid;
  if (o >= U(0u)) { return; }
  let n = U(2u);
  let inner = U(3u);
  let base = (o / inner) * n * inner + o % inner;
  var bv = x[base];
  var bi = 0u;
  for (var k = 1u; k < n; k++) {
    let v = x[base + k * inner];
    if (better(v, k, bv, bi)) { bv = v; bi = k; }
  }
  out[o] = i32(bi);
}`;
  }
  return `${PRELUDE}${better}
var<workgroup> pv: array<f32, ${WG}>;
var<workgroup> pi: array<u32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.y * U(1u) + wid.x;
  if (o >= U(0u)) { return; }
  let n = U(2u);
  let inner = U(3u);
  let base = (o / inner) * n * inner + o % inner;
  var bv = x[base];
  var bi = 0u;
  for (var k = lid; k < n; k += ${WG}u) {
    let v = x[base + k * inner];
    if (better(v, k, bv, bi)) { bv = v; bi = k; }
  }
  pv[lid] = bv;
  pi[lid] = bi;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s && better(pv[lid + s], pi[lid + s], pv[lid], pi[lid])) {
      pv[lid] = pv[lid + s];
      pi[lid] = pi[lid + s];
    }
    workgroupBarrier();
  }
  if (lid == 0u) { out[o] = i32(pi[0]); }
}`;
}
