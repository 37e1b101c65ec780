import type { ReduceOp } from '@rlhf/core';
import type { GraphBuilder } from '../onnx/graph-builder.js';
import { castTo, type EmitValue, scalarOf } from './emit-value.js';

const REDUCE_ONNX: Record<ReduceOp, string> = { sum: 'ReduceSum', max: 'ReduceMax', min: 'ReduceMin' };

/**
 * Reduction over `axes` (opset 18: axes as an input). An empty `axes` is a copy (ONNX would reduce
 * over everything). onnxruntime's `ReduceMax`/`ReduceMin` skip NaN, so for float32 a NaN flag is
 * reduced alongside and put back: `Where(max(isnan(x)) > ½, NaN, reduce(x))`. Empty sets give 0, −∞
 * and +∞ (int32: the type's ends) as onnxruntime already does.
 *
 * @example
 * ```ts
 * const s = emitReduce(g, 'sum', x, [1], false); // ReduceSum(x, [1], keepdims=0)
 * ```
 */
export function emitReduce(
  g: GraphBuilder,
  op: ReduceOp,
  x: EmitValue,
  axes: readonly number[],
  keepDims: boolean,
): string {
  if (axes.length === 0) return g.add('Identity', [x.name]);
  const attrs = [{ name: 'keepdims', int: keepDims ? 1 : 0 }];
  const axesName = g.int64(axes);
  const reduced = g.add(REDUCE_ONNX[op], [x.name, axesName], attrs);
  if (op === 'sum' || x.dtype !== 'float32') return reduced;
  const nanFlags = castTo(g, g.add('IsNaN', [x.name]), 'float');
  const anyNan = g.add('Greater', [g.add('ReduceMax', [nanFlags, axesName], attrs), scalarOf(g, 0.5, 'float32')]);
  return g.add('Where', [anyNan, scalarOf(g, Number.NaN, 'float32'), reduced]);
}

/**
 * Index of the largest value along `axis` (removed), int32. Ties give the first index (ONNX's default);
 * the spec's "a NaN is larger than any number, the first NaN wins" is restored for float32 by taking
 * the arg-max of the NaN flags in rows that hold a NaN.
 *
 * @example
 * ```ts
 * const i = emitArgMax(g, logits, 2); // (B, T, V) → (B, T) int32
 * ```
 */
export function emitArgMax(g: GraphBuilder, x: EmitValue, axis: number): string {
  const attrs = [
    { name: 'axis', int: axis },
    { name: 'keepdims', int: 0 },
  ];
  const plain = g.add('ArgMax', [x.name], attrs);
  if (x.dtype !== 'float32') return castTo(g, plain, 'int32');
  const nanFlags = castTo(g, g.add('IsNaN', [x.name]), 'float');
  const anyNan = g.add('Greater', [
    g.add('ReduceMax', [nanFlags, g.int64([axis])], [{ name: 'keepdims', int: 0 }]),
    scalarOf(g, 0.5, 'float32'),
  ]);
  const firstNan = g.add('ArgMax', [nanFlags], attrs);
  return castTo(g, g.add('Where', [anyNan, firstNan, plain]), 'int32');
}
