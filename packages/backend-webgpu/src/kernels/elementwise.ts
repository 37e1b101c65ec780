import type { BinaryOp, CompareOp, UnaryOp } from '@rlhf/core';
import { LINEAR_INDEX, MAIN_1D, PRELUDE } from './wgsl-prelude.js';

/**
 * Element-wise kernels, one invocation per output element. Inputs are read through per-input strides over
 * the output's shape (stride 0 on a broadcast axis, NumPy's rule), or directly at the output's index when
 * every input has the output's shape. The rank is part of the kernel signature, so the index loop has a
 * constant trip count. Uniforms: 0 n, 1 gridX, 4..11 output shape, 12+8k.. input k's strides.
 *
 * The float functions below follow the spec's table (`backend-spec.ts`), with NaN and ∞ handled on the
 * bits: WGSL allows a compiler to assume finite values, and GPU `log`, `sqrt`, `pow` and division are
 * undefined or approximate at the edges that the spec fixes.
 */
export const FLOAT_FUNCTIONS = /* wgsl */ `
fn safeExp(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  if (x > 88.72283f) { return infF(); }
  if (x < -103.97208f) { return 0.0f; }
  return exp(x);
}
fn safeLog(x: f32) -> f32 {
  if (isNanF(x) || x < 0.0f) { return nanF(); }
  if (x == 0.0f) { return -infF(); }
  if (isInfF(x)) { return x; }
  return log(x);
}
fn safeSqrt(x: f32) -> f32 {
  if (isNanF(x) || x < 0.0f) { return nanF(); }
  if (isInfF(x)) { return x; }
  return sqrt(x);
}
fn safeDiv(a: f32, b: f32) -> f32 {
  if (isNanF(a) || isNanF(b)) { return nanF(); }
  if (b == 0.0f) {
    if (a == 0.0f) { return nanF(); }
    let negative = (bitcast<u32>(a) ^ bitcast<u32>(b)) & 0x80000000u;
    return bitcast<f32>(INF_BITS | negative);
  }
  if (isInfF(b)) {
    if (isInfF(a)) { return nanF(); }
    return 0.0f * sign(a) * sign(b);
  }
  return a / b;
}
// tanh: the odd series x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 below |x| = 0.3 (truncation < 1e-8
// relative), (1 − e^{−2|x|}) / (1 + e^{−2|x|}) above, ±1 beyond |x| = 10 (float32 rounds it to 1).
fn safeTanh(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  let ax = abs(x);
  if (ax > 10.0f) { return sign(x); }
  if (ax < 0.3f) {
    let x2 = x * x;
    return x * (1.0f + x2 * (-1.0f / 3.0f + x2 * (2.0f / 15.0f + x2 * (-17.0f / 315.0f + x2 * (62.0f / 2835.0f)))));
  }
  let t = exp(-2.0f * ax);
  return sign(x) * (1.0f - t) / (1.0f + t);
}
// σ(x) = 1/(1+e^{−x}) for x ≥ 0 and e^{x}/(1+e^{x}) below, so that neither branch overflows.
fn safeSigmoid(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  if (x >= 0.0f) { return 1.0f / (1.0f + safeExp(-x)); }
  let e = safeExp(x);
  return e / (1.0f + e);
}
// pow as Math.pow: x⁰ = 1 (NaN included), NaN otherwise propagates, a negative base needs an integer
// exponent (odd → negative result), 0 to a negative power is +∞.
fn safePow(a: f32, b: f32) -> f32 {
  if (b == 0.0f) { return 1.0f; }
  if (isNanF(a) || isNanF(b)) { return nanF(); }
  if (a == 0.0f) {
    if (b < 0.0f) { return infF(); }
    return 0.0f;
  }
  let ab = abs(a);
  if (isInfF(b)) {
    if (ab == 1.0f) { return nanF(); }
    if ((ab > 1.0f) == (b > 0.0f)) { return infF(); }
    return 0.0f;
  }
  var r: f32;
  if (isInfF(a)) {
    r = select(0.0f, infF(), b > 0.0f);
  } else {
    r = exp2(b * log2(ab));
    // exact small integer powers (x², x³, ...) as products, as the CPU gives them
    if (b == round(b) && abs(b) <= 16.0f) {
      var p = 1.0f;
      for (var k = 0; k < i32(abs(b)); k++) { p = p * ab; }
      r = select(p, 1.0f / p, b < 0.0f);
    }
  }
  if (a < 0.0f) {
    if (b != round(b)) { return nanF(); }
    let odd = abs(b) < 16777216.0f && (i32(abs(b)) & 1) == 1;
    if (odd) { return -r; }
  }
  return r;
}
// sin and cos with float32 accuracy on every implementation (SwiftShader's built-ins are off by ~1e-4):
// x = k·π/2 + r with |r| ≤ π/4 (Cody–Waite: π/2 = P1 − 4.371139e-8 with P1 = π/2 rounded to float32),
// Taylor polynomials of sin r (to r¹¹) and cos r (to r¹²), whose truncation is below 1e-10 there, and the
// quadrant k mod 4 picks ±sin r or ±cos r. Accurate for |x| up to ~10⁵.
fn sinCos(x: f32) -> vec2<f32> {
  let k = round(x * 0.6366197723675814f);
  let r = (x - k * 1.5707963705062866f) + k * 4.371139000186241e-8f;
  let r2 = r * r;
  let s = r * (1.0f + r2 * (-1.0f / 6.0f + r2 * (1.0f / 120.0f + r2 * (-1.0f / 5040.0f + r2 * (1.0f / 362880.0f + r2 * (-1.0f / 39916800.0f))))));
  let c = 1.0f + r2 * (-0.5f + r2 * (1.0f / 24.0f + r2 * (-1.0f / 720.0f + r2 * (1.0f / 40320.0f + r2 * (-1.0f / 3628800.0f + r2 * (1.0f / 479001600.0f))))));
  let q = i32(k) & 3;
  if (q == 0) { return vec2<f32>(s, c); }
  if (q == 1) { return vec2<f32>(c, -s); }
  if (q == 2) { return vec2<f32>(-s, -c); }
  return vec2<f32>(-c, s);
}
fn fMax(a: f32, b: f32) -> f32 { if (isNanF(a) || isNanF(b)) { return nanF(); } return max(a, b); }
fn fMin(a: f32, b: f32) -> f32 { if (isNanF(a) || isNanF(b)) { return nanF(); } return min(a, b); }
// GELU, tanh approximation (Hendrycks & Gimpel 2016): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
fn gelu(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  return 0.5f * x * (1.0f + safeTanh(0.7978845608028654f * (x + 0.044715f * x * x * x)));
}
// SiLU: x·σ(x).
fn silu(x: f32) -> f32 { return x * safeSigmoid(x); }
`;

