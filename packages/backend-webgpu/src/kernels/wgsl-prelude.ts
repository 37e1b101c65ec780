/**
 * WGSL shared by every kernel: the packed uniforms (64 words at `@binding(0)`, read with `U(i)`), and
 * NaN/∞ tests on the bit pattern. WGSL lets a compiler assume that no NaN or ∞ occurs in float
 * arithmetic, so the kernels test for them on the bits and build them from bits held in private
 * variables (a constant expression that evaluates to NaN or ∞ is a shader-creation error).
 */
export const PRELUDE = /* wgsl */ `
struct Uniforms { v: array<vec4<u32>, 16> }
@group(0) @binding(0) var<uniform> u: Uniforms;
fn U(i: u32) -> u32 { return u.v[i >> 2u][i & 3u]; }
fn UI(i: u32) -> i32 { return bitcast<i32>(U(i)); }
fn UF(i: u32) -> f32 { return bitcast<f32>(U(i)); }
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn nanF() -> f32 { return bitcast<f32>(NAN_BITS); }
fn infF() -> f32 { return bitcast<f32>(INF_BITS); }
fn isNanF(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn isInfF(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
`;

/** Invocations per workgroup of the one-thread-per-element kernels (the compatibility-mode maximum is 256). */
export const WG = 256;

/** Largest workgroup count along one dimension (WebGPU's `maxComputeWorkgroupsPerDimension` default). */
const MAX_GROUPS = 65535;

/**
 * A 2-D grid of `count` workgroups (x × y ≥ count, x ≤ 65535). Kernels rebuild the linear workgroup
 * index as `wid.y · gridX + wid.x` (gridX passed in uniform word 1) and skip indices ≥ their count.
 */
export function grid(count: number): [number, number, number] {
  if (count <= MAX_GROUPS) return [count, 1, 1];
  const y = Math.ceil(count / MAX_GROUPS);
  return [Math.ceil(count / y), y, 1];
}

/** WGSL for the linear invocation index `i` of a one-thread-per-element kernel (returns past `U(0)`). */
export const LINEAR_INDEX = /* wgsl */ `
  let i = (wid.y * U(1u) + wid.x) * ${WG}u + lid;
  if (i >= U(0u)) { return; }`;

/** The entry point's signature for one-dimensional kernels. */
export const MAIN_1D = `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32)`;

/** Packs uniform words: integers as u32 (negative ones as two's complement), floats by their bits. */
export class UniformWords {
  readonly words = new Uint32Array(64);
  private readonly f32 = new Float32Array(this.words.buffer);
  private readonly i32 = new Int32Array(this.words.buffer);
  u(index: number, value: number): this {
    this.words[index] = value;
    return this;
  }
  i(index: number, value: number): this {
    this.i32[index] = value;
    return this;
  }
  /** Consecutive words from `index` (non-negative integers). */
  list(index: number, values: readonly number[]): this {
    this.words.set(values, index);
    return this;
  }
  f(index: number, value: number): this {
    this.f32[index] = value;
    return this;
  }
}

/** WGSL storage element type of a dtype. */
export function wgslType(dtype: 'float32' | 'int32'): 'f32' | 'i32' {
  return dtype === 'float32' ? 'f32' : 'i32';
}
