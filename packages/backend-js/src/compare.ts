import type { CompareOp } from '@rlhf/core';
import { type BinaryRunLoop, broadcastBinary } from './broadcast.js';
import type { Dense } from './js-buffer.js';
import { broadcastShape, sizeOf } from './shape.js';

/**
 * One run loop per comparison, writing 1 or 0. JavaScript's relational operators are false whenever an
 * operand is NaN and `!==` is true (ECMA-262's IsLessThan and IsStrictlyEqual), which is exactly the spec's NaN rule.
 */
const LOOPS: Record<CompareOp, BinaryRunLoop> = {
  equal: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] === b[ib] ? 1 : 0;
  },
  notEqual: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] !== b[ib] ? 1 : 0;
  },
  less: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] < b[ib] ? 1 : 0;
  },
  lessEqual: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] <= b[ib] ? 1 : 0;
  },
  greater: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] > b[ib] ? 1 : 0;
  },
  greaterEqual: (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] >= b[ib] ? 1 : 0;
  },
};

/**
 * Element-wise comparison with broadcasting → int32 0/1 (see core's `CompareOp`).
 *
 * @example
 * ```ts
 * const a = { data: new Float32Array([1, NaN]), shape: [2] };
 * compare('notEqual', a, a).data; // Int32Array [0, 1]
 * ```
 */
export function compare(op: CompareOp, a: Dense, b: Dense): { data: Int32Array; shape: number[] } {
  const shape = broadcastShape(a.shape, b.shape);
  const out = new Int32Array(sizeOf(shape));
  broadcastBinary(a, b, out, shape, LOOPS[op]);
  return { data: out, shape };
}