/** WGSL expression of each float unary op, of `a0`. */
export const UNARY_F32: Record<UnaryOp, string> = {
  neg: 'bitcast<f32>(bitcast<u32>(a0) ^ 0x80000000u)',
  abs: 'bitcast<f32>(bitcast<u32>(a0) & 0x7fffffffu)',
  sign: 'select(select(select(0.0f, -1.0f, a0 < 0.0f), 1.0f, a0 > 0.0f), a0, isNanF(a0))',
  exp: 'safeExp(a0)',
  log: 'safeLog(a0)',
  sqrt: 'safeSqrt(a0)',
  rsqrt: 'safeDiv(1.0f, safeSqrt(a0))',
  reciprocal: 'safeDiv(1.0f, a0)',
  square: 'a0 * a0',
  tanh: 'safeTanh(a0)',
  sigmoid: 'safeSigmoid(a0)',
  relu: 'select(select(0.0f, a0, a0 > 0.0f), a0, isNanF(a0))',
  sin: 'select(sinCos(a0).x, nanF(), isNanF(a0) || isInfF(a0))',
  cos: 'select(sinCos(a0).y, nanF(), isNanF(a0) || isInfF(a0))',
};

/** WGSL expression of the int32 unary ops the spec allows. */
export const UNARY_I32: Partial<Record<UnaryOp, string>> = {
  neg: '-a0',
  abs: 'abs(a0)',
  sign: 'sign(a0)',
};

