import { broadcastShapes } from '@rlhf/core';
import type { NodeOp } from './node-op.js';

/** Shape of a recorded op's (first) output, from its input shapes (core has validated them). */
type Shapes = readonly (readonly number[])[];

/**
 * Output shape of an op, from the spec's rules (broadcasting, reduced axes, matmul, movement, gather).
 * `adamw` has three outputs, all shaped like its first input.
 *
 * @example
 * ```ts
 * outputShape({ kind: 'matmul', transposeA: false, transposeB: true }, [[2, 3], [5, 3]]); // [2, 5]
 * ```
 */
export function outputShape(op: NodeOp, shapes: Shapes): number[] {
  const [a = [], b = []] = shapes;
  switch (op.kind) {
    case 'binary':
    case 'compare':
      return broadcastShapes(op.kind, a, b);
    case 'where':
      return broadcastShapes('where', broadcastShapes('where', a, b), shapes[2] ?? []);
    case 'reduce':
      return op.keepDims ? a.map((d, i) => (op.axes.includes(i) ? 1 : d)) : a.filter((_, i) => !op.axes.includes(i));
    case 'argMax':
      return a.filter((_, i) => i !== op.axis);
    case 'matmul': {
      const m = (op.transposeA ? a[a.length - 1] : a[a.length - 2]) as number;
      const n = (op.transposeB ? b[b.length - 2] : b[b.length - 1]) as number;
      return [...broadcastShapes('matmul', a.slice(0, -2), b.slice(0, -2)), m, n];
    }
    case 'reshape':
    case 'broadcastTo':
      return [...op.shape];
    case 'permute':
      return op.perm.map((p) => a[p] as number);
    case 'slice':
      return [...op.size];
    case 'concat':
      return a.map((d, i) => (i === op.axis ? shapes.reduce((s, x) => s + (x[i] as number), 0) : d));
    case 'pad':
      return a.map((d, i) => d + (op.paddings[i]?.[0] ?? 0) + (op.paddings[i]?.[1] ?? 0));
    case 'gather':
      return [...a.slice(0, op.axis), ...b, ...a.slice(op.axis + 1)];
    case 'scatterAdd':
      return [...a.slice(0, op.axis), op.size, ...a.slice(op.axis + b.length)];
    default:
      // unary, cast, softmax, logSoftmax, rmsNorm, layerNorm, rotary, gelu, silu, adamw, adamwScale,
      // scatterAddInto: shaped like the first input
      return [...a];
  }
}
