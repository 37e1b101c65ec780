import type { ReduceOp } from '@rlhf/core';
import { PRELUDE, WG } from './wgsl-prelude.js';

/**
 * Reductions over any set of axes. The kept axes index the output; the reduced axes are walked by a
 * linear index decomposed through their shape and input strides, so no transpose is needed first.
 * Two variants: one invocation per output when the reduced extent is small (≤ 64), and otherwise one
 * workgroup of 256 per output, each invocation folding a strided share and the workgroup combining the
 * partial results as a tree in shared memory (log₂ 256 = 8 levels; the tree also keeps float32 sums more
 * accurate than one running sum). Results are deterministic: the order of the fold is fixed.
 *
 * Uniforms: 0 outputs, 1 gridX, 2 reduced count, 8..15 kept shape, 16..23 kept strides (in the input),
 * 24..31 reduced shape, 32..39 reduced strides.
 */
export function reduceSource(
  op: ReduceOp,
  type: 'f32' | 'i32',
  keptRank: number,
  reducedRank: number,
  perWorkgroup: boolean,
): string {
  const init =
    op === 'sum'
      ? `${type}(0)`
      : type === 'f32'
        ? op === 'max'
          ? '-infF()'
          : 'infF()'
        : op === 'max'
          ? 'bitcast<i32>(0x80000000u)'
          : '2147483647';
  const combine =
    op === 'sum'
      ? (a: string, b: string) => `${a} + ${b}`
      : type === 'f32'
        ? (a: string, b: string) => `${op === 'max' ? 'fMax' : 'fMin'}(${a}, ${b})`
        : (a: string, b: string) => `${op}(${a}, ${b})`;
  const offsetOf = /* wgsl */ `
fn reducedOffset(r: u32) -> u32 {
  var rem = r;
  var off = 0u;
  for (var d = ${reducedRank - 1}; d >= 0; d--) {
    let s = U(24u + u32(d));
    off += (rem % s) * U(32u + u32(d));
    rem = rem / s;
  }
  return off;
}
fn keptBase(o: u32) -> u32 {
  var rem = o;
  var off = 0u;
  for (var d = ${keptRank - 1}; d >= 0; d--) {
    let s = U(8u + u32(d));
    off += (rem % s) * U(16u + u32(d));
    rem = rem / s;
  }
  return off;
}
fn fMax(a: f32, b: f32) -> f32 { if (isNanF(a) || isNanF(b)) { return nanF(); } return max(a, b); }
fn fMin(a: f32, b: f32) -> f32 { if (isNanF(a) || isNanF(b)) { return nanF(); } return min(a, b); }
@group(0) @binding(1) var<storage, read> x: array<${type}>;
@group(0) @binding(2) var<storage, read_write> out: array<${type}>;`;
  if (!perWorkgroup) {
    return `${PRELUDE}${offsetOf}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = (wid.y * U(1u) + wid.x) * ${WG}u + lid;
  if (o >= U(0u)) { return; }
  let base = keptBase(o);
  var acc: ${type} = ${init};
  for (var r = 0u; r < U(2u); r++) { acc = ${combine('acc', 'x[base + reducedOffset(r)]')}; }
  out[o] = acc;
}`;
  }
  return `${PRELUDE}${offsetOf}
var<workgroup> partial: array<${type}, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.y * U(1u) + wid.x;
  if (o >= U(0u)) { return; }
  let base = keptBase(o);
  var acc: ${type} = ${init};
  for (var r = lid; r < U(2u); r += ${WG}u) { acc = ${combine('acc', 'x[base + reducedOffset(r)]')}; }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { partial[lid] = ${combine('partial[lid]', 'partial[lid + s]')}; }
    workgroupBarrier();
  }
  if (lid == 0u) { out[o] = partial[0]; }
}`;
}