/** WGSL expression of each float binary op, of `a0` and `a1`. */
export const BINARY_F32: Record<BinaryOp, string> = {
  add: 'a0 + a1',
  sub: 'a0 - a1',
  mul: 'a0 * a1',
  div: 'safeDiv(a0, a1)',
  pow: 'safePow(a0, a1)',
  maximum: 'fMax(a0, a1)',
  minimum: 'fMin(a0, a1)',
};

/** WGSL expression of the int32 binary ops (wrapping 32-bit arithmetic, as WGSL's `i32`). */
export const BINARY_I32: Partial<Record<BinaryOp, string>> = {
  add: 'a0 + a1',
  sub: 'a0 - a1',
  mul: 'a0 * a1',
  maximum: 'max(a0, a1)',
  minimum: 'min(a0, a1)',
};

/** Comparisons → 0/1; float ones are false with a NaN operand, except `notEqual`. */
export function compareExpr(op: CompareOp, float: boolean): string {
  const sym = { equal: '==', notEqual: '!=', less: '<', lessEqual: '<=', greater: '>', greaterEqual: '>=' }[op];
  if (!float) return `select(0, 1, a0 ${sym} a1)`;
  const nan = 'isNanF(a0) || isNanF(a1)';
  return op === 'notEqual' ? `select(0, 1, (${nan}) || a0 != a1)` : `select(0, 1, !(${nan}) && a0 ${sym} a1)`;
}

/**
 * float32 → int32 truncates toward zero, NaN → 0, saturating at the int32 limits; int32 → float32 rounds
 * to nearest.
 */
export const CAST_F32_TO_I32 =
  'select(select(select(i32(a0), bitcast<i32>(0x80000000u), a0 <= -2147483648.0f), 2147483647, a0 >= 2147483648.0f), 0, isNanF(a0))';

/** One element-wise kernel: its inputs' WGSL types, output type and expression. */
export interface ElementwiseSpec {
  /** Cache key of the expression (op name and dtypes). */
  name: string;
  inputs: readonly ('f32' | 'i32' | 'u32')[];
  output: 'f32' | 'i32' | 'u32';
  expr: string;
}

/**
 * WGSL of an element-wise kernel. `rank` < 0 means every input has the output's shape (read at the
 * output's index); otherwise inputs are read through their strides over a rank-`rank` output shape.
 */
export function elementwiseSource(spec: ElementwiseSpec, rank: number): string {
  const bindings = spec.inputs
    .map((t, k) => `@group(0) @binding(${k + 1}) var<storage, read> in${k}: array<${t}>;`)
    .join('\n');
  const out = `@group(0) @binding(${spec.inputs.length + 1}) var<storage, read_write> out: array<${spec.output}>;`;
  let offsets: string;
  if (rank < 0) {
    offsets = spec.inputs.map((_, k) => `  let o${k} = i;`).join('\n');
  } else {
    offsets = `  var rem = i;\n${spec.inputs.map((_, k) => `  var o${k} = 0u;`).join('\n')}
  for (var d = ${rank - 1}; d >= 0; d--) {
    let s = U(4u + u32(d));
    let c = rem % s;
    rem = rem / s;
${spec.inputs.map((_, k) => `    o${k} += c * U(${12 + 8 * k}u + u32(d));`).join('\n')}
  }`;
  }
  const reads = spec.inputs.map((_, k) => `  let a${k} = in${k}[o${k}];`).join('\n');
  return `${PRELUDE}${FLOAT_FUNCTIONS}
${bindings}
${out}
${MAIN_1D} {${LINEAR_INDEX}
${offsets}
${reads}
  out[i] = ${spec.expr};
}`;
}
