import { type UnaryOp, UnsupportedOperationError } from '@rlhf/core';
import { allocLike, type Dense, type NumericArray } from './js-buffer.js';

type UnaryLoop = (x: NumericArray, out: NumericArray) => void;

/**
 * Definitions: the `UnaryOp` table of core's backend-spec.ts; each maps to the ECMA-262 `Math` function
 * of that name (§21.3.2), which follows IEEE 754 for NaN, ±0 and ±∞.
 *
 * One tight loop per op (a separate function each, so V8 keeps every loop monomorphic in its op).
 * Values are computed in float64 and rounded once when stored.
 */
const FLOAT_LOOPS: Record<UnaryOp, UnaryLoop> = {
  neg: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = -x[i];
  },
  abs: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]);
  },
  // Math.sign keeps NaN (and ±0).
  sign: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.sign(x[i]);
  },
  exp: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]);
  },
  // Math.log: −∞ at 0, NaN below 0 (ECMA-262 §21.3.2.20).
  log: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]);
  },
  sqrt: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]);
  },
  rsqrt: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = 1 / Math.sqrt(x[i]);
  },
  reciprocal: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = 1 / x[i];
  },
  square: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = x[i] * x[i];
  },
  tanh: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]);
  },
  // σ(x) = 1/(1+e⁻ˣ) for x ≥ 0 and eˣ/(1+eˣ) for x < 0: the exponent is never positive, so nothing
  // overflows (the standard stable form, e.g. PyTorch's and scipy.special.expit's). NaN falls to the
  // second branch and stays NaN.
  sigmoid: (x, out) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v >= 0) {
        out[i] = 1 / (1 + Math.exp(-v));
      } else {
        const e = Math.exp(v);
        out[i] = e / (1 + e);
      }
    }
  },
  // max(x, 0); `v < 0` is false for NaN, so NaN passes through.
  relu: (x, out) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      out[i] = v < 0 ? 0 : v;
    }
  },
  sin: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.sin(x[i]);
  },
  cos: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.cos(x[i]);
  },
};

/** int32 versions: two's-complement wrap as in C (−(−2³¹) = −2³¹, |−2³¹| = −2³¹). */
const INT_LOOPS: Partial<Record<UnaryOp, UnaryLoop>> = {
  neg: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = -x[i] | 0;
  },
  abs: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]) | 0;
  },
  sign: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.sign(x[i]);
  },
};

/**
 * Element-wise unary op (see core's `UnaryOp` table); same shape and array kind out. `neg`, `abs` and
 * `sign` accept int32; core rejects other int32 ops before they get here.
 *
 * @example
 * ```ts
 * unary('sigmoid', { data: new Float32Array([0, 1000]), shape: [2] }); // [0.5, 1]
 * ```
 */
export function unary(op: UnaryOp, x: Dense): NumericArray {
  const out = allocLike(x.data, x.data.length);
  const loop = x.data instanceof Int32Array ? INT_LOOPS[op] : FLOAT_LOOPS[op];
  if (!loop) throw new UnsupportedOperationError(op, 'js', 'int32 input');
  loop(x.data, out);
  return out;
}
