import type { BinaryOp, CompareOp, DType, UnaryOp } from '@rlhf/core';
import type { GraphBuilder } from '../onnx/graph-builder.js';
import { boolOf, castTo, type EmitValue, scalarOf } from './emit-value.js';

/** ONNX operator of each unary op that maps to exactly one. */
const UNARY_ONNX: Partial<Record<UnaryOp, string>> = {
  neg: 'Neg',
  abs: 'Abs',
  sign: 'Sign',
  exp: 'Exp',
  log: 'Log',
  sqrt: 'Sqrt',
  reciprocal: 'Reciprocal',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  relu: 'Relu',
  sin: 'Sin',
  cos: 'Cos',
};

/**
 * Element-wise unary op. onnxruntime's kernels already follow the spec on specials (NaN stays NaN in
 * `Sign` and `Relu`; `Log(0) = −∞`); `rsqrt` is `1/√x` and `square` is `x·x`.
 *
 * @example
 * ```ts
 * const y = emitUnary(g, 'rsqrt', x); // Reciprocal(Sqrt(x))
 * ```
 */
export function emitUnary(g: GraphBuilder, op: UnaryOp, x: EmitValue): string {
  if (op === 'rsqrt') return g.add('Reciprocal', [g.add('Sqrt', [x.name])]);
  if (op === 'square') return g.add('Mul', [x.name, x.name]);
  return g.add(UNARY_ONNX[op] as string, [x.name]);
}

const BINARY_ONNX: Record<BinaryOp, string> = {
  add: 'Add',
  sub: 'Sub',
  mul: 'Mul',
  div: 'Div',
  pow: 'Pow',
  maximum: 'Max',
  minimum: 'Min',
};

/**
 * Element-wise binary op with NumPy broadcasting (ONNX's multidirectional broadcasting is the same
 * rule). onnxruntime's `Max`/`Min` propagate NaN, as the spec asks; int32 arithmetic wraps.
 *
 * @example
 * ```ts
 * const y = emitBinary(g, 'maximum', a, b); // Max(a, b)
 * ```
 */
export function emitBinary(g: GraphBuilder, op: BinaryOp, a: EmitValue, b: EmitValue): string {
  return g.add(BINARY_ONNX[op], [a.name, b.name]);
}

const COMPARE_ONNX: Record<Exclude<CompareOp, 'notEqual'>, string> = {
  equal: 'Equal',
  less: 'Less',
  lessEqual: 'LessOrEqual',
  greater: 'Greater',
  greaterEqual: 'GreaterOrEqual',
};

/**
 * Comparison → int32 0/1. The `bool` result is remembered, so a `where` on it skips the cast back.
 * `notEqual` is `Not(Equal)`: true for NaN, as the spec asks.
 *
 * @example
 * ```ts
 * const mask = emitCompare(g, 'less', a, b); // Cast(Less(a, b), int32)
 * ```
 */
export function emitCompare(g: GraphBuilder, op: CompareOp, a: EmitValue, b: EmitValue): string {
  const bool =
    op === 'notEqual' ? g.add('Not', [g.add('Equal', [a.name, b.name])]) : g.add(COMPARE_ONNX[op], [a.name, b.name]);
  const out = castTo(g, bool, 'int32');
  g.boolForms.set(out, bool);
  return out;
}

/**
 * `cond ? a : b` with broadcasting (`cond` int32, non-zero true).
 *
 * @example
 * ```ts
 * const y = emitWhere(g, cond, a, b); // Where(Cast(cond, bool), a, b)
 * ```
 */
export function emitWhere(g: GraphBuilder, cond: EmitValue, a: EmitValue, b: EmitValue): string {
  return g.add('Where', [boolOf(g, cond.name), a.name, b.name]);
}

/** 2³¹ as a float32: the first value above the int32 range. */
const TWO_POW_31 = 2147483648;

/**
 * dtype conversion. float32 → int32 truncates toward zero (ONNX `Cast`), with the spec's NaN → 0 and
 * out-of-range values saturating to the int32 ends (as backend-js; x86's conversion would give
 * −2³¹ for NaN and for everything ≥ 2³¹). int32 → float32 rounds to nearest. Same dtype: a copy.
 *
 * @example
 * ```ts
 * const i = emitCast(g, x, 'int32');
 * ```
 */
export function emitCast(g: GraphBuilder, x: EmitValue, to: DType): string {
  if (x.dtype === to) return g.add('Identity', [x.name]);
  if (to === 'float32') return castTo(g, x.name, 'float');
  const clean = g.add('Where', [g.add('IsNaN', [x.name]), scalarOf(g, 0, 'float32'), x.name]);
  const truncated = castTo(g, clean, 'int32');
  const tooLarge = g.add('GreaterOrEqual', [x.name, scalarOf(g, TWO_POW_31, 'float32')]);
  return g.add('Where', [tooLarge, scalarOf(g, 2147483647, 'int32'), truncated]);
}
