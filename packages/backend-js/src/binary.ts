import { type BinaryOp, UnsupportedOperationError } from '@rlhf/core';
import { type BinaryRunLoop, broadcastBinary } from './broadcast.js';
import { allocLike, type Dense, type NumericArray } from './js-buffer.js';
import { broadcastShape, sizeOf } from './shape.js';

// One run loop per op (see BinaryRunLoop): out[o+i] = f(a[ia + i·sa], b[ib + i·sb]).

/** float32 (or float64) arithmetic, IEEE 754 semantics: x/0 = ±∞, 0/0 = NaN; Math.max/min return NaN when either input is NaN. */
const FLOAT_LOOPS: Record<BinaryOp, BinaryRunLoop> = {
  add: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] + b[ib];
  },
  sub: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] - b[ib];
  },
  mul: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] * b[ib];
  },
  div: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] / b[ib];
  },
  pow: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] ** b[ib];
  },
  maximum: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = Math.max(a[ia], b[ib]);
  },
  minimum: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = Math.min(a[ia], b[ib]);
  },
};

/**
 * int32 arithmetic wrapping as C's 32-bit two's complement: `|0` reduces a sum or difference (exact in
 * float64) modulo 2³²; `Math.imul` is the low 32 bits of the product (ECMA-262 §21.3.2.19).
 */
const INT_LOOPS: Partial<Record<BinaryOp, BinaryRunLoop>> = {
  add: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = (a[ia] + b[ib]) | 0;
  },
  sub: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = (a[ia] - b[ib]) | 0;
  },
  mul: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = Math.imul(a[ia], b[ib]);
  },
  maximum: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) {
      const x = a[ia];
      const y = b[ib];
      out[o + i] = x > y ? x : y;
    }
  },
  minimum: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) {
      const x = a[ia];
      const y = b[ib];
      out[o + i] = x < y ? x : y;
    }
  },
};

/**
 * Element-wise binary op with NumPy broadcasting (see core's `BinaryOp` table). Both inputs share a
 * dtype, which is the output's; `div` and `pow` are float only.
 *
 * @example
 * ```ts
 * const x = { data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] };
 * const bias = { data: new Float32Array([10, 20]), shape: [2] };
 * binary('add', x, bias).data; // Float32Array [11, 22, 13, 24]
 * ```
 */
export function binary(op: BinaryOp, a: Dense, b: Dense): { data: NumericArray; shape: number[] } {
  const loop = a.data instanceof Int32Array ? INT_LOOPS[op] : FLOAT_LOOPS[op];
  if (!loop) throw new UnsupportedOperationError(op, 'js', 'int32 inputs');
  const shape = broadcastShape(a.shape, b.shape);
  const out = allocLike(a.data, sizeOf(shape));
  broadcastBinary(a, b, out, shape, loop);
  return { data: out, shape };
}
