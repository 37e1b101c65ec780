import type { DType } from '@rlhf/core';
import type { GraphBuilder } from '../onnx/graph-builder.js';
import type { OnnxElementType } from '../onnx/onnx-proto.js';

/** A value during emission: its ONNX name, shape and dtype. */
export interface EmitValue {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** ONNX element type of a core dtype. */
export function onnxType(dtype: DType): OnnxElementType {
  return dtype === 'float32' ? 'float' : 'int32';
}

/** `TensorProto.DataType` codes for `Cast`'s `to` attribute. */
export const CAST_TO = { float: 1, int32: 6, int64: 7, bool: 9 } as const;

/** A rank-0 constant of a core dtype. */
export function scalarOf(g: GraphBuilder, value: number, dtype: DType): string {
  return g.scalar(value, dtype === 'float32' ? 'float' : 'int32');
}

/** `Cast(x, to)`. */
export function castTo(g: GraphBuilder, x: string, to: keyof typeof CAST_TO): string {
  return g.add('Cast', [x], [{ name: 'to', int: CAST_TO[to] }]);
}

/** `Reshape(x, shape)` (with `allowzero`, so a 0 in `shape` means size 0, never "copy"). */
export function reshapeTo(g: GraphBuilder, x: string, shape: readonly number[]): string {
  const source = g.reshapeOf.get(x) ?? x;
  const out = g.add('Reshape', [source, g.shapeParam(shape)], [{ name: 'allowzero', int: 1 }]);
  g.reshapeOf.set(out, source);
  return out;
}

/** The `bool` form of an int32 0/1 (or any int32: non-zero is true) value. */
export function boolOf(g: GraphBuilder, x: string): string {
  return g.boolForms.get(x) ?? castTo(g, x, 'bool');
}
